/* Unit tests for the automation scheduler: rules fire once, render templates
 * with the order's data, create tasks, retry, and skip when conditions fail. */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "store/store_fixture.h"
#include "automation/automation.h"
#include "automation/scheduler.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/user.h"
#include "store/store.h"

struct afx {
	struct test_store ts;
	struct store *st;
	struct arena *a;
	struct err err;
	struct automation_env env;
};

static bool afx_open(struct afx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = arena_new();
	if (!test_store_new(&fx->ts))
		return false;
	fx->env = (struct automation_env){"http://parley.test", "parley.test"};
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

static void afx_close(struct afx *fx)
{
	store_close(&fx->st);
	arena_free(&fx->a);
	test_store_remove(&fx->ts);
}

static int64_t q_int(struct afx *fx, const char *sql)
{
	int64_t n = -1;
	store_query_int(fx->st, sql, &n, &fx->err, 0);
	return n;
}

static int run_until_idle(struct afx *fx, int64_t now)
{
	int total = 0, done = 0;
	for (int i = 0; i < 20; i++) {
		if (scheduler_step(fx->st, &fx->env, now, 50, &done, &fx->err) < 0) {
			printf("#   scheduler: %s\n", fx->err.msg);
			return -1;
		}
		total += done;
		if (!done)
			break;
	}
	return total;
}

static int64_t create(struct afx *fx, const struct entity_def *def, const char *json)
{
	struct entity_env env = {entity_default_stages, NULL, 1795517094};
	json_t *in = json_in_arena(fx->a, json_loads(json, 0, NULL)), *rec, *out;
	if (entity_validate(def, in, NULL, &env, fx->a, &rec, &fx->err) < 0 ||
	    store_record_create(fx->st, def, rec, 1, fx->a, &out, &fx->err) < 0) {
		printf("#   create %s: %s\n", def->name, fx->err.msg);
		return 0;
	}
	return json_integer_value(json_object_get(out, "id"));
}

static int64_t add_rule(struct afx *fx, const char *json)
{
	json_t *in = json_in_arena(fx->a, json_loads(json, 0, NULL)), *rec;
	int64_t id = 0;
	if (rule_validate(fx->st, in, NULL, fx->a, &rec, &fx->err) < 0 ||
	    store_rule_save(fx->st, 0, rec, 1, &id, &fx->err) < 0)
		printf("#   rule: %s\n", fx->err.msg);
	return id;
}

static void test_scheduler__thank_you_after_order(void)
{
	struct afx fx;
	CHECK_MSG(afx_open(&fx), "%s", fx.err.msg);
	int64_t tid;
	CHECK(
	    store_template_create(fx.st, "thanks", "Thank you, {{contact.first_name}}!",
				  "Hi {{contact.first_name|there}},\n\nthanks for your order "
				  "of:\n\n{{#order.items}}- {{qty}} x {{name}}\n{{/order.items}}\n"
				  "Total: **{{order.total_formatted}}**\n\n{{user.signature}}",
				  "markdown", 1, &tid, &fx.err) == 0);
	CHECK(add_rule(&fx,
		       "{\"name\":\"thanks\",\"trigger\":\"order.created\","
		       "\"conditions\":[{\"field\":\"order.total\",\"op\":\"gte\",\"value\":100}],"
		       "\"actions\":[{\"type\":\"send_template\",\"template\":\"thanks\"},"
		       "{\"type\":\"create_task\",\"title\":\"Call {{contact.name}}\","
		       "\"due_in_hours\":48,\"delay_minutes\":10}]}") > 0);
	CHECK(run_until_idle(&fx, 1000) >= 0); /* sets the cursor */
	int64_t c = create(&fx, &contact_def,
			   "{\"first_name\":\"Ada\",\"last_name\":\"Lovelace\","
			   "\"emails\":[\"ada@client.com\"],\"owner_id\":1}");
	char buf[300];
	snprintf(buf, sizeof(buf),
		 "{\"contact_id\":%lld,\"items\":[{\"sku\":\"W1\",\"name\":"
		 "\"Widget\",\"qty\":2,\"price\":1999},{\"name\":\"Gadget\","
		 "\"qty\":1,\"price\":500}]}",
		 (long long)c);
	CHECK(create(&fx, &order_def, buf) > 0);
	CHECK(run_until_idle(&fx, 2000) > 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox WHERE subject = 'Thank you, Ada!' AND "
			     "draft LIKE '%2 x Widget%' AND draft LIKE '%44.98 USD%'"),
		  1);
	/* the delayed task is not due yet; ten minutes later it is */
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM tasks WHERE source = 'rule'"), 0);
	CHECK(run_until_idle(&fx, 2000 + 601) > 0);
	CHECK_INT(q_int(&fx,
			"SELECT COUNT(*) FROM tasks WHERE source = 'rule' AND title = 'Call Ada "
			"Lovelace' AND assignee_id = 1"),
		  1);
	/* nothing runs twice */
	CHECK_INT(run_until_idle(&fx, 99999), 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM rule_runs WHERE status IN ('fired', 'ok')"), 3);
	/* a small order does not meet the condition */
	snprintf(buf, sizeof(buf),
		 "{\"contact_id\":%lld,\"items\":[{\"name\":\"Pin\",\"qty\":1,"
		 "\"price\":50}]}",
		 (long long)c);
	CHECK(create(&fx, &order_def, buf) > 0);
	CHECK(run_until_idle(&fx, 100000) > 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM rule_runs WHERE status = 'skipped'"), 1);
	afx_close(&fx);
}

static void test_scheduler__validation_and_notifications(void)
{
	struct afx fx;
	CHECK_MSG(afx_open(&fx), "%s", fx.err.msg);
	json_t *rec;
	static const char *const bad[] = {
	    "{\"name\":\"x\",\"trigger\":\"nope\",\"actions\":[{\"type\":\"notify\",\"title\":"
	    "\"t\"}]}",
	    "{\"name\":\"x\",\"trigger\":\"order.created\",\"actions\":[]}",
	    "{\"name\":\"x\",\"trigger\":\"order.created\",\"actions\":[{\"type\":\"explode\"}]}",
	    "{\"name\":\"x\",\"trigger\":\"email.unanswered\",\"actions\":[{\"type\":\"notify\","
	    "\"title\":\"t\"}]}",
	    "{\"name\":\"x\",\"trigger\":\"order.created\",\"actions\":[{\"type\":\"send_"
	    "template\",\"template\":\"missing\"}]}",
	    "{\"name\":\"x\",\"trigger\":\"order.created\",\"conditions\":[{\"field\":\"a\",\"op\":"
	    "\"~\",\"value\":1}],\"actions\":[{\"type\":\"notify\",\"title\":\"t\"}]}",
	    "{\"name\":\"x\",\"trigger\":\"order.created\",\"actions\":[{\"type\":\"set_deal_"
	    "stage\",\"stage\":\"heaven\"}]}",
	    "{\"name\":\"x\",\"trigger\":\"order.created\",\"actions\":[{\"type\":\"notify\","
	    "\"title\":\"{{#open\"}]}",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		json_t *in = json_in_arena(fx.a, json_loads(bad[i], 0, NULL));
		CHECK_MSG(rule_validate(fx.st, in, NULL, fx.a, &rec, &fx.err) < 0 &&
			      fx.err.field[0],
			  "case %zu accepted", i);
	}
	/* a task assigned to someone else notifies them */
	int64_t other;
	CHECK(store_user_create(fx.st, "b@parley.test", "B", USER_MANAGER, NULL, &other, &fx.err) ==
	      0);
	CHECK(run_until_idle(&fx, 1000) >= 0);
	char buf[200];
	snprintf(buf, sizeof(buf), "{\"title\":\"Follow up\",\"assignee_id\":%lld}",
		 (long long)other);
	CHECK(create(&fx, &task_def, buf) > 0);
	CHECK(run_until_idle(&fx, 2000) > 0);
	json_t *items;
	CHECK(store_notifications(fx.st, other, true, 0, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 1);
	/* an @mention in a note notifies the user mentioned, not the author */
	int64_t c = create(&fx, &contact_def, "{\"first_name\":\"Zed\"}");
	snprintf(buf, sizeof(buf),
		 "{\"body\":\"@b can you call Zed? cc mgr@parley.test\","
		 "\"contact_id\":%lld}",
		 (long long)c);
	CHECK(create(&fx, &note_def, buf) > 0);
	CHECK(run_until_idle(&fx, 3000) > 0);
	CHECK(store_notifications(fx.st, other, true, 0, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 2);
	CHECK_STR(json_get_str(json_array_get(items, 0), "kind"), "mention");
	CHECK(store_notifications(fx.st, 1, true, 0, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 0);
	CHECK(store_notifications_read(fx.st, other, NULL, 0, &fx.err) == 0);
	CHECK(store_notifications(fx.st, other, true, 0, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 0);
	/* mention_ids (the @-autocomplete's picks) notify by id, whatever the text
	   says ("@Bea" is a name, not an address); a deactivated user never */
	int64_t gone;
	CHECK(store_user_create(fx.st, "c@parley.test", "C", USER_MANAGER, NULL, &gone, &fx.err) ==
	      0);
	struct user *gu;
	CHECK(store_user_get(fx.st, gone, fx.a, &gu, &fx.err) == 1);
	gu->active = false;
	CHECK(store_user_save(fx.st, gu, &fx.err) == 1);
	snprintf(buf, sizeof(buf),
		 "{\"body\":\"@Bea Smith and @Cy, see Zed\",\"contact_id\":%lld,"
		 "\"mention_ids\":[%lld,%lld]}",
		 (long long)c, (long long)other, (long long)gone);
	CHECK(create(&fx, &note_def, buf) > 0);
	CHECK(run_until_idle(&fx, 4000) > 0);
	CHECK(store_notifications(fx.st, other, true, 0, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 1);
	CHECK(store_notifications(fx.st, gone, true, 0, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 0);
	afx_close(&fx);
}

/* With the working_hours setting, email.unanswered waits working time only:
   mail on Friday 17:00 with 24 hours to wait (Mon-Fri 09-18) is due on
   Wednesday 14:00; without it, plain time. */
static void test_scheduler__unanswered_counts_working_hours(void)
{
	struct afx fx;
	CHECK_MSG(afx_open(&fx), "%s", fx.err.msg);
	int64_t fri = 0, wed = 0;
	time_parse_iso("2026-01-09T17:00:00Z", &fri);
	time_parse_iso("2026-01-14T14:00:00Z", &wed);
	CHECK(add_rule(&fx, "{\"name\":\"late\",\"trigger\":\"email.unanswered\","
			    "\"params\":{\"hours\":24},\"actions\":[{\"type\":\"notify\","
			    "\"title\":\"Unanswered\"}]}") > 0);
	CHECK(run_until_idle(&fx, fri) >= 0); /* sets the cursor */
	json_t *p = json_in_arena(fx.a, json_pack("{s:I, s:I, s:[I]}", "thread_id", (json_int_t)1,
						  "message_id", (json_int_t)1, "contact_ids",
						  (json_int_t)1));
	CHECK(store_event_add(fx.st, "email.received", "message", 1, 0, p, &fx.err) == 0);
	CHECK(run_until_idle(&fx, fri) > 0);
	CHECK_INT(q_int(&fx, "SELECT run_at FROM jobs WHERE kind = 'fire'"), fri + 24 * 3600);
	json_t *wh =
	    json_in_arena(fx.a, json_loads("{\"days\":[1,2,3,4,5],\"start\":\"09:00\","
					   "\"end\":\"18:00\",\"timezone\":\"Europe/London\"}",
					   0, NULL));
	CHECK(store_setting_set(fx.st, "working_hours", wh, &fx.err) == 0);
	CHECK(store_event_add(fx.st, "email.received", "message", 2, 0, p, &fx.err) == 0);
	CHECK(run_until_idle(&fx, fri) > 0);
	CHECK_INT(q_int(&fx, "SELECT MAX(run_at) FROM jobs WHERE kind = 'fire'"), wed);
	afx_close(&fx);
}

void test_scheduler(void)
{
	TEST_STORE_RUN(test_scheduler__thank_you_after_order);
	TEST_STORE_RUN(test_scheduler__validation_and_notifications);
	TEST_STORE_RUN(test_scheduler__unanswered_counts_working_hours);
}
