/* Unit tests for the Today feed (store_today.c) on every backend, and the
 * user's day in a time zone (core/today.c). */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "store_fixture.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/message.h"
#include "core/today.h"
#include "core/user.h"
#include "mail/mime/mime_parse.h"
#include "store/store.h"

struct tfx {
	struct test_store ts;
	struct store *st;
	struct arena *a;
	struct entity_env env;
	struct err err;
	int64_t maria, james;
	int64_t shared_inbox, maria_inbox, next_uid;
	struct today_span day;
};

static bool tfx_open(struct tfx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = arena_new();
	if (!test_store_new(&fx->ts) || store_open(fx->ts.url, &fx->st, &fx->err) < 0 ||
	    store_migrate(fx->st, &fx->err) < 0 ||
	    store_entity_env(fx->st, fx->a, &fx->env, &fx->err) < 0 ||
	    store_user_create(fx->st, "maria@parley.test", "María", USER_MANAGER, NULL, &fx->maria,
			      &fx->err) < 0 ||
	    store_user_create(fx->st, "james@parley.test", "James", USER_MANAGER, NULL, &fx->james,
			      &fx->err) < 0)
		return false;
	/* a shared team mailbox, and María's own */
	for (int i = 0; i < 2; i++) {
		struct mail_account m = {.name = i ? "maria" : "team",
					 .email = i ? "maria@parley.test" : "team@parley.test",
					 .imap_url = "imap://127.0.0.1",
					 .smtp_url = "smtp://127.0.0.1",
					 .username = "u",
					 .auth = "password",
					 .owner_id = i ? fx->maria : 0,
					 .shared = i == 0,
					 .enabled = true,
					 .health = "new",
					 .progress = "{}"};
		int64_t acct;
		if (store_account_create(fx->st, &m, &acct, &fx->err) < 0 ||
		    store_folder_upsert(fx->st, acct, "INBOX", NULL, true,
					i ? &fx->maria_inbox : &fx->shared_inbox, &fx->err) < 0)
			return false;
	}
	int64_t now = time_now();
	fx->day = (struct today_span){now, now - 3600, now + 3600, now + 12 * 3600, "UTC"};
	return true;
}

static void tfx_close(struct tfx *fx)
{
	store_close(&fx->st);
	arena_free(&fx->a);
	test_store_remove(&fx->ts);
}

static int64_t create(struct tfx *fx, const struct entity_def *def, int64_t actor, const char *json)
{
	json_t *in = json_in_arena(fx->a, json_loads(json, 0, NULL)), *rec, *out;
	if (entity_validate(def, in, NULL, &fx->env, fx->a, &rec, &fx->err) < 0 ||
	    store_record_create(fx->st, def, rec, actor, fx->a, &out, &fx->err) < 0) {
		printf("#   create %s: %s\n", def->name, fx->err.msg);
		return 0;
	}
	return json_integer_value(json_object_get(out, "id"));
}

static const char *at(struct tfx *fx, int64_t t)
{
	char s[TIME_ISO_MAX];
	time_format_iso(t, s);
	return arena_strdup(fx->a, s);
}

/* Ingests an unread message from -> to into folder; returns its thread id or 0. */
static int64_t ingest(struct tfx *fx, int64_t folder, const char *to, const char *mid,
		      const char *from, const char *refs)
{
	const char *raw = arena_printf(
	    fx->a,
	    "Message-ID: <%s>\r\nFrom: %s\r\nTo: %s\r\nSubject: Offer\r\nDate: Mon, 7 Dec 2026 "
	    "10:00:00 +0000\r\n%s%s%s\r\nHello from %s\r\n",
	    mid, from, to, refs ? "In-Reply-To: <" : "", refs ? refs : "", refs ? ">\r\n" : "",
	    from);
	struct message *m;
	if (mime_parse((struct slice){raw, strlen(raw)}, fx->a, &m, &fx->err) < 0)
		return 0;
	struct store_ingest in = {.folder_id = folder,
				  .uid = ++fx->next_uid,
				  .msg = m,
				  .raw_sha256 = "00",
				  .size = strlen(raw),
				  .account_email = to,
				  .owner_id = folder == fx->maria_inbox ? fx->maria : 0,
				  .text = m->text};
	int64_t id = 0, thread = 0;
	bool isnew;
	if (store_message_ingest(fx->st, &in, fx->a, &id, &isnew, &fx->err) < 0 ||
	    store_query_int(fx->st, "SELECT thread_id FROM messages WHERE id = ?", &thread,
			    &fx->err, 1, id) != 1) {
		printf("#   ingest: %s\n", fx->err.msg);
		return 0;
	}
	return thread;
}

