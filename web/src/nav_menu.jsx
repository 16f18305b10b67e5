// The sections menu of narrow screens: below 1152 px (where the sections no
// longer fit in one row) the main navigation is folded behind a "Menu" button
// (styles/phone.css), which opens it as a list under the top bar. Choosing a section, Escape or a click elsewhere
// closes it; Escape puts the focus back on the button.
import { useEffect, useRef, useState } from 'preact/hooks';
import './styles/phone.css';

export function useNavMenu(path) {
	const [open, setOpen] = useState(false);
	const navRef = useRef(null);
	const buttonRef = useRef(null);
	useEffect(() => setOpen(false), [path]);
	useEffect(() => {
		if (!open) return;
		const away = (e) => {
			if (!navRef.current?.contains(e.target) && !buttonRef.current?.contains(e.target)) setOpen(false);
		};
		const esc = (e) => {
			if (e.key !== 'Escape') return;
			setOpen(false);
			buttonRef.current?.focus();
		};
		document.addEventListener('pointerdown', away);
		document.addEventListener('keydown', esc);
		return () => {
			document.removeEventListener('pointerdown', away);
			document.removeEventListener('keydown', esc);
		};
	}, [open]);
	return { open, setOpen, navRef, buttonRef };
}

export function MenuButton({ menu }) {
	return (
		<button
			type="button"
			class="menu-toggle"
			ref={menu.buttonRef}
			aria-expanded={menu.open ? 'true' : 'false'}
			aria-controls="main-nav"
			onClick={() => menu.setOpen(!menu.open)}
		>
			<span class="menu-icon" aria-hidden="true" />
			Menu
		</button>
	);
}
