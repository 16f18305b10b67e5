// Logging in: email and password; errors next to the field or above the form.
import { useEffect, useRef, useState } from 'preact/hooks';
import { post } from '../api.js';
import { Field, FormError, Submit } from '../ui.jsx';

export function Login({ onLogin }) {
	const [email, setEmail] = useState('');
	const [password, setPassword] = useState('');
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(false);
	const emailRef = useRef(null);
	useEffect(() => {
		document.title = 'Log in · Parley';
		emailRef.current?.focus();
	}, []);

	const submit = async (e) => {
		e.preventDefault();
		if (!email.trim()) return setError({ field: 'email', message: 'Enter your email address.' });
		if (!password) return setError({ field: 'password', message: 'Enter your password.' });
		setBusy(true);
		setError(null);
		try {
			onLogin(await post('/session', { email: email.trim(), password }));
		} catch (err) {
			setBusy(false);
			setPassword('');
			setError(err.status === 401 ? { message: 'Wrong email or password. Try again.', field: 'password', login: true } : err);
		}
	};
	const fieldError = (name) => (error && error.field === name && !error.login ? error.message : null);

	return (
		<main class="login" id="main">
			<form class="login-card" onSubmit={submit} noValidate aria-labelledby="login-title">
				<h1 id="login-title">
					<span class="brand-mark" aria-hidden="true">P</span> Parley
				</h1>
				<p class="login-lead">Log in to see your contacts, deals and conversations.</p>
				<FormError error={error && (!error.field || error.login) ? error : null} />
				<Field id="login-email" label="Email" error={fieldError('email')}>
					<input
						ref={emailRef}
						type="email"
						name="email"
						autoComplete="username"
						value={email}
						onInput={(e) => setEmail(e.currentTarget.value)}
					/>
				</Field>
				<Field id="login-password" label="Password" error={fieldError('password')}>
					<input
						type="password"
						name="password"
						autoComplete="current-password"
						value={password}
						onInput={(e) => setPassword(e.currentTarget.value)}
					/>
				</Field>
				<Submit busy={busy} busyText="Logging in…">
					Log in
				</Submit>
				<p class="field-hint">Forgot your password? An admin can set a new one with parley user passwd.</p>
			</form>
		</main>
	);
}
