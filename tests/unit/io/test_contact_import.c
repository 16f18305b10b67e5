/* Unit tests for io/contact_import.c and io/contact_export.c (and demo_load),
 * each against a fresh SQLite store in a temporary directory. Files with bad
 * rows are fixtures: tests/data/csv/NAME.csv with the report it must give in
 * NAME.expect, one "line N: field 'F': MESSAGE" line per error. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "cli/demo.h"
#include "core/csv.h"
#include "core/entity.h"
#include "core/user.h"
#include "io/contact_export.h"
#include "io/contact_import.h"
#include "store/store.h"
#include "base/banned.h"

struct tstore {
	char dir[64];
	struct store *st;
};

static bool tstore_open(struct tstore *t)
{
	struct err err = {0};
	char url[128];
	snprintf(t->dir, sizeof(t->dir), "/tmp/parley-unit-XXXXXX");
	t->st = NULL;
	if (!mkdtemp(t->dir))
		return CHECK_MSG(false, "mkdtemp failed");
	snprintf(url, sizeof(url), "sqlite:%s/t.db", t->dir);
	if (store_open(url, &t->st, &err) < 0 || store_migrate(t->st, &err) < 0)
		return CHECK_MSG(false, "store: %s", err.msg);
	return true;
}

static void tstore_close(struct tstore *t)
{
	static const char *const files[] = {"t.db", "t.db-wal", "t.db-shm", "t.db-journal"};
	char path[128];
	store_close(&t->st);
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", t->dir, files[i]);
		unlink(path);
	}
	rmdir(t->dir);
}

static int64_t count(struct store *st, const char *table)
{
	struct err err = {0};
	char sql[64];
	int64_t n = -1;
	snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
	store_query_int(st, sql, &n, &err, 0);
	return n;
}

static struct slice fixture(struct arena *a, const char *name)
{
	char path[256];
	snprintf(path, sizeof(path), "%s/csv/%s", test_data_dir(), name);
	struct buf b;
	buf_init(&b, a, CSV_MAX_FILE);
	FILE *f = fopen(path, "rb");
	CHECK_MSG(f != NULL, "cannot open %s", path);
	char chunk[4096];
	size_t n;
	while (f && (n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	if (f)
		fclose(f);
	return (struct slice){b.data, b.len};
}

/* The report's errors as the CLI prints them. */
static const char *errors_text(const json_t *report, struct arena *a)
{
	struct buf b;
	buf_init(&b, a, 1 << 20);
	size_t i;
	const json_t *e;
	json_array_foreach(json_object_get(report, "errors"), i, e)
	{
		buf_printf(
		    &b, "line %lld: ", (long long)json_integer_value(json_object_get(e, "line")));
		if (*json_get_str(e, "field"))
			buf_printf(&b, "field '%s': ", json_get_str(e, "field"));
		buf_printf(&b, "%s\n", json_get_str(e, "message"));
	}
	return b.data;
}

static int64_t create(struct store *st, const struct entity_def *def, const char *json,
		      struct arena *a)
{
	struct err err = {0};
	struct entity_env env;
	json_t *rec, *out, *in = json_parse(a, json, strlen(json), &err);
	if (!in || store_entity_env(st, a, &env, &err) < 0 ||
	    entity_validate(def, in, NULL, &env, a, &rec, &err) < 0 ||
	    store_record_create(st, def, rec, 0, a, &out, &err) < 0)
		return CHECK_MSG(false, "create: %s", err.msg), 0;
	return json_integer_value(json_object_get(out, "id"));
}

/* A user, a company and a contact (ids 1, 1, 1) for the imports to meet. */
static void seed(struct store *st, struct arena *a)
{
	struct err err = {0};
	int64_t id;
	CHECK(store_user_create(st, "owner@example.com", "Owner", USER_MANAGER, NULL, &id, &err) ==
	      0);
	CHECK_INT(create(st, &company_def, "{\"name\": \"Acme Corp\"}", a), 1);
	CHECK_INT(create(st, &contact_def,
			 "{\"first_name\": \"Existing\", \"emails\": [\"Existing@Example.com\"]}",
			 a),
		  1);
}

