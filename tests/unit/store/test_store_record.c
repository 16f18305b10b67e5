/* Unit tests for the store: migrations, generic records, hooks, users, named
 * locks. Each case runs on every backend with a fresh store (store_fixture.h). */
#include <stdio.h>
#include <stdlib.h>

#include "test.h"
#include "store_fixture.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "core/entity.h"
#include "core/user.h"
#include "store/store.h"

struct fixture {
	struct test_store ts;
	struct store *st;
	struct arena *a;
	struct entity_env env;
	struct err err;
};

static bool fx_open(struct fixture *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = arena_new();
	if (!test_store_new(&fx->ts))
		return false;
	int64_t uid;
	/* user 1 is the actor of every write below */
	return store_open(fx->ts.url, &fx->st, &fx->err) == 0 &&
	       store_migrate(fx->st, &fx->err) == 0 &&
	       store_entity_env(fx->st, fx->a, &fx->env, &fx->err) == 0 &&
	       store_user_create(fx->st, "actor@example.com", "Actor", USER_ADMIN, NULL, &uid,
				 &fx->err) == 0;
}

static void fx_close(struct fixture *fx)
{
	store_close(&fx->st);
	arena_free(&fx->a);
	test_store_remove(&fx->ts);
}

/* Validates and creates; returns the new id or 0. */
static int64_t create(struct fixture *fx, const struct entity_def *def, const char *json)
{
	json_t *in = json_in_arena(fx->a, json_loads(json, 0, NULL)), *rec, *out;
	if (entity_validate(def, in, NULL, &fx->env, fx->a, &rec, &fx->err) < 0 ||
	    store_record_create(fx->st, def, rec, 1, fx->a, &out, &fx->err) < 0) {
		printf("#   create %s: %s\n", def->name, fx->err.msg);
		return 0;
	}
	return json_integer_value(json_object_get(out, "id"));
}

static json_t *update(struct fixture *fx, const struct entity_def *def, int64_t id,
		      const char *json)
{
	json_t *in = json_in_arena(fx->a, json_loads(json, 0, NULL)), *old, *rec, *out = NULL;
	if (store_record_get(fx->st, def, id, fx->a, &old, &fx->err) != 1 ||
	    entity_validate(def, in, old, &fx->env, fx->a, &rec, &fx->err) < 0 ||
	    store_record_update(fx->st, def, id, rec, 1, fx->a, &out, &fx->err) != 1)
		return NULL;
	return out;
}

static int64_t count(struct fixture *fx, const char *sql)
{
	int64_t n = -1;
	store_query_int(fx->st, sql, &n, &fx->err, 0);
	return n;
}

static void test_store__migrations_idempotent(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	CHECK_INT(store_schema_version(fx.st, &fx.err), 14);
	CHECK(store_migrate(fx.st, &fx.err) == 0);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM schema_migrations"), 14);
	/* every entity's columns exist: an empty list of each works */
	struct store_list_query q = {.limit = 10};
	for (size_t i = 0; entities[i]; i++) {
		json_t *items;
		char *next;
		CHECK_MSG(store_record_list(fx.st, entities[i], &q, fx.a, &items, &next, &fx.err) ==
			      0,
			  "%s: %s", entities[i]->table, fx.err.msg);
	}
	fx_close(&fx);
}

static void test_store__crud_and_events(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	int64_t co = create(&fx, &company_def, "{\"name\":\"Acme\",\"domains\":[\"acme.com\"]}");
	CHECK_MSG(co > 0, "%s", fx.err.msg);
	char buf[256];
	snprintf(buf, sizeof(buf),
		 "{\"first_name\":\"Ada\",\"emails\":[\"ada@acme.com\"],\"company_id\":%lld,"
		 "\"tags\":[\"vip\"]}",
		 (long long)co);
	int64_t c = create(&fx, &contact_def, buf);
	CHECK_MSG(c > 0, "%s", fx.err.msg);
	CHECK(create(&fx, &contact_def, "{\"first_name\":\"B\",\"company_id\":999}") == 0);
	CHECK_STR(fx.err.field, "company_id");
	json_t *out = update(&fx, &contact_def, c, "{\"stage\":\"customer\",\"tags\":[\"gold\"]}");
	CHECK(out && strcmp(json_get_str(out, "stage"), "customer") == 0);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM list_values WHERE field = 'tags' AND value = "
			     "'gold'"),
		  1);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM list_values WHERE value = 'vip'"), 0);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM events WHERE type = 'contact.created'"), 1);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM events WHERE type = 'contact.updated'"), 1);
	/* a no-op update writes no event */
	CHECK(update(&fx, &contact_def, c, "{\"stage\":\"customer\"}") != NULL);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM events WHERE type = 'contact.updated'"), 1);
	CHECK_INT(store_record_delete(fx.st, &contact_def, 12345, 1, fx.a, &fx.err), 0);
	fx_close(&fx);
}

