/* The scheduler's two halves: intake (events -> jobs, each once by its
 * idempotency key, the cursor moved in the same transaction) and execution
 * (claim a due job, run it, record the run; failures retry with exponential
 * backoff and finally notify). A job left "running" by a process that died is
 * run again after SCHEDULER_RUNNING_TIMEOUT; send_template is safe to repeat
 * under the job's key (the outbox dedupes it), see docs/automation.md.
 *
 *   event --(rule's trigger)--> fire:R:E --(conditions hold)--> act:R:E:i --> action
 *   event --(built-in table)--> notifications
 */
#include <ctype.h>
#include <inttypes.h>
#include <string.h>
#include <strings.h>

#include "automation/automation.h"
#include "automation/automation_int.h"
#include "automation/scheduler.h"
#include "automation/work_hours.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/testhook.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/meeting.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define CURSOR_KEY "automation.cursor"

static int64_t wait_of(const struct trigger *t, const json_t *rule)
{
	if (!t->param)
		return 0;
	int64_t n = json_integer_value(json_object_get(json_object_get(rule, "params"), t->param));
	return strcmp(t->param, "hours") == 0 ? n * 3600 : n * 60;
}

/* wh: the working hours, or NULL. email.unanswered's wait counts only them. */
static int fire_rules(struct store *st, const json_t *rules, const json_t *ev, int64_t now,
		      const struct work_hours *wh, struct arena *a, struct err *err)
{
	size_t i;
	json_t *rule;
	const char *type = json_get_str(ev, "type");
	int64_t eid = json_integer_value(json_object_get(ev, "id"));
	json_array_foreach(rules, i, rule)
	{
		const struct trigger *t = trigger_find(json_get_str(rule, "trigger"));
		if (!t || strcmp(t->event, type) != 0)
			continue;
		int64_t rid = json_integer_value(json_object_get(rule, "id"));
		int64_t run_at = now + wait_of(t, rule);
		if (wh && strcmp(t->name, "email.unanswered") == 0)
			run_at = work_hours_add(wh, now, wait_of(t, rule));
		if (strcmp(t->name, "meeting.upcoming") ==
		    0) /* before the start, not after the event */
			run_at = json_integer_value(
				     json_object_get(json_object_get(ev, "payload"), "starts_at")) -
				 wait_of(t, rule);
		bool created;
		if (store_job_add(st, rid, eid, "fire", NULL, run_at,
				  arena_printf(a, "fire:%" PRId64 ":%" PRId64, rid, eid), &created,
				  err) < 0)
			return -1;
	}
	return 0;
}

/* ---- built-in notifications: one table of event type -> whom to tell ---- */

/* What a mailbox's health means, in the words of a notification's title. */
static const struct {
	const char *health;
	const char *says;
} health_words[] = {
    {"ok", "is connected"},
    {"auth_failed", "cannot log in: the password was refused"},
    {"unreachable", "cannot reach its server"},
    {"needs_reauth", "needs to be authorised again"},
    {"new", "is waiting for its first sync"},
};

static const char *health_says(const char *health, struct arena *a)
{
	if (!health)
		return "changed its state";
	for (size_t i = 0; i < sizeof(health_words) / sizeof(health_words[0]); i++)
		if (strcmp(health_words[i].health, health) == 0)
			return health_words[i].says;
	return arena_printf(a, "changed its state to %s", health);
}

static int notify_health(struct store *st, const json_t *ev, struct arena *a, struct err *err)
{
	const json_t *p = json_object_get(ev, "payload");
	struct mail_account *m;
	if (store_account_get(st, json_integer_value(json_object_get(p, "id")), a, &m, err) != 1 ||
	    !m->owner_id)
		return 0;
	return store_notify(
	    st, m->owner_id, "mailbox",
	    arena_printf(a, "Mailbox '%s' %s", m->name, health_says(json_get_str(p, "to"), a)),
	    json_get_str(p, "error") ? json_get_str(p, "error") : "",
	    arena_printf(a, "/settings/mail/%" PRId64, m->id), err);
}

