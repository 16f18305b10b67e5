// Internal comments on a mail thread, as shared inboxes have them: the team
// talks beside the conversation, with @mentions (the same autocomplete as
// notes; mentioned colleagues who may see the thread are notified). They are
// never sent to the client, and only those who may see one of the thread's
// messages read or write them (the server decides, per message).
import { useEffect, useState } from 'preact/hooks';
import { get, post } from './api.js';
import { MentionInput, resolveMentions } from './mention_input.jsx';
import { ErrorBox, FormError, Loading, Submit } from './ui.jsx';
import { formatDateTime, relativeTime, toast, userName, useUsers } from './util.js';
import './styles/panel.css';

export function ThreadComments({ thread, me }) {
	const users = useUsers();
	const [items, setItems] = useState(null);
	const [error, setError] = useState(null);
	const [body, setBody] = useState('');
	const [busy, setBusy] = useState(false);
	const [formError, setFormError] = useState(null);
	const load = () =>
		get(`/mail/threads/${thread.id}/comments`).then(
			(r) => (setItems(r.items), setError(null)),
			(e) => setError(e),
		);
	useEffect(() => {
		setItems(null);
		load();
	}, [thread.id]);

	const submit = async (e) => {
		e.preventDefault();
		if (!body.trim()) return setFormError({ field: 'body', message: 'Write the comment first.' });
		setBusy(true);
		setFormError(null);
		try {
			const c = await post(`/mail/threads/${thread.id}/comments`, { body, mention_ids: resolveMentions(body, users).ids });
			setItems((old) => [...(old || []), c]);
			setBody('');
			toast('Comment added (internal: never sent).');
		} catch (err) {
			setFormError(err);
		} finally {
			setBusy(false);
		}
	};

	return (
		<section class="thread-comments" aria-labelledby="comments-h">
			<h2 id="comments-h">
				Internal comments <span class="badge">Team only</span>
			</h2>
			{error && <ErrorBox error={error} retry={load} />}
			{!items && !error && <Loading what="the comments" />}
			{items && !items.length && <p class="muted">No comments yet. Comments are seen by the team members who can see this conversation, and never sent.</p>}
			{items && items.length > 0 && (
				<ol class="comment-list" aria-label="Comments">
					{items.map((c) => (
						<li class="comment" key={c.id}>
							<p class="comment-head">
								<strong>{c.author_id ? userName(users, c.author_id) : 'Someone'}</strong>{' '}
								<time class="muted" datetime={c.created_at} title={formatDateTime(c.created_at)}>
									{relativeTime(c.created_at)}
								</time>
							</p>
							<p class="comment-body">{c.body}</p>
						</li>
					))}
				</ol>
			)}
			<form class="comment-form" onSubmit={submit} noValidate>
				<label for="comment-body">Comment</label>
				<MentionInput id="comment-body" value={body} onValue={setBody} me={me} rows={2} placeholder="Only the team sees this. @name tells a colleague." />
				<FormError error={formError} />
				<Submit busy={busy} busyText="Adding…">
					Add comment
				</Submit>
			</form>
		</section>
	);
}