static void test_store__deal_stages_and_timeline(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	int64_t co = create(&fx, &company_def, "{\"name\":\"Acme\"}");
	char buf[256];
	snprintf(buf, sizeof(buf), "{\"first_name\":\"Ada\",\"company_id\":%lld}", (long long)co);
	int64_t c = create(&fx, &contact_def, buf);
	snprintf(buf, sizeof(buf), "{\"title\":\"Big\",\"amount\":1000,\"contact_id\":%lld}",
		 (long long)c);
	int64_t d = create(&fx, &deal_def, buf);
	CHECK(d > 0);
	json_t *out = update(&fx, &deal_def, d, "{\"stage\":\"won\"}");
	CHECK(out && !json_is_null(json_object_get(out, "closed_at")));
	json_t *hist;
	CHECK(store_deal_history(fx.st, d, fx.a, &hist, &fx.err) == 0);
	CHECK_INT(json_array_size(hist), 2);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM events WHERE type = 'deal.stage_changed'"), 1);
	snprintf(buf, sizeof(buf), "{\"body\":\"call back\",\"deal_id\":%lld}", (long long)d);
	int64_t n = create(&fx, &note_def, buf);
	CHECK(n > 0);
	/* the note on the deal reaches the contact's and the company's timelines */
	struct store_list_query q = {.limit = 2};
	json_t *items;
	char *next;
	CHECK(store_timeline(fx.st, &contact_def, c, &q, fx.a, &items, &next, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 2);
	CHECK_STR(json_get_str(json_array_get(items, 0), "kind"), "note");
	CHECK(next != NULL);
	q.cursor = next;
	CHECK(store_timeline(fx.st, &contact_def, c, &q, fx.a, &items, &next, &fx.err) == 0);
	CHECK(json_array_size(items) >= 1);
	q.cursor = NULL;
	q.limit = 50;
	CHECK(store_timeline(fx.st, &company_def, co, &q, fx.a, &items, &next, &fx.err) == 0);
	CHECK(json_array_size(items) >= 4);
	/* deleting the note removes its timeline entry */
	int64_t before = count(&fx, "SELECT COUNT(*) FROM activities");
	CHECK_INT(store_record_delete(fx.st, &note_def, n, 1, fx.a, &fx.err), 1);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM activities"), before - 1);
	fx_close(&fx);
}

static void test_store__delete_referenced_contact_conflicts(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	int64_t c = create(&fx, &contact_def, "{\"first_name\":\"Ada\"}");
	char buf[256];
	snprintf(buf, sizeof(buf),
		 "{\"contact_id\":%lld,\"items\":[{\"name\":\"W\",\"qty\":1,\"price\":100}]}",
		 (long long)c);
	CHECK(create(&fx, &order_def, buf) > 0);
	int64_t acts = count(&fx, "SELECT COUNT(*) FROM activities");
	CHECK_INT(store_record_delete(fx.st, &contact_def, c, 1, fx.a, &fx.err), -1);
	CHECK_INT(fx.err.code, ERR_CONFLICT);
	/* the failed delete rolled back everything, hooks included */
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM contacts"), 1);
	CHECK_INT(count(&fx, "SELECT COUNT(*) FROM activities"), acts);
	fx_close(&fx);
}

static void test_store__list_filters_and_paging(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	for (int i = 0; i < 7; i++) {
		char buf[200];
		snprintf(buf, sizeof(buf),
			 "{\"first_name\":\"P%d\",\"last_name\":\"100%%_x\",\"tags\":[\"%s\"],"
			 "\"emails\":[\"p%d@example.com\"]}",
			 i, i % 2 ? "odd" : "even", i);
		CHECK(create(&fx, &contact_def, buf) > 0);
	}
	struct store_list_query q = {.limit = 3};
	q.filters[0].field = entity_field(&contact_def, "tags");
	q.filters[0].value = "odd";
	q.nfilters = 1;
	json_t *items;
	char *next;
	size_t total = 0;
	int pages = 0;
	do {
		CHECK(store_record_list(fx.st, &contact_def, &q, fx.a, &items, &next, &fx.err) ==
		      0);
		total += json_array_size(items);
		q.cursor = next;
	} while (next && ++pages < 10);
	CHECK_INT(total, 3);
	struct store_list_query s = {.limit = 50, .q = "P3@EXAMPLE"};
	CHECK(store_record_list(fx.st, &contact_def, &s, fx.a, &items, &next, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 1);
	/* LIKE wildcards in q are literal */
	s.q = "0%_";
	CHECK(store_record_list(fx.st, &contact_def, &s, fx.a, &items, &next, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 7);
	s.q = "0_%";
	CHECK(store_record_list(fx.st, &contact_def, &s, fx.a, &items, &next, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 0);
	s.q = "p5 100";
	CHECK(store_record_list(fx.st, &contact_def, &s, fx.a, &items, &next, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 1);
	/* non-ASCII text finds itself whatever the backend's case rules */
	CHECK(create(&fx, &contact_def, "{\"first_name\":\"Иван\",\"last_name\":\"Ödön\"}") > 0);
	static const char *const exact[] = {"Иван", "Ödön", "Иван Ödön", "ван"};
	for (size_t i = 0; i < sizeof(exact) / sizeof(exact[0]); i++) {
		s.q = exact[i];
		CHECK(store_record_list(fx.st, &contact_def, &s, fx.a, &items, &next, &fx.err) ==
		      0);
		CHECK_MSG(json_array_size(items) == 1, "'%s': %zu", exact[i],
			  json_array_size(items));
	}
	fx_close(&fx);
}

static void test_store__users_sessions_tokens(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	int64_t id;
	struct user *u;
	char *csrf;
	CHECK(store_user_create(fx.st, "m@example.com", "M", USER_MANAGER, "h", &id, &fx.err) == 0);
	CHECK(store_user_create(fx.st, "m@example.com", "M2", USER_MANAGER, "h", &id, &fx.err) < 0);
	CHECK_INT(fx.err.code, ERR_CONFLICT);
	CHECK(store_session_create(fx.st, id, "hash1", "csrf1", 4102444800, &fx.err) == 0);
	CHECK(store_session_create(fx.st, id, "old", "c", 1, &fx.err) == 0);
	CHECK_INT(store_session_lookup(fx.st, "hash1", fx.a, &u, &csrf, &fx.err), 1);
	CHECK_STR(csrf, "csrf1");
	CHECK_INT(store_session_lookup(fx.st, "old", fx.a, &u, &csrf, &fx.err), 0);
	int64_t tid;
	CHECK(store_token_create(fx.st, id, "t", "thash", 0, &tid, &fx.err) == 0);
	CHECK_INT(store_token_lookup(fx.st, "thash", fx.a, &u, &fx.err), 1);
	u->active = false;
	CHECK_INT(store_user_save(fx.st, u, &fx.err), 1);
	CHECK_INT(store_token_lookup(fx.st, "thash", fx.a, &u, &fx.err), 0);
	CHECK_INT(store_session_lookup(fx.st, "hash1", fx.a, &u, &csrf, &fx.err), 0);
	fx_close(&fx);
}

/* '?' inside quotes is text, not a placeholder, on every backend. */
static void test_store__placeholders_and_quotes(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	int64_t n = -1;
	CHECK_INT(store_query_int(fx.st,
				  "SELECT COUNT(*) FROM users WHERE name <> 'who?' AND email <> "
				  "'it''s ?' AND id = ?",
				  &n, &fx.err, 1, (int64_t)1),
		  1);
	CHECK_INT(n, 1);
	struct stmt *s;
	CHECK(store_prepare(fx.st, "SELECT CAST(? AS TEXT), 'a?b', CAST(? AS BIGINT)", &s,
			    &fx.err) == 0);
	stmt_bind_text(s, 1, "x'y?");
	stmt_bind_int(s, 2, -9007199254740993LL);
	CHECK_INT(stmt_step(s, &fx.err), 1);
	CHECK_STR(stmt_text(s, 0), "x'y?");
	CHECK_STR(stmt_text(s, 1), "a?b");
	CHECK_INT(stmt_int(s, 2), -9007199254740993LL);
	CHECK(!stmt_is_null(s, 0) && stmt_int(s, 2) < 0);
	CHECK_INT(stmt_step(s, &fx.err), 0);
	stmt_free(&s);
	/* a syntax error is an internal error, not a crash or a conflict */
	CHECK(store_exec(fx.st, "SELEC nonsense", &fx.err) < 0);
	CHECK_INT(fx.err.code, ERR_INTERNAL);
	fx_close(&fx);
}

/* A lock taken on one connection is refused to another until released
   (PostgreSQL); SQLite grants every lock. */
static void test_store__named_locks(void)
{
	struct fixture fx;
	struct store *other = NULL;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	CHECK(store_open(fx.ts.url, &other, &fx.err) == 0);
	bool shared = strcmp(test_store_backend(), "postgres") == 0;
	CHECK_INT(store_try_lock(fx.st, 42, &fx.err), 1);
	CHECK_INT(store_try_lock(other, 42, &fx.err), shared ? 0 : 1);
	CHECK_INT(store_try_lock(other, 43, &fx.err), 1);
	CHECK_INT(store_unlock(fx.st, 42, &fx.err), 0);
	CHECK_INT(store_try_lock(other, 42, &fx.err), 1);
	CHECK_INT(store_unlock(other, 42, &fx.err), 0);
	CHECK_INT(store_unlock(other, 43, &fx.err), 0);
	store_close(&other); /* a closed connection's locks go with it */
	fx_close(&fx);
}

/* Drafts: one per user and key, replaced in place, listed newest first, and
   never another user's (read, list, delete). */
static void test_store__drafts_per_user(void)
{
	struct fixture fx;
	CHECK_MSG(fx_open(&fx), "%s", fx.err.msg);
	int64_t other;
	json_t *d, *items;
	CHECK(store_user_create(fx.st, "o@example.com", "O", USER_MANAGER, "h", &other, &fx.err) ==
	      0);
	json_t *f1 = json_in_arena(fx.a, json_pack("{ss}", "body", "first"));
	json_t *f2 = json_in_arena(fx.a, json_pack("{ss}", "body", "second"));
	CHECK(store_draft_put(fx.st, 1, "thread-3", f1, &fx.err) == 0);
	CHECK(store_draft_put(fx.st, 1, "thread-3", f2, &fx.err) == 0);
	CHECK(store_draft_put(fx.st, 1, "new", f1, &fx.err) == 0);
	CHECK_INT(store_draft_get(fx.st, 1, "thread-3", fx.a, &d, &fx.err), 1);
	CHECK_STR(json_string_value(json_object_get(json_object_get(d, "fields"), "body")),
		  "second");
	CHECK_INT(store_draft_get(fx.st, other, "thread-3", fx.a, &d, &fx.err), 0);
	CHECK(store_drafts(fx.st, other, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 0);
	CHECK(store_drafts(fx.st, 1, 10, fx.a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 2);
	CHECK_INT(store_draft_delete(fx.st, other, "thread-3", &fx.err), 0);
	CHECK_INT(store_draft_delete(fx.st, 1, "thread-3", &fx.err), 1);
	CHECK_INT(store_draft_delete(fx.st, 1, "thread-3", &fx.err), 0);
	CHECK_INT(store_draft_get(fx.st, 1, "new", fx.a, &d, &fx.err), 1);
	fx_close(&fx);
}

void test_store_record(void)
{
	TEST_STORE_RUN(test_store__migrations_idempotent);
	TEST_STORE_RUN(test_store__crud_and_events);
	TEST_STORE_RUN(test_store__deal_stages_and_timeline);
	TEST_STORE_RUN(test_store__delete_referenced_contact_conflicts);
	TEST_STORE_RUN(test_store__list_filters_and_paging);
	TEST_STORE_RUN(test_store__users_sessions_tokens);
	TEST_STORE_RUN(test_store__placeholders_and_quotes);
	TEST_STORE_RUN(test_store__named_locks);
	TEST_STORE_RUN(test_store__drafts_per_user);
}