static int notify_task(struct store *st, const json_t *ev, struct arena *a, struct err *err)
{
	const json_t *p = json_object_get(ev, "payload");
	int64_t actor = json_integer_value(json_object_get(ev, "actor_id"));
	int64_t id = json_integer_value(json_object_get(ev, "entity_id"));
	int64_t assignee = json_integer_value(json_object_get(p, "assignee_id"));
	const json_t *ch = json_object_get(json_object_get(p, "changes"), "assignee_id");
	if (ch)
		assignee = json_integer_value(json_array_get(ch, 1));
	else if (strcmp(json_get_str(ev, "type"), "task.updated") == 0)
		return 0;
	json_t *task;
	if (!assignee || assignee == actor ||
	    store_record_get(st, &task_def, id, a, &task, err) != 1)
		return 0;
	return store_notify(st, assignee, "task",
			    arena_printf(a, "Task for you: %s", json_get_str(task, "title")), "",
			    arena_printf(a, "/tasks/%" PRId64, id), err);
}

/* ---- new client mail: who hears of it ---- */

#define MAIL_NOTIFY_MAX 20 /* contacts and deals looked at per message */

/* Notifies uid of message msg unless uid was told already (told[], *ntold)
   or may not see the message (an inactive user, someone else's personal
   mailbox). 1 if told, 0 if not, -1. */
static int tell(struct store *st, int64_t uid, int64_t msg, const char *title, const char *link,
		int64_t *told, size_t *ntold, struct arena *a, struct err *err)
{
	struct user *u;
	for (size_t i = 0; i < *ntold; i++)
		if (told[i] == uid)
			return 0;
	int r = uid ? store_user_get(st, uid, a, &u, err) : 0;
	if (r <= 0 || !u->active)
		return r < 0 ? -1 : 0;
	struct mail_viewer v = {uid, u->role == USER_ADMIN};
	if ((r = store_message_visible(st, msg, &v, err)) <= 0)
		return r;
	told[(*ntold)++] = uid;
	return store_notify(st, uid, "mail", title, "", link, err) < 0 ? -1 : 1;
}

/* The owners of the records (contacts or deals) listed in ids who may see the
   message, each told once. */
static int tell_owners(struct store *st, const struct entity_def *def, const json_t *ids,
		       int64_t msg, const char *title, const char *link, int64_t *told,
		       size_t *ntold, struct arena *a, struct err *err)
{
	size_t i;
	json_t *id, *rec;
	json_array_foreach(ids, i, id)
	{
		int r = i < MAIL_NOTIFY_MAX
			    ? store_record_get(st, def, json_integer_value(id), a, &rec, err)
			    : 0;
		if (r < 0 ||
		    (r == 1 && tell(st, json_integer_value(json_object_get(rec, "owner_id")), msg,
				    title, link, told, ntold, a, err) < 0))
			return -1;
	}
	return 0;
}

/* New mail from a client goes to the owners of its contacts, else of its
   deals, else (mail in a personal mailbox) to the mailbox's owner: whoever of
   them may see it. Old mail a first sync finds (backfill) is not news. */
static int notify_reply(struct store *st, const json_t *ev, struct arena *a, struct err *err)
{
	const json_t *p = json_object_get(ev, "payload");
	const json_t *contacts = json_object_get(p, "contact_ids");
	int64_t msg = json_integer_value(json_object_get(p, "message_id"));
	json_t *c;
	if (json_is_true(json_object_get(p, "backfill")) || !json_array_size(contacts) ||
	    store_record_get(st, &contact_def, json_integer_value(json_array_get(contacts, 0)), a,
			     &c, err) != 1)
		return 0;
	const char *f = json_get_str(c, "first_name"), *l = json_get_str(c, "last_name");
	const char *title = arena_printf(a, "Mail from %s%s%s", f ? f : "", f && l ? " " : "",
					 l ? l : ""),
		   *link =
		       arena_printf(a, "/mail/threads/%" PRId64,
				    (int64_t)json_integer_value(json_object_get(p, "thread_id")));
	int64_t told[MAIL_NOTIFY_MAX + 1] = {0};
	size_t ntold = 0;
	if (tell_owners(st, &contact_def, contacts, msg, title, link, told, &ntold, a, err) < 0 ||
	    (!ntold && tell_owners(st, &deal_def, json_object_get(p, "deal_ids"), msg, title, link,
				   told, &ntold, a, err) < 0))
		return -1;
	if (!ntold && tell(st, json_integer_value(json_object_get(p, "owner_id")), msg, title, link,
			   told, &ntold, a, err) < 0)
		return -1;
	return 0;
}

