/* The contact export iterator: the header, then one chunk of CSV per page of
 * store_record_list(). Each chunk lives in its own arena, freed when the next
 * one is asked for; only the custom keys and a bounded name cache persist. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "core/contact_csv.h"
#include "core/entity.h"
#include "core/user.h"
#include "io/contact_export.h"
#include "store/store.h"
#include "base/banned.h"

/* The id of the newest contact, or 0. */
static int newest_id(struct store *st, struct arena *a, int64_t *id_r, struct err *err)
{
	struct store_list_query q = {.limit = 1};
	json_t *items;
	char *next;
	if (store_record_list(st, &contact_def, &q, a, &items, &next, err) < 0)
		return -1;
	*id_r = json_integer_value(json_object_get(json_array_get(items, 0), "id"));
	return 0;
}

int contact_export_init(struct contact_export *ex, struct store *st, struct err *err)
{
	memset(ex, 0, sizeof(*ex));
	ex->st = st;
	ex->names = json_object();
	struct arena *a = arena_new();
	int64_t max_id = 0;
	json_t *keys;
	int rc = newest_id(st, a, &max_id, err);
	if (rc == 0)
		rc = store_contact_custom_keys(st, max_id, a, &keys, err);
	if (rc == 0)
		ex->custom_keys = json_incref(keys);
	arena_free(&a);
	snprintf(ex->cursor, sizeof(ex->cursor), "%lld", (long long)max_id + 1);
	return rc;
}

/* The company's name or the user's email for the id in idv (NULL if idv is
   null or the record is gone), copied into the page arena. */
static int lookup_name(struct contact_export *ex, const json_t *idv, bool user, const char **name_r,
		       struct err *err)
{
	*name_r = NULL;
	if (!json_is_integer(idv))
		return 0;
	int64_t id = json_integer_value(idv);
	char key[32];
	snprintf(key, sizeof(key), "%c%lld", user ? 'u' : 'c', (long long)id);
	json_t *v = json_object_get(ex->names, key);
	if (!v) {
		const char *name = NULL;
		struct user *u;
		json_t *c;
		int r = user ? store_user_get(ex->st, id, ex->page, &u, err)
			     : store_record_get(ex->st, &company_def, id, ex->page, &c, err);
		if (r < 0)
			return -1;
		if (r == 1)
			name = user ? u->email : json_string_value(json_object_get(c, "name"));
		if (json_object_size(ex->names) >= CONTACT_EXPORT_CACHE_MAX)
			json_object_clear(ex->names);
		v = name ? json_string(name) : json_null();
		json_object_set_new(ex->names, key, v);
	}
	*name_r = arena_strdup(ex->page, json_string_value(v));
	return 0;
}

static int write_page(struct contact_export *ex, struct buf *b, struct err *err)
{
	struct store_list_query q = {.limit = CONTACT_EXPORT_PAGE, .cursor = ex->cursor};
	json_t *items;
	char *next;
	if (store_record_list(ex->st, &contact_def, &q, ex->page, &items, &next, err) < 0)
		return -1;
	size_t i;
	const json_t *c;
	json_array_foreach(items, i, c)
	{
		const char *company, *owner;
		if (lookup_name(ex, json_object_get(c, "company_id"), false, &company, err) < 0 ||
		    lookup_name(ex, json_object_get(c, "owner_id"), true, &owner, err) < 0)
			return -1;
		contact_csv_write_row(b, c, company, owner, ex->custom_keys, ex->page);
	}
	if (next)
		snprintf(ex->cursor, sizeof(ex->cursor), "%s", next);
	else
		ex->done = true;
	return 0;
}

int contact_export_next(struct contact_export *ex, struct slice *chunk_r, struct err *err)
{
	arena_free(&ex->page);
	if (ex->done)
		return 0;
	ex->page = arena_new();
	struct buf b;
	buf_init(&b, ex->page, CONTACT_EXPORT_MAX_CHUNK);
	if (!ex->header_done) {
		contact_csv_write_header(&b, ex->custom_keys);
		ex->header_done = true;
	} else if (write_page(ex, &b, err) < 0) {
		return -1;
	}
	if (buf_finish(&b) < 0)
		return err_set(err, ERR_TOOBIG, "%d contacts make more than %d MiB of CSV",
			       CONTACT_EXPORT_PAGE, CONTACT_EXPORT_MAX_CHUNK / (1024 * 1024));
	if (b.len == 0)
		return 0; /* the last page was empty */
	*chunk_r = (struct slice){b.data, b.len};
	return 1;
}

void contact_export_release(struct contact_export *ex)
{
	arena_free(&ex->page);
	json_decref(ex->custom_keys);
	json_decref(ex->names);
	ex->custom_keys = ex->names = NULL;
}