static json_t *import(struct store *st, struct slice csv, struct arena *a)
{
	struct err err = {0};
	json_t *report = NULL;
	CHECK_MSG(contact_import_csv(st, csv, 0, false, a, &report, &err) == 0, "import: %s",
		  err.msg);
	return report ? report
		      : json_in_arena(a, json_pack("{sisis[]}", "imported", -1, "companies_created",
						   -1, "errors"));
}

static json_t *contact_by_email(struct store *st, const char *email, struct arena *a)
{
	struct err err = {0};
	int64_t id = 0;
	json_t *c = NULL;
	if (store_contact_by_email(st, email, &id, &err) != 1 ||
	    store_record_get(st, &contact_def, id, a, &c, &err) != 1)
		CHECK_MSG(false, "no contact %s %s", email, err.msg);
	return c ? c : json_in_arena(a, json_object());
}

static void test_contact_import__good(void)
{
	struct arena *a = arena_new();
	struct tstore t;
	if (!tstore_open(&t))
		goto out;
	seed(t.st, a);
	json_t *report = import(t.st, fixture(a, "contacts-good.csv"), a);
	CHECK_STR(errors_text(report, a), "");
	CHECK_INT(json_integer_value(json_object_get(report, "imported")), 4);
	CHECK_INT(json_integer_value(json_object_get(report, "companies_created")), 1);
	CHECK_INT(count(t.st, "contacts"), 5);
	CHECK_INT(count(t.st, "companies"), 2);

	json_t *ada = contact_by_email(t.st, "ada@analytical.example", a);
	json_t *want = json_in_arena(
	    a, json_pack("{sssss[ss]s[s]sisis[ss]sss{ssss}}", "first_name", "Ada", "last_name",
			 "Lovelace", "emails", "ada@analytical.example", "ada.home@mail.example",
			 "phones", "+442079460001", "company_id", 1, "owner_id", 1, "tags", "vip",
			 "math", "stage", "customer", "custom", "Source", "conference", "notes",
			 "likes \"engines\", tea"));
	const char *key;
	json_t *v;
	json_object_foreach(want, key, v)
	{
		CHECK_MSG(json_equal(v, json_object_get(ada, key)), "ada.%s is %s", key,
			  json_dump_arena(a, json_object_get(ada, key)));
	}
	json_t *charles = contact_by_email(t.st, "charles@analytical.example", a);
	json_t *grace = contact_by_email(t.st, "grace@navy.example", a);
	json_t *alan = contact_by_email(t.st, "alan@turing.example", a);
	int64_t globex = 0;
	struct err err = {0};
	CHECK(store_company_by_name(t.st, "GLOBEX", &globex, &err) == 1 && globex == 2);
	CHECK_INT(json_integer_value(json_object_get(charles, "company_id")), globex);
	CHECK_INT(json_integer_value(json_object_get(grace, "company_id")), globex);
	CHECK_INT(json_array_size(json_object_get(charles, "phones")), 2);
	CHECK_STR(json_dump_arena(a, json_object_get(charles, "custom")),
		  "{\"notes\":\"line one\\r\\nline two\"}");
	CHECK_STR(json_dump_arena(a, json_object_get(grace, "tags")), "[\"cobol\",\"navy\"]");
	CHECK_INT(json_array_size(json_object_get(grace, "emails")), 2);
	CHECK_STR(json_get_str(grace, "stage"), "lead");
	CHECK(json_is_null(json_object_get(alan, "first_name")));

	/* The same file again: every row is now a duplicate, nothing is written. */
	report = import(t.st, fixture(a, "contacts-good.csv"), a);
	CHECK_INT(json_array_size(json_object_get(report, "errors")), 4);
	CHECK_INT(json_integer_value(json_object_get(report, "imported")), 0);
	CHECK_INT(count(t.st, "contacts"), 5);
	tstore_close(&t);
out:
	arena_free(&a);
}