/* Where a note's notification leads: the first record it is about. */
static const char *note_link(const json_t *note, struct arena *a)
{
	static const struct {
		const char *field, *page;
	} pages[] = {{"deal_id", "deals"}, {"contact_id", "contacts"}, {"company_id", "companies"}};
	for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
		const json_t *id = json_object_get(note, pages[i].field);
		if (json_is_integer(id))
			return arena_printf(a, "/%s/%" PRId64, pages[i].page,
					    (int64_t)json_integer_value(id));
	}
	return NULL;
}

/* Whether body mentions the user with this address as text: "@ada@example.com"
   or "@ada" (the local part). "bob@ada" is part of an address, not a mention. */
static bool text_mentions(const char *body, const char *email)
{
	size_t local = strcspn(email, "@"), n = strlen(email);
	for (const char *m = strchr(body, '@'); m; m = strchr(m + 1, '@')) {
		if (m > body && (isalnum((unsigned char)m[-1]) || m[-1] == '.'))
			continue; /* part of an address, not a mention */
		const char *w = m + 1;
		if ((strncasecmp(w, email, n) == 0 && !isalnum((unsigned char)w[n])) ||
		    (strncasecmp(w, email, local) == 0 && !isalnum((unsigned char)w[local]) &&
		     w[local] != '@' && w[local] != '.'))
			return true;
	}
	return false;
}

static bool id_listed(const json_t *ids, int64_t id)
{
	size_t i;
	const json_t *v;
	json_array_foreach(ids, i, v) if (json_integer_value(v) == id) return true;
	return false;
}

/* Notifies the users a note or a comment mentions: those it names in
   mention_ids (picked from the @-autocomplete) and those its body names by
   address, except its author and deactivated users. thread_id > 0: only those
   who may see one of that thread's messages. */
static int notify_mentioned(struct store *st, const json_t *p, int64_t author, const char *title,
			    const char *link, int64_t thread_id, struct arena *a, struct err *err)
{
	const char *body = json_get_str(p, "body");
	const json_t *ids = json_object_get(p, "mention_ids");
	json_t *users;
	if (!body || (!strchr(body, '@') && !json_array_size(ids)))
		return 0;
	if (store_user_list(st, a, &users, err) < 0)
		return -1;
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u)
	{
		int64_t uid = json_integer_value(json_object_get(u, "id"));
		if (!(id_listed(ids, uid) || text_mentions(body, json_get_str(u, "email"))) ||
		    uid == author || !json_is_true(json_object_get(u, "active")))
			continue;
		if (thread_id > 0) {
			const char *role = json_get_str(u, "role");
			struct mail_viewer v = {uid, role && strcmp(role, "admin") == 0};
			int r = store_thread_visible(st, thread_id, &v, err);
			if (r < 0)
				return -1;
			if (r == 0)
				continue;
		}
		if (store_notify(st, uid, "mention", title, body, link, err) < 0)
			return -1;
	}
	return 0;
}

static int notify_mentions(struct store *st, const json_t *ev, struct arena *a, struct err *err)
{
	const json_t *p = json_object_get(ev, "payload");
	return notify_mentioned(st, p, json_integer_value(json_object_get(ev, "actor_id")),
				"You were mentioned in a note", note_link(p, a), 0, a, err);
}

