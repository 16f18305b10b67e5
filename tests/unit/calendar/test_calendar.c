/* Unit tests for the calendar: iCalendar out and in (time zones, escaping,
 * replies), invitations, updates and cancellations through the outbox,
 * reminders given once, and meeting.upcoming skipping a moved meeting. */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "store/store_fixture.h"
#include "automation/automation.h"
#include "automation/scheduler.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "calendar/calendar.h"
#include "calendar/ics.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/user.h"
#include "store/store.h"

#define S 1800000000LL /* 2027-01-15T08:00:00Z, a meeting's start */

/* ---- iCalendar, no store ---- */

static const char *describe(struct arena *a, const char *ics, json_t **out)
{
	struct err err = {0};
	if (ics_describe(ics, a, out, &err) < 0)
		return arena_strdup(a, err.msg);
	return NULL;
}

static void test_calendar__ics_request_in_its_time_zone(void)
{
	struct arena *a = arena_new();
	/* 14:00 in Paris in July is 12:00 UTC */
	json_t *m = json_in_arena(
	    a, json_pack("{s:s, s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:I}", "uid", "u1@parley",
			 "sequence", (json_int_t)3, "title", "Lunch; with, Bob\nand Carol",
			 "starts_at", "2027-07-01T12:00:00Z", "ends_at", "2027-07-01T13:00:00Z",
			 "timezone", "Europe/Paris", "location", "Café de Flore", "status",
			 "scheduled", "unused", (json_int_t)0));
	struct ics_person att[] = {{"bob@client.test", "Bob Client", "accepted"},
				   {"carol@client.test", NULL, "needs-action"}};
	struct ics_event ev = {m, {"alice@parley.test", "Alice", NULL}, att, 2};
	const char *ics = ics_build("REQUEST", &ev, 1, S, a);
	CHECK(strstr(ics, "\r\nBEGIN:VTIMEZONE\r\n") != NULL);
	CHECK(strstr(ics, "METHOD:REQUEST\r\n") != NULL);
	json_t *d;
	const char *bad = describe(a, ics, &d);
	CHECK_MSG(!bad, "%s", bad ? bad : "");
	if (bad)
		goto out;
	json_t *e = json_array_get(json_object_get(d, "events"), 0);
	CHECK_STR(json_get_str(d, "method"), "REQUEST");
	CHECK_STR(json_get_str(e, "start"), "2027-07-01T12:00:00Z");
	CHECK(strstr(json_get_str(e, "tzid"), "Europe/Paris") != NULL);
	CHECK_STR(json_get_str(e, "summary"), "Lunch; with, Bob\nand Carol");
	CHECK_STR(json_get_str(e, "location"), "Café de Flore");
	CHECK_INT(json_integer_value(json_object_get(e, "sequence")), 3);
	CHECK_STR(json_get_str(e, "organizer"), "alice@parley.test");
	CHECK_STR(json_get_str(e, "status"), "CONFIRMED");
	json_t *atts = json_object_get(e, "attendees");
	CHECK_INT(json_array_size(atts), 2);
	CHECK_STR(json_get_str(json_array_get(atts, 0), "partstat"), "accepted");
	CHECK_STR(json_get_str(json_array_get(atts, 1), "email"), "carol@client.test");
	/* a cancellation says so */
	bad = describe(a, ics_build("CANCEL", &ev, 1, S, a), &d);
	CHECK(!bad &&
	      strcmp(json_get_str(json_array_get(json_object_get(d, "events"), 0), "status"),
		     "CANCELLED") == 0);
	/* UTC meetings carry no zone */
	json_object_set_new(m, "timezone", json_string("UTC"));
	ics = ics_build("PUBLISH", &ev, 1, S, a);
	CHECK(strstr(ics, "VTIMEZONE") == NULL && strstr(ics, "DTSTART:20270701T120000Z") != NULL);
out:
	arena_free(&a);
}

static void test_calendar__ics_replies(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct ics_reply r;
	const char *reply =
	    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//y//EN\r\nMETHOD:REPLY\r\n"
	    "BEGIN:VEVENT\r\nUID:u1@parley\r\nSEQUENCE:2\r\nDTSTAMP:20270101T000000Z\r\n"
	    "ATTENDEE;PARTSTAT=DECLINED;CN=Bob:MAILTO:Bob@Client.TEST\r\n"
	    "END:VEVENT\r\nEND:VCALENDAR\r\n";
	CHECK_INT(ics_parse_reply(reply, a, &r, &err), 1);
	CHECK_STR(r.uid, "u1@parley");
	CHECK_STR(r.attendee, "bob@client.test");
	CHECK_STR(r.partstat, "declined");
	CHECK_INT(r.sequence, 2);
	/* a request is not a reply; an answer Parley has no word for is ignored */
	char *req = arena_strdup(a, reply);
	memcpy(strstr(req, "REPLY"), "PUBLI", 5);
	CHECK_INT(ics_parse_reply(req, a, &r, &err), 0);
	char *odd = arena_strdup(a, reply);
	memcpy(strstr(odd, "DECLINED"), "DELEGATE", 8);
	CHECK_INT(ics_parse_reply(odd, a, &r, &err), 0);
	CHECK_INT(ics_parse_reply("no calendar here", a, &r, &err), -1);
	CHECK_INT(ics_parse_reply("", a, &r, &err), -1);
	arena_free(&a);
}

