/* Unit tests for core/entity.c and the entity tables. */
#include <stdio.h>

#include "test.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "core/entity.h"

static const char *const cc44_stages[] = {"new", "won", "lost", NULL};

/* Validates input for def (create when old is NULL); returns the record or NULL. */
static json_t *validate(struct arena *a, const struct entity_def *def, const char *input,
			const char *old, struct err *err)
{
	struct entity_env env = {entity_default_stages, NULL, 1795517094};
	json_t *in = json_in_arena(a, json_loads(input, 0, NULL));
	json_t *o = old ? json_in_arena(a, json_loads(old, 0, NULL)) : NULL;
	json_t *rec = NULL;
	err_clear(err);
	if (entity_validate(def, in, o, &env, a, &rec, err) < 0)
		return NULL;
	return rec;
}

static void test_entity__contact_cases(void)
{
	static const struct {
		const char *input;
		const char *field; /* NULL: valid */
	} cases[] = {
	    {"{\"first_name\":\"Ada\"}", NULL},
	    {"{\"emails\":[\"a@b.co\"]}", NULL},
	    {"{}", "first_name"},
	    {"{\"first_name\":\"  \"}", "first_name"},
	    {"{\"first_name\":42}", "first_name"},
	    {"{\"first_name\":\"A\",\"emails\":[\"not an address\"]}", "emails"},
	    {"{\"first_name\":\"A\",\"emails\":\"a@b.co\"}", "emails"},
	    {"{\"first_name\":\"A\",\"phones\":[\"12345\"]}", "phones"},
	    {"{\"first_name\":\"A\",\"stage\":\"vip\"}", "stage"},
	    {"{\"first_name\":\"A\",\"stage\":null}", "stage"},
	    {"{\"first_name\":\"A\",\"company_id\":0}", "company_id"},
	    {"{\"first_name\":\"A\",\"company_id\":\"1\"}", "company_id"},
	    {"{\"first_name\":\"A\",\"custom\":[]}", "custom"},
	    {"{\"first_name\":\"A\",\"nickname\":\"x\"}", "nickname"},
	    {"{\"first_name\":\"A\",\"tags\":[\"a,b\"]}", "tags"},
	    {"{\"first_name\":\"A\",\"id\":5,\"created_at\":\"x\"}", NULL},
	};
	struct arena *a = arena_new();
	struct err err;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		json_t *rec = validate(a, &contact_def, cases[i].input, NULL, &err);
		if (!cases[i].field)
			CHECK_MSG(rec != NULL, "case %zu: %s", i, err.msg);
		else
			CHECK_MSG(!rec && strcmp(err.field, cases[i].field) == 0,
				  "case %zu: field '%s' (%s), wanted '%s'", i, err.field, err.msg,
				  cases[i].field);
	}
	arena_free(&a);
}

static void test_entity__contact_normalised(void)
{
	struct arena *a = arena_new();
	struct err err;
	json_t *rec = validate(a, &contact_def,
			       "{\"first_name\":\" Ada \",\"emails\":[\"Ada@Example.COM\","
			       "\"ada@example.com\"],\"phones\":[\"+1 (415) 555-0100\","
			       "\"0044 20 7946 0000\"],\"tags\":[\" VIP \",\"vip\"]}",
			       NULL, &err);
	CHECK(rec != NULL);
	CHECK_STR(json_get_str(rec, "first_name"), "Ada");
	CHECK_INT(json_array_size(json_object_get(rec, "emails")), 1);
	CHECK_STR(json_string_value(json_array_get(json_object_get(rec, "emails"), 0)),
		  "ada@example.com");
	CHECK_STR(json_string_value(json_array_get(json_object_get(rec, "phones"), 0)),
		  "+14155550100");
	CHECK_STR(json_string_value(json_array_get(json_object_get(rec, "phones"), 1)),
		  "+442079460000");
	CHECK_STR(json_string_value(json_array_get(json_object_get(rec, "tags"), 0)), "vip");
	CHECK_STR(json_get_str(rec, "stage"), "lead");
	arena_free(&a);
}

static void test_entity__update_keeps_absent_fields(void)
{
	struct arena *a = arena_new();
	struct err err;
	json_t *rec = validate(a, &contact_def, "{\"last_name\":\"L\"}",
			       "{\"first_name\":\"Ada\",\"stage\":\"lead\"}", &err);
	CHECK(rec != NULL);
	CHECK(json_object_get(rec, "stage") == NULL);
	CHECK(json_object_get(rec, "emails") == NULL);
	/* clearing every name of a contact with no address is refused */
	CHECK(
	    !validate(a, &contact_def, "{\"first_name\":null}", "{\"first_name\":\"Ada\"}", &err));
	arena_free(&a);
}

