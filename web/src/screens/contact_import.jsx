// Settings → Import contacts: a CSV file (picked or pasted), checked first
// if you like, imported all or nothing, with every bad row listed.
import { useState } from 'preact/hooks';
import { post } from '../api.js';
import { Field, FormError } from '../ui.jsx';
import { label, toast } from '../util.js';

const MAX = 1024 * 1024 - 4096; /* the API takes bodies up to 1 MiB */

export function ContactImport() {
	const [csv, setCsv] = useState('');
	const [file, setFile] = useState('');
	const [report, setReport] = useState(null);
	const [error, setError] = useState(null);
	const [busy, setBusy] = useState(null);

	const pickFile = async (e) => {
		const f = e.currentTarget.files[0];
		if (!f) return;
		setReport(null);
		setError(null);
		if (f.size > MAX) return setError({ field: 'csv', message: `${f.name} is over 1 MB: split it, or use \`parley import contacts\`.` });
		setCsv(await f.text());
		setFile(f.name);
	};

	const run = async (dry) => {
		setError(null);
		setReport(null);
		if (!csv.trim()) return setError({ field: 'csv', message: 'Pick a CSV file or paste its text first.' });
		setBusy(dry ? 'check' : 'import');
		try {
			const r = await post('/contacts/import', { csv, dry_run: dry });
			setReport(r);
			if (!dry && !r.errors.length) {
				toast(`Imported ${r.imported} contacts`);
				setCsv('');
				setFile('');
			}
		} catch (e) {
			setError(e);
		} finally {
			setBusy(null);
		}
	};

	return (
		<section class="card" aria-labelledby="import-title">
			<h2 id="import-title">Import contacts</h2>
			<p class="muted">
				A CSV file whose first row names the columns: first_name, last_name, email, phone, company, owner (a user's email),
				tags, stage, custom.KEY. Every row is checked first; nothing is imported unless all of them are good.
			</p>
			<form class="record-form" onSubmit={(e) => (e.preventDefault(), run(false))} noValidate>
				<Field id="import-file" label="CSV file">
					<input type="file" accept=".csv,text/csv,text/plain" onChange={pickFile} />
				</Field>
				<Field
					id="import-csv"
					label="CSV text"
					error={error && error.field === 'csv' ? error.message : null}
					hint={file ? `From ${file}; you may correct it here.` : 'Or paste the rows here.'}
				>
					<textarea rows={6} class="code" spellcheck={false} value={csv} onInput={(e) => (setCsv(e.currentTarget.value), setReport(null))} />
				</Field>
				<FormError error={error && error.field !== 'csv' ? error : null} />
				<div class="form-actions">
					<button type="button" onClick={() => run(true)} disabled={!!busy}>
						{busy === 'check' ? 'Checking…' : 'Check only'}
					</button>
					<button type="submit" class="primary" disabled={!!busy}>
						{busy === 'import' ? 'Importing…' : 'Import'}
					</button>
				</div>
			</form>
			{report && <Report r={report} />}
		</section>
	);
}

function Report({ r }) {
	if (!r.errors.length)
		return (
			<div class="callout" role="status">
				<p>
					{r.dry_run ? 'All rows are good: importing would add ' : 'Imported '}
					<strong>
						{r.imported} contact{r.imported === 1 ? '' : 's'}
					</strong>
					{r.companies_created > 0 && ` and ${r.companies_created} new compan${r.companies_created === 1 ? 'y' : 'ies'}`}.
				</p>
			</div>
		);
	return (
		<div class="import-errors" role="alert">
			<p class="form-error">
				{r.errors.length} problem{r.errors.length === 1 ? '' : 's'}: nothing was imported. Correct the rows below and try again.
			</p>
			<table class="list">
				<caption class="sr-only">Rows with problems</caption>
				<thead>
					<tr>
						<th scope="col">Line</th>
						<th scope="col">Field</th>
						<th scope="col">Problem</th>
					</tr>
				</thead>
				<tbody>
					{r.errors.map((e, i) => (
						<tr key={i}>
							<td>{e.line}</td>
							<td>{e.field ? label(e.field) : '—'}</td>
							<td>{e.message}</td>
						</tr>
					))}
				</tbody>
			</table>
		</div>
	);
}