static int notify_comment(struct store *st, const json_t *ev, struct arena *a, struct err *err)
{
	const json_t *p = json_object_get(ev, "payload");
	int64_t thread = json_integer_value(json_object_get(p, "thread_id"));
	return notify_mentioned(st, p, json_integer_value(json_object_get(ev, "actor_id")),
				"You were mentioned in a comment on a conversation",
				arena_printf(a, "/mail/threads/%" PRId64, thread), thread, a, err);
}

static const struct {
	const char *event;
	int (*fn)(struct store *st, const json_t *ev, struct arena *a, struct err *err);
} builtin[] = {
    {"note.created", notify_mentions}, {"mail_account.health_changed", notify_health},
    {"task.created", notify_task},     {"task.updated", notify_task},
    {"email.received", notify_reply},  {"thread_comment.created", notify_comment},
};

static int notify_builtin(struct store *st, const json_t *ev, struct arena *a, struct err *err)
{
	for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
		if (strcmp(builtin[i].event, json_get_str(ev, "type")) == 0)
			return builtin[i].fn(st, ev, a, err);
	return 0;
}

/* The working_hours setting: 1 and *wh, 0 if unset (or unusable: logged), -1. */
static int load_work_hours(struct store *st, struct arena *a, struct work_hours *wh,
			   struct err *err)
{
	json_t *v;
	struct err e2 = {0};
	int r = store_setting_get(st, WORK_HOURS_SETTING, a, &v, err);
	if (r <= 0 || json_is_null(v))
		return r < 0 ? -1 : 0;
	if (work_hours_parse(v, wh, &e2) < 0) {
		log_warn("automation: the working_hours setting is ignored: %s", e2.msg);
		return 0;
	}
	return 1;
}

/* Reads a batch of new events; the cursor moves in the same transaction. */
static int intake(struct store *st, int64_t now, struct arena *a, int *done, struct err *err)
{
	json_t *cur, *events, *rules;
	int64_t cursor = 0, last;
	int r = store_setting_get(st, CURSOR_KEY, a, &cur, err);
	if (r < 0)
		return -1;
	if (r == 0) { /* first start: history is not replayed */
		if (store_event_last(st, &last, err) < 0)
			return -1;
		json_t *v = json_in_arena(a, json_integer(last));
		return store_setting_set(st, CURSOR_KEY, v, err);
	}
	cursor = json_integer_value(cur);
	if (store_event_list(st, cursor, SCHEDULER_EVENT_BATCH, a, &events, err) < 0)
		return -1;
	if (!json_array_size(events))
		return 0;
	struct work_hours wh;
	int has_wh = load_work_hours(st, a, &wh, err);
	if (has_wh < 0 || store_rule_list(st, true, a, &rules, err) < 0 ||
	    store_tx_begin(st, err) < 0)
		return -1;
	size_t i;
	json_t *ev;
	json_array_foreach(events, i, ev)
	{
		if (fire_rules(st, rules, ev, now, has_wh ? &wh : NULL, a, err) < 0 ||
		    notify_builtin(st, ev, a, err) < 0)
			goto fail;
		cursor = json_integer_value(json_object_get(ev, "id"));
		(*done)++;
	}
	json_t *v = json_in_arena(a, json_integer(cursor));
	if (store_setting_set(st, CURSOR_KEY, v, err) < 0)
		goto fail;
	return store_tx_commit(st, err);
fail:
	store_tx_rollback(st);
	return -1;
}

/* ---- execution ---- */

struct job_run {
	struct store *st;
	const struct automation_env *env;
	struct job *job;
	json_t *rule, *event;
	int64_t now;
	struct arena *a;
};

static int load_context(struct job_run *jr, struct automation_ctx *c, struct err *err)
{
	memset(c, 0, sizeof(*c));
	c->st = jr->st;
	c->a = jr->a;
	c->rule = jr->rule;
	c->event = jr->event;
	c->key = jr->job->key;
	c->now = jr->now;
	c->base_url = jr->env->base_url;
	c->mail_host = jr->env->mail_host;
	if (tmpl_subject_from_event(jr->st, jr->event, jr->a, &c->subj, err) < 0 ||
	    tmpl_context_build(jr->st, &c->subj, jr->env->base_url, jr->a, &c->ctx, err) < 0)
		return -1;
	json_object_set(c->ctx, "event", jr->event);
	return 0;
}