static void test_entity__order_total(void)
{
	struct arena *a = arena_new();
	struct err err;
	json_t *rec = validate(a, &order_def,
			       "{\"contact_id\":1,\"items\":[{\"sku\":\"A\",\"name\":\"W\","
			       "\"qty\":3,\"price\":250},{\"name\":\"X\",\"qty\":1,\"price\":5}]}",
			       NULL, &err);
	CHECK(rec != NULL);
	CHECK_INT(json_integer_value(json_object_get(rec, "total")), 755);
	CHECK_STR(json_get_str(rec, "currency"), "USD");
	CHECK_INT(json_integer_value(json_object_get(rec, "placed_at")), 1795517094);
	CHECK(!validate(a, &order_def,
			"{\"contact_id\":1,\"total\":1,\"items\":[{\"name\":\"W\",\"qty\":1,"
			"\"price\":2}]}",
			NULL, &err));
	CHECK_STR(err.field, "total");
	CHECK(!validate(a, &order_def,
			"{\"contact_id\":1,\"items\":[{\"name\":\"W\",\"qty\":0,\"price\":2}]}",
			NULL, &err));
	CHECK(!validate(a, &order_def, "{\"contact_id\":1,\"items\":[]}", NULL, &err));
	arena_free(&a);
}

static void test_entity__deal_pipeline(void)
{
	struct arena *a = arena_new();
	struct err err;
	json_t *rec = validate(a, &deal_def, "{\"title\":\"T\",\"currency\":\"eur\"}", NULL, &err);
	CHECK(rec != NULL);
	CHECK_STR(json_get_str(rec, "stage"), "new");
	CHECK_STR(json_get_str(rec, "currency"), "EUR");
	CHECK(!validate(a, &deal_def, "{\"title\":\"T\",\"stage\":\"closed\"}", NULL, &err));
	CHECK_STR(err.field, "stage");
	CHECK(!validate(a, &deal_def, "{\"title\":\"T\",\"amount\":-1}", NULL, &err));
	CHECK(!validate(a, &deal_def, "{\"title\":\"T\",\"expected_close\":\"2026-02-30\"}", NULL,
			&err));
	struct entity_env env = {cc44_stages, "44", 0};
	json_t *in = json_in_arena(a, json_loads("{\"title\":\"T\",\"stage\":\"won\"}", 0, NULL));
	CHECK(entity_validate(&deal_def, in, NULL, &env, a, &rec, &err) == 0);
	arena_free(&a);
}

static void test_entity__note_needs_link(void)
{
	struct arena *a = arena_new();
	struct err err;
	CHECK(!validate(a, &note_def, "{\"body\":\"hi\"}", NULL, &err));
	CHECK(validate(a, &note_def, "{\"body\":\"hi\",\"deal_id\":3}", NULL, &err) != NULL);
	arena_free(&a);
}

/* Times only in the years 0001 to 9999, as strings or integers. */
static void test_entity__time_bounds(void)
{
	static const struct {
		const char *due;
		bool ok;
	} cases[] = {
	    {"\"0001-01-01T00:00:00Z\"", true},
	    {"\"9999-12-31T23:59:59Z\"", true},
	    {"-62135596800", true},
	    {"253402300799", true},
	    {"\"0000-12-31T23:59:59Z\"", false},
	    {"\"9999-12-31T23:00:00-02:00\"", false},
	    {"-62135596801", false},
	    {"253402300800", false},
	    {"-9223372036854775807", false},
	    {"9223372036854775807", false},
	};
	struct arena *a = arena_new();
	struct err err;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char in[128];
		snprintf(in, sizeof(in), "{\"title\":\"t\",\"due_at\":%s}", cases[i].due);
		json_t *rec = validate(a, &task_def, in, NULL, &err);
		CHECK_MSG((rec != NULL) == cases[i].ok, "case %zu %s: %s", i, cases[i].due,
			  rec ? "accepted" : err.msg);
		if (!cases[i].ok)
			CHECK_STR(err.field, "due_at");
	}
	arena_free(&a);
}

static void test_entity__tables_are_consistent(void)
{
	for (size_t i = 0; entities[i]; i++) {
		const struct entity_def *d = entities[i];
		CHECK(entity_find(d->name) == d && entity_find(d->table) == d);
		for (size_t j = 0; j < d->nfields; j++) {
			const struct field_def *f = &d->fields[j];
			CHECK_MSG(!((f->type == FT_REF || f->type == FT_REFLIST) && !f->ref),
				  "%s.%s has no ref table", d->name, f->name);
			CHECK_MSG(
			    !(f->type == FT_ENUM && !f->values && !(f->flags & FIELD_PIPELINE)),
			    "%s.%s has no values", d->name, f->name);
		}
		for (size_t j = 0; d->perm_fields && d->perm_fields[j]; j++)
			CHECK_MSG(entity_field(d, d->perm_fields[j]) ||
				      strcmp(d->perm_fields[j], "created_by") == 0,
				  "%s perm field %s", d->name, d->perm_fields[j]);
	}
}

void test_entity(void)
{
	TEST_RUN(test_entity__contact_cases);
	TEST_RUN(test_entity__contact_normalised);
	TEST_RUN(test_entity__update_keeps_absent_fields);
	TEST_RUN(test_entity__order_total);
	TEST_RUN(test_entity__deal_pipeline);
	TEST_RUN(test_entity__note_needs_link);
	TEST_RUN(test_entity__time_bounds);
	TEST_RUN(test_entity__tables_are_consistent);
}
