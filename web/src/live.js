// What the event stream brings besides notifications, for any screen that
// wants it: the bell's EventSource (screens/notifications.jsx) passes each
// "mail" event here ({message_id, thread_id, direction}: only mail the user
// may see), and {reconnected: true} after the stream came back, when
// something may have been missed.
const listeners = new Set();

// onMail(fn): calls fn(event) for each new message; returns the unsubscribe.
export function onMail(fn) {
	listeners.add(fn);
	return () => listeners.delete(fn);
}

export function emitMail(event) {
	for (const fn of [...listeners]) fn(event);
}