/* ---- with a store ---- */

struct cfx {
	struct test_store ts;
	struct store *st;
	struct arena *a;
	struct err err;
	struct calendar_env env;
};

static bool cfx_open(struct cfx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = arena_new();
	fx->env = (struct calendar_env){"http://parley.test", "/nonexistent"};
	if (!test_store_new(&fx->ts))
		return false;
	int64_t uid, acct;
	struct mail_account m = {.name = "team",
				 .email = "team@parley.test",
				 .imap_url = "imap://127.0.0.1",
				 .smtp_url = "smtp://127.0.0.1",
				 .username = "team",
				 .auth = "password",
				 .shared = true,
				 .enabled = true,
				 .health = "ok",
				 .progress = "{}"};
	return store_open(fx->ts.url, &fx->st, &fx->err) == 0 &&
	       store_migrate(fx->st, &fx->err) == 0 &&
	       store_user_create(fx->st, "mgr@parley.test", "Mona Manager", USER_MANAGER, NULL,
				 &uid, &fx->err) == 0 &&
	       store_account_create(fx->st, &m, &acct, &fx->err) == 0;
}

static void cfx_close(struct cfx *fx)
{
	store_close(&fx->st);
	arena_free(&fx->a);
	test_store_remove(&fx->ts);
}

static int64_t q_int(struct cfx *fx, const char *sql)
{
	int64_t n = -1;
	store_query_int(fx->st, sql, &n, &fx->err, 0);
	return n;
}

static int step(struct cfx *fx, int64_t now)
{
	int done = 0;
	if (calendar_step(fx->st, &fx->env, now, &done, &fx->err) < 0) {
		printf("#   calendar: %s\n", fx->err.msg);
		return -1;
	}
	return done;
}

static int64_t write_meeting(struct cfx *fx, int64_t id, const char *json)
{
	struct entity_env env = {entity_default_stages, NULL, S - 86400};
	json_t *in = json_in_arena(fx->a, json_loads(json, 0, NULL)), *rec, *out, *old = NULL;
	if (id && store_record_get(fx->st, &meeting_def, id, fx->a, &old, &fx->err) != 1)
		return 0;
	if (entity_validate(&meeting_def, in, old, &env, fx->a, &rec, &fx->err) < 0 ||
	    (id ? store_record_update(fx->st, &meeting_def, id, rec, 1, fx->a, &out, &fx->err)
		: store_record_create(fx->st, &meeting_def, rec, 1, fx->a, &out, &fx->err)) < 0) {
		printf("#   meeting: %s\n", fx->err.msg);
		return 0;
	}
	return json_integer_value(json_object_get(out, "id"));
}

static void test_calendar__invitations_updates_cancellations(void)
{
	struct cfx fx;
	CHECK_MSG(cfx_open(&fx), "%s", fx.err.msg);
	CHECK(step(&fx, S - 86400) >= 0); /* sets the cursor */
	int64_t m =
	    write_meeting(&fx, 0,
			  "{\"title\":\"Review\",\"starts_at\":\"2027-01-15T08:00:00Z\","
			  "\"ends_at\":\"2027-01-15T09:00:00Z\",\"owner_id\":1,"
			  "\"attendees\":[{\"email\":\"bob@client.test\"},{\"user_id\":1}]}");
	CHECK(m > 0);
	json_t *res;
	CHECK_INT(calendar_invite(fx.st, m, "CANCEL", 1, S - 86400, fx.a, &res, &fx.err), -1);
	CHECK_INT(fx.err.code, ERR_CONFLICT); /* nothing sent, nothing to cancel */
	CHECK_INT(calendar_invite(fx.st, m, "REQUEST", 1, S - 86400, fx.a, &res, &fx.err), 1);
	CHECK_INT(json_array_size(json_object_get(res, "recipients")), 2);
	CHECK_INT(
	    q_int(&fx, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Invitation: Review%' "
		       "AND draft LIKE '%method=REQUEST%' AND recipients LIKE '%bob@client.test%'"),
	    1);
	/* an RSVP changes nothing for the others */
	CHECK(write_meeting(&fx, m,
			    "{\"attendees\":[{\"email\":\"bob@client.test\",\"status\":"
			    "\"accepted\"},{\"user_id\":1}]}") == m);
	CHECK(step(&fx, S - 86000) >= 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 1);
	/* a new title is an update with the next sequence */
	CHECK(write_meeting(&fx, m, "{\"title\":\"Quarterly review\"}") == m);
	CHECK(step(&fx, S - 85000) > 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Updated invitation: "
			     "Quarterly review%'"),
		  1);
	CHECK_INT(q_int(&fx, "SELECT sequence FROM meetings"), 1);
	/* cancelling sends CANCEL once; editing a cancelled meeting sends nothing */
	CHECK(write_meeting(&fx, m, "{\"status\":\"cancelled\"}") == m);
	CHECK(step(&fx, S - 84000) > 0);
	CHECK(write_meeting(&fx, m, "{\"location\":\"Room 2\"}") == m);
	CHECK(step(&fx, S - 83000) >= 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox WHERE subject = 'Cancelled: Quarterly "
			     "review' AND draft LIKE '%method=CANCEL%'"),
		  1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 3);
	CHECK_INT(q_int(&fx, "SELECT sequence FROM meetings"), 2);
	/* a pass repeated after a crash finds nothing new */
	CHECK_INT(step(&fx, S - 82000), 0);
	cfx_close(&fx);
}

