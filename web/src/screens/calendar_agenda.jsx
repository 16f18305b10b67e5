// The calendar's agenda: the week's days one under another, each with its
// meetings in order as full-width rows (time, title, place). The view a phone
// opens on (seven columns do not fit 390 px), and a view on wide screens too.
import { addDays, fmtLongDay, fmtTime, sameDay, ymd } from '../calendar.js';
import '../styles/phone.css';

// A meeting that started before this day shows "from the day before" instead of a time.
function when(day, m) {
	const s = new Date(m.starts_at);
	const e = new Date(m.ends_at);
	const from = s < day ? 'Earlier' : fmtTime(s);
	const to = e > addDays(day, 1) ? 'later' : fmtTime(e);
	return `${from} – ${to}`;
}

export function AgendaView({ days, map, eventLabel, eventClass, onOpen, onNew }) {
	const now = new Date();
	return (
		<section class="cal-agenda" aria-label="Agenda">
			{days.map((d) => {
				const list = map.get(ymd(d)) || [];
				const today = sameDay(d, now);
				return (
					<div class={`cal-agenda-day${today ? ' cal-today' : ''}`} role="group" aria-label={fmtLongDay(d)} aria-current={today ? 'date' : undefined}>
						<h2 class="cal-agenda-date">
							{fmtLongDay(d)}
							{today && <span class="cal-agenda-today"> · Today</span>}
						</h2>
						{list.length ? (
							<ul class="cal-agenda-list">
								{list.map((m) => (
									<li>
										<button
											type="button"
											class={`cal-agenda-item ${eventClass(m)}`}
											data-meeting={m.id}
											aria-label={eventLabel(m, new Date(m.starts_at), new Date(m.ends_at))}
											onClick={() => onOpen(m)}
										>
											<span class="cal-agenda-time">{when(d, m)}</span>
											<span class="cal-agenda-title">
												{m.kind === 'call' && '☎ '}
												{m.title}
											</span>
											{m.location && <span class="cal-agenda-where muted">{m.location}</span>}
										</button>
									</li>
								))}
							</ul>
						) : (
							<p class="cal-agenda-free muted">
								Nothing planned.{' '}
								<button
									type="button"
									class="link-button"
									aria-label={`Plan a meeting on ${fmtLongDay(d)}`}
									onClick={() => onNew(new Date(d.getFullYear(), d.getMonth(), d.getDate(), 10))}>
									Plan a meeting
								</button>
							</p>
						)}
					</div>
				);
			})}
		</section>
	);
}