/* dry_run: the same counts as the real import, nothing written. */
static void test_contact_import__dry_run(void)
{
	struct arena *a = arena_new();
	struct tstore t;
	if (!tstore_open(&t))
		goto out;
	seed(t.st, a);
	struct err err = {0};
	json_t *report = NULL;
	CHECK(contact_import_csv(t.st, fixture(a, "contacts-good.csv"), 0, true, a, &report,
				 &err) == 0);
	CHECK_STR(errors_text(report, a), "");
	CHECK_INT(json_integer_value(json_object_get(report, "imported")), 4);
	CHECK_INT(json_integer_value(json_object_get(report, "companies_created")), 1);
	CHECK_INT(count(t.st, "contacts"), 1);
	CHECK_INT(count(t.st, "companies"), 1);
	/* A bad row: nothing would be imported. */
	CHECK(contact_import_csv(t.st, SLICE_LIT("first_name,email\nA,a@x.example\nB,nope\n"), 0,
				 true, a, &report, &err) == 0);
	CHECK_INT(json_array_size(json_object_get(report, "errors")), 1);
	CHECK_INT(json_integer_value(json_object_get(report, "imported")), 0);
	CHECK_INT(count(t.st, "contacts"), 1);
	tstore_close(&t);
out:
	arena_free(&a);
}

static void test_contact_import__bad_files(void)
{
	static const char *const names[] = {"contacts-bad", "contacts-header", "contacts-dupes",
					    "contacts-refs"};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		struct arena *a = arena_new();
		struct tstore t;
		if (!tstore_open(&t)) {
			arena_free(&a);
			return;
		}
		seed(t.st, a);
		int64_t events = count(t.st, "events");
		json_t *report = import(t.st, fixture(a, arena_printf(a, "%s.csv", names[i])), a);
		struct slice want = fixture(a, arena_printf(a, "%s.expect", names[i]));
		const char *got = errors_text(report, a);
		CHECK_MSG(slice_eq(want, SLICE_STR(got)), "%s: got\n%s", names[i], got);
		CHECK_INT(json_integer_value(json_object_get(report, "imported")), 0);
		/* Nothing written: no contact, no company, not even an event. */
		CHECK_INT(count(t.st, "contacts"), 1);
		CHECK_INT(count(t.st, "companies"), 1);
		CHECK_INT(count(t.st, "events"), events);
		tstore_close(&t);
		arena_free(&a);
	}
}

static void test_contact_import__too_big(void)
{
	struct arena *a = arena_new();
	struct tstore t;
	if (tstore_open(&t)) {
		char *big = calloc(1, (size_t)CSV_MAX_FILE + 1);
		struct err err = {0};
		json_t *report;
		CHECK(contact_import_csv(t.st, (struct slice){big, (size_t)CSV_MAX_FILE + 1}, 0,
					 false, a, &report, &err) < 0 &&
		      err.code == ERR_TOOBIG);
		free(big);
		report = import(t.st, SLICE_LIT(""), a);
		CHECK_STR(errors_text(report, a),
			  "line 1: the file is empty: its first row must name the columns\n");
		report = import(t.st, SLICE_LIT("first_name,email\r\n"), a);
		CHECK_STR(errors_text(report, a), "");
		tstore_close(&t);
	}
	arena_free(&a);
}

