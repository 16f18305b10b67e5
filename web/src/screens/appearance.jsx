// Settings → Account → Appearance: System (follows the device's light or dark
// setting), Light or Dark; applied at once and remembered in this browser.
import { setTheme, THEMES, themeChoice } from '../theme.js';
import '../styles/phone.css';

export function Appearance() {
	const choice = themeChoice.use();
	return (
		<div class="appearance-field">
			<h3 class="appearance-title" id="appearance-title">
				Appearance
			</h3>
			<div class="appearance" role="radiogroup" aria-labelledby="appearance-title" aria-describedby="appearance-hint">
				{THEMES.map(([v, name]) => (
					<label>
						<input type="radio" name="appearance" value={v} checked={choice === v} onChange={() => setTheme(v)} />
						{name}
					</label>
				))}
			</div>
			<p class="field-hint" id="appearance-hint">
				System follows your device's light or dark setting. Remembered in this browser.
			</p>
		</div>
	);
}