static void test_calendar__reminders_once(void)
{
	struct cfx fx;
	CHECK_MSG(cfx_open(&fx), "%s", fx.err.msg);
	CHECK(step(&fx, S - 86400) >= 0);
	int64_t m = write_meeting(&fx, 0,
				  "{\"title\":\"Call Bob\",\"kind\":\"call\",\"starts_at\":"
				  "\"2027-01-15T08:00:00Z\",\"ends_at\":\"2027-01-15T08:30:00Z\","
				  "\"owner_id\":1,\"reminders\":[60,15,5]}");
	CHECK(m > 0);
	CHECK_INT(step(&fx, S - 3601), 0);
	CHECK_INT(step(&fx, S - 3600), 1);
	CHECK_INT(step(&fx, S - 3000), 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM notifications WHERE kind = 'calendar' AND title "
			     "= 'Call in 60 min: Call Bob'"),
		  1);
	/* the team mailbox mails the reminder to the owner */
	CHECK_INT(q_int(&fx,
			"SELECT COUNT(*) FROM outbox WHERE subject LIKE 'Reminder: Call Bob at "
			"%' AND recipients LIKE '%mgr@parley.test%'"),
		  1);
	/* down from 30 to 3 minutes before: the two due offsets give one reminder */
	CHECK_INT(step(&fx, S - 180), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM meeting_reminders"), 3);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM notifications WHERE kind = 'calendar'"), 2);
	/* none after the start, and none for a cancelled meeting */
	CHECK_INT(step(&fx, S + 10), 0);
	int64_t m2 = write_meeting(&fx, 0,
				   "{\"title\":\"Off\",\"starts_at\":\"2027-01-16T08:00:00Z\","
				   "\"ends_at\":\"2027-01-16T08:30:00Z\",\"owner_id\":1,"
				   "\"status\":\"cancelled\"}");
	CHECK(m2 > 0);
	CHECK_INT(step(&fx, S + 86400 - 60), 0);
	cfx_close(&fx);
}

static void test_calendar__upcoming_skips_a_moved_meeting(void)
{
	struct cfx fx;
	CHECK_MSG(cfx_open(&fx), "%s", fx.err.msg);
	struct automation_env aenv = {"http://parley.test", "parley.test"};
	int done = 0;
	json_t *in = json_in_arena(fx.a,
				   json_loads("{\"name\":\"prep\",\"trigger\":\"meeting.upcoming\","
					      "\"params\":{\"minutes\":30},\"actions\":[{\"type\":"
					      "\"create_task\",\"title\":\"Prepare {{event."
					      "payload.title}}\"}]}",
					      0, NULL)),
	       *rec;
	int64_t rid = 0;
	CHECK(rule_validate(fx.st, in, NULL, fx.a, &rec, &fx.err) == 0 &&
	      store_rule_save(fx.st, 0, rec, 1, &rid, &fx.err) == 0);
	CHECK(scheduler_step(fx.st, &aenv, S - 86400, 50, &done, &fx.err) == 0);
	int64_t m = write_meeting(&fx, 0,
				  "{\"title\":\"Demo\",\"starts_at\":\"2027-01-15T08:00:00Z\","
				  "\"ends_at\":\"2027-01-15T09:00:00Z\",\"owner_id\":1}");
	CHECK(scheduler_step(fx.st, &aenv, S - 86000, 50, &done, &fx.err) == 0);
	CHECK(write_meeting(&fx, m,
			    "{\"starts_at\":\"2027-01-16T08:00:00Z\",\"ends_at\":"
			    "\"2027-01-16T09:00:00Z\"}") == m);
	for (int i = 0; i < 5; i++)
		CHECK(scheduler_step(fx.st, &aenv, S - 1800, 50, &done, &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM tasks"), 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM rule_runs WHERE status = 'skipped' AND detail "
			     "LIKE '%moved%'"),
		  1);
	for (int i = 0; i < 5; i++)
		CHECK(scheduler_step(fx.st, &aenv, S + 86400 - 1800, 50, &done, &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM tasks WHERE title = 'Prepare Demo'"), 1);
	cfx_close(&fx);
}

void test_calendar(void)
{
	TEST_RUN(test_calendar__ics_request_in_its_time_zone);
	TEST_RUN(test_calendar__ics_replies);
	TEST_STORE_RUN(test_calendar__invitations_updates_cancellations);
	TEST_STORE_RUN(test_calendar__reminders_once);
	TEST_STORE_RUN(test_calendar__upcoming_skips_a_moved_meeting);
}