/* Trigger-specific checks made when a waiting trigger fires: 1 it still
   applies, 0 not (detail says why), -1 error. */
static int meeting_still_on(struct job_run *jr, json_t *detail, struct err *err)
{
	const json_t *p = json_object_get(jr->event, "payload");
	json_t *m;
	int r = store_record_get(jr->st, &meeting_def, json_integer_value(json_object_get(p, "id")),
				 jr->a, &m, err);
	if (r < 0)
		return -1;
	const char *why = r == 0 ? "the meeting was deleted"
			  : strcmp(json_get_str(m, "status"), "cancelled") == 0
			      ? "the meeting was cancelled"
			  : meeting_time(json_object_get(m, "starts_at")) !=
				  json_integer_value(json_object_get(p, "starts_at"))
			      ? "the meeting was moved (its new time has a run of its own)"
			      : NULL;
	if (why)
		json_object_set_new(detail, "skipped", json_string(why));
	return !why;
}

static int still_applies(struct job_run *jr, json_t *detail, struct err *err)
{
	const json_t *p = json_object_get(jr->event, "payload");
	if (strcmp(json_get_str(jr->rule, "trigger"), "meeting.upcoming") == 0)
		return meeting_still_on(jr, detail, err);
	if (strcmp(json_get_str(jr->rule, "trigger"), "email.unanswered") != 0)
		return 1;
	if (!json_array_size(json_object_get(p, "contact_ids"))) {
		json_object_set_new(detail, "skipped", json_string("not mail from a client"));
		return 0;
	}
	int r = store_thread_answered(jr->st, json_integer_value(json_object_get(p, "thread_id")),
				      json_integer_value(json_object_get(p, "message_id")), err);
	if (r == 1)
		json_object_set_new(detail, "skipped", json_string("answered"));
	return r < 0 ? -1 : !r;
}

static int run_fire(struct job_run *jr, json_t *detail, struct err *err)
{
	struct automation_ctx c;
	if (!json_is_true(json_object_get(jr->rule, "enabled"))) {
		json_object_set_new(detail, "skipped", json_string("the rule is disabled"));
		return 0;
	}
	int applies = still_applies(jr, detail, err);
	if (applies <= 0)
		return applies;
	if (load_context(jr, &c, err) < 0)
		return -1;
	if (!rule_conditions_hold(json_object_get(jr->rule, "conditions"), c.ctx)) {
		json_object_set_new(detail, "skipped", json_string("conditions not met"));
		return 0;
	}
	size_t i;
	json_t *ac;
	json_array_foreach(json_object_get(jr->rule, "actions"), i, ac)
	{
		bool created;
		int64_t delay = json_integer_value(json_object_get(ac, "delay_minutes")) * 60;
		if (store_job_add(jr->st, jr->job->rule_id, jr->job->event_id, "action",
				  json_in_arena(jr->a, json_pack("{sI}", "index", (json_int_t)i)),
				  jr->now + delay,
				  arena_printf(jr->a, "act:%" PRId64 ":%" PRId64 ":%zu",
					       jr->job->rule_id, jr->job->event_id, i),
				  &created, err) < 0)
			return -1;
	}
	json_object_set_new(
	    detail, "actions",
	    json_integer((json_int_t)json_array_size(json_object_get(jr->rule, "actions"))));
	return 0;
}

static int run_action(struct job_run *jr, json_t *detail, struct err *err)
{
	struct automation_ctx c;
	size_t idx = (size_t)json_integer_value(json_object_get(jr->job->payload, "index"));
	const json_t *ac = json_array_get(json_object_get(jr->rule, "actions"), idx);
	const struct action *def = ac ? action_find(json_get_str(ac, "type")) : NULL;
	if (!def) {
		json_object_set_new(detail, "skipped", json_string("the action was removed"));
		return 0;
	}
	json_object_set_new(detail, "action", json_string(def->name));
	if (load_context(jr, &c, err) < 0)
		return -1;
	testhook_crash("action.before");
	if (def->run(&c, ac, detail, err) < 0)
		return -1;
	testhook_crash("action.after");
	return 0;
}

