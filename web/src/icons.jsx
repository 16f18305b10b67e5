// Small inline SVG icons (the page's CSP allows SVG elements; every look is
// a class in styles/forms.css). They draw with currentColor, so they follow
// the text around them, and are hidden from screen readers: the text or the
// label next to them says what they mean.
import './styles/forms.css';

export function AttachIcon() {
	return (
		<svg class="icon icon-attach" viewBox="0 0 16 16" width="14" height="14" aria-hidden="true" focusable="false">
			<path
				d="M10.5 4.5 5.4 9.6a1.25 1.25 0 0 0 1.8 1.8l5.3-5.3a2.5 2.5 0 0 0-3.6-3.6L3.6 7.8a3.75 3.75 0 0 0 5.3 5.3l4.6-4.6"
				fill="none"
				stroke="currentColor"
				stroke-width="1.4"
				stroke-linecap="round"
				stroke-linejoin="round"
			/>
		</svg>
	);
}