static json_t *feed(struct tfx *fx, int64_t user)
{
	struct mail_viewer v = {user, false};
	json_t *f = NULL;
	if (store_today(fx->st, &v, &fx->day, fx->a, &f, &fx->err) < 0)
		printf("#   store_today: %s\n", fx->err.msg);
	return f;
}

/* The item of feed f with key, or NULL. */
static json_t *item(json_t *f, const char *key)
{
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(f, "items"), i,
			   it) if (strcmp(json_get_str(it, "key"), key) == 0) return it;
	return NULL;
}

static int64_t count(json_t *f, const char *what)
{
	return json_integer_value(json_object_get(json_object_get(f, "counts"), what));
}

static void test_today__feed_kinds_and_visibility(void)
{
	struct tfx fx;
	CHECK_MSG(tfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	int64_t now = fx.day.now;
	/* Bob is James's client, Carol María's. */
	int64_t bob =
	    create(&fx, &contact_def, fx.james,
		   arena_printf(a,
				"{\"first_name\":\"Bob\",\"emails\":[\"bob@client.test\"],"
				"\"owner_id\":%lld}",
				(long long)fx.james));
	int64_t carol = create(&fx, &contact_def, fx.maria,
			       arena_printf(a,
					    "{\"first_name\":\"Carol\",\"emails\":[\"carol@client."
					    "test\"],\"owner_id\":%lld}",
					    (long long)fx.maria));
	CHECK(bob > 0 && carol > 0);
	int64_t t_shared = ingest(&fx, fx.shared_inbox, "team@parley.test", "s1@client.test",
				  "bob@client.test", NULL);
	int64_t t_carol = ingest(&fx, fx.shared_inbox, "team@parley.test", "c1@client.test",
				 "carol@client.test", NULL);
	/* Bob writes to María's own mailbox: linked to James's contact, private to María */
	int64_t t_private = ingest(&fx, fx.maria_inbox, "maria@parley.test", "p1@client.test",
				   "bob@client.test", NULL);
	int64_t t_unlinked = ingest(&fx, fx.maria_inbox, "maria@parley.test", "u1@nobody.test",
				    "stranger@nobody.test", NULL);
	CHECK(t_shared && t_carol && t_private && t_unlinked);
	/* tasks: María's overdue, due later today, due tomorrow; James's overdue */
	const char *task = "{\"title\":\"%s\",\"due_at\":\"%s\",\"assignee_id\":%lld}";
	int64_t late =
	    create(&fx, &task_def, fx.maria,
		   arena_printf(a, task, "late", at(&fx, now - 600), (long long)fx.maria));
	int64_t due = create(&fx, &task_def, fx.maria,
			     arena_printf(a, task, "due", at(&fx, now + 600), (long long)fx.maria));
	int64_t later =
	    create(&fx, &task_def, fx.maria,
		   arena_printf(a, task, "later", at(&fx, now + 7200), (long long)fx.maria));
	int64_t jtask =
	    create(&fx, &task_def, fx.james,
		   arena_printf(a, task, "james", at(&fx, now - 60), (long long)fx.james));
	CHECK(late && due && later && jtask);
	/* meetings: María's now; one James attends; a cancelled one */
	const char *mt =
	    "{\"title\":\"%s\",\"starts_at\":\"%s\",\"ends_at\":\"%s\",\"owner_id\":%lld,"
	    "\"attendees\":[{\"user_id\":%lld}]%s}";
	int64_t m1 = create(&fx, &meeting_def, fx.maria,
			    arena_printf(a, mt, "review", at(&fx, now - 60), at(&fx, now + 600),
					 (long long)fx.maria, (long long)fx.james, ""));
	int64_t m2 = create(&fx, &meeting_def, fx.maria,
			    arena_printf(a, mt, "gone", at(&fx, now + 60), at(&fx, now + 600),
					 (long long)fx.maria, (long long)fx.james,
					 ",\"status\":\"cancelled\""));
	CHECK(m1 && m2);
	/* notifications: a mention, and one about the task due (folded into it) */
	CHECK(store_notify(fx.st, fx.maria, "mention", "You were mentioned", "@maria", "/deals/1",
			   &fx.err) == 0);
	CHECK(store_notify(fx.st, fx.maria, "task", "Task for you: due", "",
			   arena_printf(a, "/tasks/%lld", (long long)due), &fx.err) == 0);

	json_t *f = feed(&fx, fx.maria);
	CHECK(f != NULL);
	CHECK(item(f, arena_printf(a, "meeting:%lld", (long long)m1)) != NULL);
	CHECK(item(f, arena_printf(a, "meeting:%lld", (long long)m2)) == NULL);
	json_t *tl = item(f, arena_printf(a, "task:%lld", (long long)late));
	json_t *td = item(f, arena_printf(a, "task:%lld", (long long)due));
	CHECK(tl && json_is_true(json_object_get(tl, "overdue")));
	CHECK(td && json_is_false(json_object_get(td, "overdue")));
	CHECK_INT(json_array_size(json_object_get(td, "notification_ids")), 1);
	CHECK(item(f, arena_printf(a, "task:%lld", (long long)later)) == NULL);
	CHECK(item(f, arena_printf(a, "task:%lld", (long long)jtask)) == NULL);
	/* María's mail: Carol's (her contact, shared mailbox) and Bob's in her own
	   mailbox; not Bob's in the team mailbox (James's client), not the stranger's */
	CHECK(item(f, arena_printf(a, "thread:%lld", (long long)t_carol)) != NULL);
	CHECK(item(f, arena_printf(a, "thread:%lld", (long long)t_private)) != NULL);
	CHECK(item(f, arena_printf(a, "thread:%lld", (long long)t_shared)) == NULL);
	CHECK(item(f, arena_printf(a, "thread:%lld", (long long)t_unlinked)) == NULL);
	CHECK_INT(count(f, "mentions"), 1);
	CHECK_INT(count(f, "notifications"), 0);
	CHECK_INT(count(f, "overdue_tasks"), 1);
	CHECK_INT(count(f, "unread_notifications"), 2);
	CHECK_INT(count(f, "total"), json_array_size(json_object_get(f, "items")));
	CHECK_STR(json_get_str(json_array_get(json_object_get(f, "items"), 0), "kind"), "meeting");

	/* James: his task, the meeting he attends, Bob's shared mail; never the
	   mail in María's mailbox although Bob is his contact */
	json_t *g = feed(&fx, fx.james);
	CHECK(g != NULL);
	CHECK(item(g, arena_printf(a, "task:%lld", (long long)jtask)) != NULL);
	CHECK(item(g, arena_printf(a, "meeting:%lld", (long long)m1)) != NULL);
	CHECK(item(g, arena_printf(a, "thread:%lld", (long long)t_shared)) != NULL);
	CHECK(item(g, arena_printf(a, "thread:%lld", (long long)t_private)) == NULL);
	CHECK(item(g, arena_printf(a, "task:%lld", (long long)late)) == NULL);
	CHECK_INT(count(g, "mentions") + count(g, "notifications"), 0);
	tfx_close(&fx);
}

static void test_today__snoozes(void)
{
	struct tfx fx;
	CHECK_MSG(tfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	int64_t now = fx.day.now;
	int64_t carol = create(&fx, &contact_def, fx.maria,
			       arena_printf(a,
					    "{\"first_name\":\"Carol\",\"emails\":[\"carol@client."
					    "test\"],\"owner_id\":%lld}",
					    (long long)fx.maria));
	int64_t thread = ingest(&fx, fx.shared_inbox, "team@parley.test", "c1@client.test",
				"carol@client.test", NULL);
	int64_t late =
	    create(&fx, &task_def, fx.maria,
		   arena_printf(a, "{\"title\":\"late\",\"due_at\":\"%s\",\"assignee_id\":%lld}",
				at(&fx, now - 600), (long long)fx.maria));
	CHECK(carol && thread && late);
	struct mail_viewer maria = {fx.maria, false}, james = {fx.james, false};
	/* not James's to snooze: the same answer as for nothing at all */
	CHECK(store_today_snooze(fx.st, &james, "task", late, now + 60, now, &fx.err) < 0);
	CHECK_INT(fx.err.code, ERR_NOTFOUND);
	CHECK(store_today_snooze(fx.st, &maria, "task", 999999, now + 60, now, &fx.err) < 0);
	CHECK_INT(fx.err.code, ERR_NOTFOUND);
	CHECK(store_today_snooze(fx.st, &maria, "meeting", 1, now + 60, now, &fx.err) < 0);
	/* the mail came two minutes ago; snoozed a minute ago, until in an hour:
	   both hidden, counted */
	CHECK(store_exec_ints(fx.st, "UPDATE messages SET created_at = ?", &fx.err, 1, now - 120) ==
	      0);
	CHECK(store_today_snooze(fx.st, &maria, "task", late, now + 3600, now - 60, &fx.err) == 0);
	CHECK(store_today_snooze(fx.st, &maria, "thread", thread, now + 3600, now - 60, &fx.err) ==
	      0);
	json_t *f = feed(&fx, fx.maria);
	CHECK(item(f, arena_printf(a, "task:%lld", (long long)late)) == NULL);
	CHECK(item(f, arena_printf(a, "thread:%lld", (long long)thread)) == NULL);
	CHECK_INT(count(f, "snoozed"), 2);
	/* James's feed knows nothing of María's snoozes */
	CHECK_INT(count(feed(&fx, fx.james), "snoozed"), 0);
	/* new mail in the conversation brings it back at once */
	CHECK(ingest(&fx, fx.shared_inbox, "team@parley.test", "c2@client.test",
		     "carol@client.test", "c1@client.test") == thread);
	f = feed(&fx, fx.maria);
	json_t *t = item(f, arena_printf(a, "thread:%lld", (long long)thread));
	CHECK(t != NULL);
	CHECK_INT(json_integer_value(json_object_get(t, "unread")), 2);
	/* a snooze over: back; a snooze removed (until 0): back */
	fx.day.now = now + 3600;
	CHECK(item(feed(&fx, fx.maria), arena_printf(a, "task:%lld", (long long)late)) != NULL);
	fx.day.now = now;
	CHECK(store_today_snooze(fx.st, &maria, "task", late, 0, now, &fx.err) == 0);
	CHECK(item(feed(&fx, fx.maria), arena_printf(a, "task:%lld", (long long)late)) != NULL);
	tfx_close(&fx);
}

/* The day in a time zone: 23 hours when the clocks go forward, tomorrow
   morning at 08:00 on the wall clock. */
static void test_today__span_in_a_zone(void)
{
	int64_t t, s, e, m;
	char b[TIME_ISO_MAX];
	CHECK(time_parse_iso("2026-03-29T12:00:00Z", &t) == 0); /* Europe: summer time starts */
	today_span(t, "Europe/Madrid", &s, &e, &m);
	time_format_iso(s, b);
	CHECK_STR(b, "2026-03-28T23:00:00Z");
	time_format_iso(e, b);
	CHECK_STR(b, "2026-03-29T22:00:00Z");
	time_format_iso(m, b);
	CHECK_STR(b, "2026-03-30T06:00:00Z");
	/* late evening in New York is still that day there, the next in UTC */
	CHECK(time_parse_iso("2026-12-08T03:30:00Z", &t) == 0);
	today_span(t, "America/New_York", &s, &e, &m);
	time_format_iso(s, b);
	CHECK_STR(b, "2026-12-07T05:00:00Z");
	today_span(t, "UTC", &s, &e, &m);
	time_format_iso(s, b);
	CHECK_STR(b, "2026-12-08T00:00:00Z");
	time_format_iso(m, b);
	CHECK_STR(b, "2026-12-09T08:00:00Z");
	CHECK(today_snooze_kind_ok("thread") && !today_snooze_kind_ok("meeting"));
}

void test_store_today(void)
{
	TEST_STORE_RUN(test_today__feed_kinds_and_visibility);
	TEST_STORE_RUN(test_today__snoozes);
	TEST_RUN(test_today__span_in_a_zone);
}
