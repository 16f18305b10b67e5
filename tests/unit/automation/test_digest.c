/* Unit tests for the email digest of unread notifications: off sends
 * nothing, one mail per period with every unread notification and its link,
 * nothing when nothing new is unread, nothing for a deactivated user, the
 * daily period, and the outbox key that keeps a repeated pass to one mail. */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "store/store_fixture.h"
#include "automation/digest.h"
#include "automation/scheduler.h"
#include "base/arena.h"
#include "base/err.h"
#include "core/mail_account.h"
#include "core/user.h"
#include "store/store.h"

#define T 1800000000LL /* 2027-01-15T08:00:00Z: an hour's start, and a day's */

struct dfx {
	struct test_store ts;
	struct store *st;
	struct arena *a;
	struct err err;
	struct automation_env env;
	int64_t user;
};

static bool dfx_open(struct dfx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = arena_new();
	fx->env = (struct automation_env){"http://parley.test", "parley.test"};
	if (!test_store_new(&fx->ts))
		return false;
	int64_t acct;
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
				 &fx->user, &fx->err) == 0 &&
	       store_account_create(fx->st, &m, &acct, &fx->err) == 0;
}

static void dfx_close(struct dfx *fx)
{
	store_close(&fx->st);
	arena_free(&fx->a);
	test_store_remove(&fx->ts);
}

static int64_t q_int(struct dfx *fx, const char *sql)
{
	int64_t n = -1;
	store_query_int(fx->st, sql, &n, &fx->err, 0);
	return n;
}

/* Sets the user's digest and active flag through the store, as the API does. */
static bool set_user(struct dfx *fx, enum user_digest digest, bool active)
{
	struct user *u;
	if (store_user_get(fx->st, fx->user, fx->a, &u, &fx->err) != 1)
		return false;
	u->digest = digest;
	u->active = active;
	return store_user_save(fx->st, u, &fx->err) == 1;
}

static int step(struct dfx *fx, int64_t now)
{
	int done = 0;
	if (digest_step(fx->st, &fx->env, now, &done, &fx->err) < 0) {
		printf("#   digest: %s\n", fx->err.msg);
		return -1;
	}
	return done;
}

static bool notify(struct dfx *fx, const char *title, const char *link)
{
	return store_notify(fx->st, fx->user, "task", title, "", link, &fx->err) == 0;
}

static void test_digest__off_sends_nothing(void)
{
	struct dfx fx;
	CHECK_MSG(dfx_open(&fx), "%s", fx.err.msg);
	CHECK(notify(&fx, "Task for you: Call Bob", "/tasks/7"));
	CHECK_INT(step(&fx, T), 0);
	CHECK_INT(step(&fx, T + 86400), 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 0);
	dfx_close(&fx);
}

static void test_digest__hourly_once_per_hour(void)
{
	struct dfx fx;
	CHECK_MSG(dfx_open(&fx), "%s", fx.err.msg);
	CHECK(set_user(&fx, USER_DIGEST_HOURLY, true));
	CHECK(notify(&fx, "Task for you: Call Bob", "/tasks/7"));
	CHECK(notify(&fx, "Mail from Grace Hopper", "/mail/threads/2"));
	CHECK_INT(step(&fx, T + 60), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 1);
	CHECK_INT(q_int(&fx,
			"SELECT COUNT(*) FROM outbox WHERE subject = 'Parley: 2 unread "
			"notifications' AND recipients LIKE '%mgr@parley.test%' AND draft "
			"LIKE '%Task for you: Call Bob%http://parley.test/tasks/7%' AND draft "
			"LIKE '%Mail from Grace Hopper%http://parley.test/mail/threads/2%' AND "
			"draft LIKE '%auto-generated%'"),
		  1);
	/* the same hour: nothing more, even with a new notification */
	CHECK(notify(&fx, "Task for you: Send the quote", "/tasks/8"));
	CHECK_INT(step(&fx, T + 3599), 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 1);
	/* the next hour lists only what came since */
	CHECK_INT(step(&fx, T + 3600), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox WHERE subject = 'Parley: 1 unread "
			     "notification' AND draft LIKE '%Send the quote%' AND draft NOT LIKE "
			     "'%Call Bob%'"),
		  1);
	/* read, or nothing new: nothing */
	CHECK(notify(&fx, "Task for you: Book the room", "/tasks/9"));
	CHECK(store_notifications_read(fx.st, fx.user, NULL, 0, &fx.err) == 0);
	CHECK_INT(step(&fx, T + 2 * 3600), 0);
	CHECK_INT(step(&fx, T + 3 * 3600), 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 2);
	dfx_close(&fx);
}

static void test_digest__a_repeated_pass_mails_once(void)
{
	struct dfx fx;
	CHECK_MSG(dfx_open(&fx), "%s", fx.err.msg);
	CHECK(set_user(&fx, USER_DIGEST_HOURLY, true));
	CHECK(notify(&fx, "Task for you: Call Bob", "/tasks/7"));
	CHECK_INT(step(&fx, T + 60), 1);
	/* as if another node had not seen the first pass's marks */
	CHECK(store_exec_ints(fx.st, "UPDATE users SET digest_at = NULL, digest_seen = 0", &fx.err,
			      0) == 0);
	CHECK(step(&fx, T + 120) >= 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 1);
	dfx_close(&fx);
}

static void test_digest__daily_from_the_hour(void)
{
	struct dfx fx;
	CHECK_MSG(dfx_open(&fx), "%s", fx.err.msg);
	CHECK(set_user(&fx, USER_DIGEST_DAILY, true));
	CHECK(notify(&fx, "Task for you: Call Bob", "/tasks/7"));
	CHECK_INT(step(&fx, T - 60), 1); /* 07:59: the day that began yesterday at 08:00 */
	CHECK(notify(&fx, "Task for you: Send the quote", "/tasks/8"));
	CHECK_INT(step(&fx, T - 1), 0);
	CHECK_INT(step(&fx, T), 1);
	CHECK(notify(&fx, "Task for you: Book the room", "/tasks/9"));
	CHECK_INT(step(&fx, T + 86399), 0);
	CHECK_INT(step(&fx, T + 86400), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox WHERE subject = 'Parley: 1 unread "
			     "notification'"),
		  3);
	dfx_close(&fx);
}

static void test_digest__not_for_a_deactivated_user(void)
{
	struct dfx fx;
	CHECK_MSG(dfx_open(&fx), "%s", fx.err.msg);
	CHECK(set_user(&fx, USER_DIGEST_HOURLY, false));
	CHECK(notify(&fx, "Task for you: Call Bob", "/tasks/7"));
	CHECK_INT(step(&fx, T), 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox"), 0);
	dfx_close(&fx);
}

void test_digest(void)
{
	TEST_STORE_RUN(test_digest__off_sends_nothing);
	TEST_STORE_RUN(test_digest__hourly_once_per_hour);
	TEST_STORE_RUN(test_digest__a_repeated_pass_mails_once);
	TEST_STORE_RUN(test_digest__daily_from_the_hour);
	TEST_STORE_RUN(test_digest__not_for_a_deactivated_user);
}