/* The whole export of st, allocated in a. */
static struct slice export_all(struct store *st, struct arena *a)
{
	struct contact_export ex;
	struct err err = {0};
	struct buf b;
	struct slice chunk;
	int r;
	buf_init(&b, a, CSV_MAX_FILE);
	if ((r = contact_export_init(&ex, st, &err)) == 0)
		while ((r = contact_export_next(&ex, &chunk, &err)) == 1)
			buf_append(&b, chunk.ptr, chunk.len);
	contact_export_release(&ex);
	CHECK_MSG(r == 0, "export: %s", err.msg);
	return (struct slice){b.data, b.len};
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* An export with the store-specific columns (id, company_id, created_at,
   updated_at) blanked and the rows sorted, so two stores compare equal. */
static const char *comparable(struct slice csv, struct arena *a)
{
	static const char *const blank[] = {"id", "company_id", "created_at", "updated_at"};
	struct csv_reader r;
	struct csv_record *rec = arena_alloc(a, sizeof(*rec));
	struct err err = {0};
	bool skip[CSV_MAX_FIELDS] = {false};
	const char **rows = arena_alloc(a, 1000 * sizeof(*rows));
	size_t n = 0;
	CHECK(csv_reader_init(&r, csv, &err) == 0);
	while (n < 1000 && csv_read(&r, a, rec, &err) == 1) {
		struct buf b;
		buf_init(&b, a, 1 << 20);
		for (size_t i = 0; i < rec->nfields; i++) {
			for (size_t k = 0; n == 0 && k < sizeof(blank) / sizeof(blank[0]); k++)
				skip[i] |= slice_eq(rec->fields[i], SLICE_STR(blank[k]));
			if (!skip[i])
				buf_append(&b, rec->fields[i].ptr, rec->fields[i].len);
			buf_putc(&b, '|');
		}
		rows[n++] = b.data;
	}
	qsort(rows + 1, n ? n - 1 : 0, sizeof(*rows), cmp_str);
	struct buf out;
	buf_init(&out, a, CSV_MAX_FILE);
	for (size_t i = 0; i < n; i++)
		buf_printf(&out, "%s\n", rows[i]);
	return out.data;
}

/* Exports from, imports that into an empty store with the same users, and
   compares the two exports. */
static void round_trip(struct store *from, const char *const *users, size_t nusers,
		       size_t ncontacts, struct arena *a)
{
	struct tstore t;
	struct err err = {0};
	if (!tstore_open(&t))
		return;
	for (size_t i = 0; i < nusers; i++) {
		int64_t id;
		CHECK(store_user_create(t.st, users[i], "User", USER_MANAGER, NULL, &id, &err) ==
		      0);
	}
	struct slice first = export_all(from, a);
	json_t *report = import(t.st, first, a);
	CHECK_STR(errors_text(report, a), "");
	CHECK_INT(json_integer_value(json_object_get(report, "imported")), ncontacts);
	const char *want = comparable(first, a);
	const char *got = comparable(export_all(t.st, a), a);
	CHECK_MSG(strcmp(want, got) == 0, "round trip:\n%s\n---\n%s", want, got);
	tstore_close(&t);
}

static void test_contact_import__round_trip(void)
{
	static const char *const users[] = {"owner@example.com"};
	struct arena *a = arena_new();
	struct tstore t;
	if (tstore_open(&t)) {
		seed(t.st, a);
		import(t.st, fixture(a, "contacts-good.csv"), a);
		round_trip(t.st, users, 1, 5, a);
		tstore_close(&t);
	}
	arena_free(&a);
}

static void test_contact_import__demo(void)
{
	static const char *const managers[] = {
	    "maria.lopez@example.com", "james.okafor@example.com", "yuki.tanaka@example.com"};
	struct arena *a = arena_new();
	struct tstore t;
	struct err err = {0};
	if (tstore_open(&t)) {
		CHECK_MSG(demo_load(t.st, &err) == 0, "demo: %s", err.msg);
		CHECK_INT(count(t.st, "users"), 3);
		CHECK_INT(count(t.st, "companies"), 12);
		CHECK_INT(count(t.st, "contacts"), 40);
		CHECK_INT(count(t.st, "deals"), 20);
		CHECK_INT(count(t.st, "orders"), 30);
		CHECK_INT(count(t.st, "notes"), 25);
		CHECK_INT(count(t.st, "tasks"), 15);
		int64_t n = 0;
		store_query_int(t.st, "SELECT COUNT(DISTINCT stage) FROM deals", &n, &err, 0);
		CHECK_INT(n, 6);
		/* A won deal went new -> qualified -> proposal -> negotiation -> won. */
		json_t *hist;
		CHECK(store_deal_history(t.st, 1, a, &hist, &err) == 0 &&
		      json_array_size(hist) == 5);
		store_query_int(t.st, "SELECT COUNT(*) FROM tasks WHERE status = 'done'", &n, &err,
				0);
		CHECK_INT(n, 3);
		round_trip(t.st, managers, 3, 40, a);
		tstore_close(&t);
	}
	arena_free(&a);
}

void test_contact_import(void)
{
	TEST_RUN(test_contact_import__good);
	TEST_RUN(test_contact_import__dry_run);
	TEST_RUN(test_contact_import__bad_files);
	TEST_RUN(test_contact_import__too_big);
	TEST_RUN(test_contact_import__round_trip);
	TEST_RUN(test_contact_import__demo);
}