static void record_failure(struct job_run *jr, const char *msg, bool final)
{
	struct err e2;
	int64_t creator = 0;
	json_t *detail = json_in_arena(jr->a, json_pack("{sssb}", "error", msg, "final", final));
	if (store_rule_run_add(jr->st, jr->job->rule_id, jr->job->event_id, jr->job->id, "failed",
			       detail, &e2) < 0)
		log_error("automation: cannot log run of job %" PRId64 ": %s", jr->job->id, e2.msg);
	if (!final ||
	    store_query_int(jr->st, "SELECT created_by FROM rules WHERE id = ?", &creator, &e2, 1,
			    jr->job->rule_id) != 1 ||
	    !creator)
		return;
	store_notify(jr->st, creator, "rule",
		     arena_printf(jr->a, "Rule '%s' failed", json_get_str(jr->rule, "name")), msg,
		     arena_printf(jr->a, "/rules/%" PRId64, jr->job->rule_id), &e2);
}

static int run_job(struct store *st, const struct automation_env *env, struct job *job, int64_t now,
		   struct arena *a, struct err *err)
{
	struct job_run jr = {st, env, job, NULL, NULL, now, a};
	json_t *detail = json_in_arena(a, json_object());
	int r1 = store_rule_get(st, job->rule_id, a, &jr.rule, err);
	int r2 = r1 == 1 ? store_event_get(st, job->event_id, a, &jr.event, err) : r1;
	if (r1 < 0 || r2 < 0)
		return -1;
	if (r1 == 0 || r2 == 0) /* the rule or event is gone: nothing to do */
		return store_job_finish(st, job->id, "done", "gone", now, err);
	struct err jerr = {0};
	int r = strcmp(job->kind, "fire") == 0 ? run_fire(&jr, detail, &jerr)
					       : run_action(&jr, detail, &jerr);
	if (r == 0) {
		const char *status = json_object_get(detail, "skipped") ? "skipped"
				     : strcmp(job->kind, "fire") == 0	? "fired"
									: "ok";
		if (store_rule_run_add(st, job->rule_id, job->event_id, job->id, status, detail,
				       err) < 0)
			return -1;
		return store_job_finish(st, job->id, "done", NULL, now, err);
	}
	bool final = jerr.code == ERR_INVALID || job->attempts >= SCHEDULER_MAX_ATTEMPTS;
	int64_t next =
	    now + ((int64_t)SCHEDULER_RETRY_BASE << (job->attempts < 20 ? job->attempts : 20));
	record_failure(&jr, jerr.msg, final);
	return store_job_finish(st, job->id, final ? "failed" : "pending", jerr.msg, next, err);
}

int scheduler_step(struct store *st, const struct automation_env *env, int64_t now, int max_jobs,
		   int *done_r, struct err *err)
{
	struct arena *a = arena_new();
	int rc = 0;
	*done_r = 0;
	/* A job "running" for this long belongs to a process that died: run it
	   again (its actions are safe to repeat under the job's key). */
	if (store_job_recover(st, now - SCHEDULER_RUNNING_TIMEOUT, err) < 0 ||
	    intake(st, now, a, done_r, err) < 0)
		rc = -1;
	for (int i = 0; rc == 0 && i < max_jobs; i++) {
		size_t mark = arena_mark(a);
		struct job *job;
		int r = store_job_claim(st, now, a, &job, err);
		if (r <= 0) {
			rc = r;
			break;
		}
		if (run_job(st, env, job, now, a, err) < 0)
			rc = -1;
		(*done_r)++;
		arena_reset(a, mark);
	}
	arena_free(&a);
	return rc;
}
