/* contact_import_csv(): two passes over the file. The first checks every row
 * and lists what is wrong; the second runs only when nothing is, and writes
 * everything in one transaction. Both passes build each row with the same
 * function, in an arena of its own, so memory grows with the lookup caches
 * (companies, owners, the file's primary emails), not with the rows' data.
 * The store is never written in the first pass. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/address.h"
#include "core/contact_csv.h"
#include "core/csv.h"
#include "core/entity.h"
#include "core/user.h"
#include "io/contact_import.h"
#include "store/store.h"
#include "base/banned.h"

struct import {
	struct store *st;
	struct slice csv;
	int64_t actor_id;
	struct arena *a; /* the caller's: the report, env, header map */
	struct entity_env env;
	struct contact_csv_map map;
	struct csv_record *rec;
	json_t *errors;	   /* the report's list, tied to a */
	json_t *emails;	   /* primary email -> line, for repeats within the file */
	json_t *companies; /* lower-cased name -> id; 0: to be created */
	json_t *owners;	   /* owner email -> user id */
	json_t *known;	   /* "companies 12", "users 3" -> true once found */
	bool writing;	   /* the second pass */
	size_t nimported, ncreated;
};

/* Errors about a row, as opposed to failures of the store. */
static bool row_error(const struct err *e)
{
	return e->code != ERR_INTERNAL && e->code != ERR_TEMP;
}

/* Lists e for line; false once CONTACT_IMPORT_MAX_ERRORS are listed. */
static bool report(struct import *im, size_t line, const struct err *e)
{
	json_array_append_new(im->errors, json_pack("{sIssss}", "line", (json_int_t)line, "field",
						    e->field, "message", e->msg));
	if (json_array_size(im->errors) < CONTACT_IMPORT_MAX_ERRORS)
		return true;
	json_array_append_new(im->errors,
			      json_pack("{sIssss}", "line", (json_int_t)line, "field", "",
					"message", "too many errors: checking stopped here"));
	return false;
}

/* The message of err again with prefix in front, about field (NULL: the same field). */
static int err_reword(struct err *err, const char *field, const char *prefix)
{
	char msg[ERR_MSG_MAX], old_field[ERR_FIELD_MAX];
	snprintf(msg, sizeof(msg), "%s", err->msg);
	snprintf(old_field, sizeof(old_field), "%s", err->field);
	return err_set_field(err, err->code, field ? field : old_field, "%s%s", prefix, msg);
}

/* Fails unless the record id of table exists. */
static int check_ref(struct import *im, const char *table, int64_t id, const char *field,
		     struct arena *ra, struct err *err)
{
	const char *key = arena_printf(ra, "%s %lld", table, (long long)id);
	if (json_object_get(im->known, key))
		return 0;
	json_t *rec;
	struct user *u;
	int r = strcmp(table, "users") == 0
		    ? store_user_get(im->st, id, ra, &u, err)
		    : store_record_get(im->st, &company_def, id, ra, &rec, err);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set_field(err, ERR_INVALID, field,
				     "'%s' refers to %s %lld, which does not exist", field, table,
				     (long long)id);
	json_object_set_new(im->known, key, json_true());
	return 0;
}

static int create_company(struct import *im, const char *name, struct arena *ra, int64_t *id_r,
			  struct err *err)
{
	json_t *in = json_in_arena(ra, json_pack("{ss}", "name", name)), *rec, *out;
	if (entity_validate(&company_def, in, NULL, &im->env, ra, &rec, err) < 0)
		return err_reword(err, "company", "'company' is not a valid name: ");
	if (!im->writing) {
		*id_r = 0;
		return 0;
	}
	if (store_record_create(im->st, &company_def, rec, im->actor_id, ra, &out, err) < 0)
		return -1;
	*id_r = json_integer_value(json_object_get(out, "id"));
	im->ncreated++;
	return 0;
}

/* The id of the company called name: cached, found, or (second pass) created. */
static int company_id(struct import *im, const char *name, struct arena *ra, int64_t *id_r,
		      struct err *err)
{
	const char *key = str_lower(ra, name);
	const json_t *v = json_object_get(im->companies, key);
	int64_t id = 0;
	if (v)
		id = json_integer_value(v);
	else if (store_company_by_name(im->st, name, &id, err) < 0)
		return -1;
	if (id == 0 && create_company(im, name, ra, &id, err) < 0)
		return -1;
	if (!v && id == 0 && !im->writing)
		im->ncreated++; /* the first pass: one a real import would create */
	json_object_set_new(im->companies, key, json_integer(id));
	*id_r = id;
	return 0;
}

static int owner_id(struct import *im, const char *owner, struct arena *ra, int64_t *id_r,
		    struct err *err)
{
	const char *email = address_normalize(ra, owner);
	if (!email)
		return err_set_field(err, ERR_INVALID, "owner",
				     "'owner' must be a user's email address, not '%s'", owner);
	json_t *v = json_object_get(im->owners, email);
	if (v) {
		*id_r = json_integer_value(v);
		return 0;
	}
	struct user *u;
	int r = store_user_by_email(im->st, email, ra, &u, err);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set_field(err, ERR_INVALID, "owner",
				     "'owner' %s is not a user of Parley", email);
	*id_r = u->id;
	json_object_set_new(im->owners, email, json_integer(u->id));
	return 0;
}

/* Turns the company and owner columns into ids in row->input. A name or email
   wins over an id column. */
static int resolve(struct import *im, struct contact_csv_row *row, struct arena *ra,
		   struct err *err)
{
	int64_t cid = row->company_id, oid = row->owner_id;
	if (row->company) {
		if (company_id(im, row->company, ra, &cid, err) < 0)
			return -1;
	} else if (cid && check_ref(im, "companies", cid, "company_id", ra, err) < 0) {
		return -1;
	}
	if (row->owner) {
		if (owner_id(im, row->owner, ra, &oid, err) < 0)
			return -1;
	} else if (oid && check_ref(im, "users", oid, "owner_id", ra, err) < 0) {
		return -1;
	}
	if (cid > 0)
		json_object_set_new(row->input, "company_id", json_integer(cid));
	if (oid > 0)
		json_object_set_new(row->input, "owner_id", json_integer(oid));
	return 0;
}

/* A primary email seen on an earlier line or already a contact's. */
static int check_duplicate(struct import *im, const json_t *contact, size_t line, struct err *err)
{
	const char *primary =
	    json_string_value(json_array_get(json_object_get(contact, "emails"), 0));
	if (!primary)
		return 0;
	const json_t *seen = json_object_get(im->emails, primary);
	if (seen)
		return err_set_field(err, ERR_CONFLICT, "emails",
				     "'emails' %s is also on line %lld", primary,
				     (long long)json_integer_value(seen));
	int64_t id;
	int r = store_contact_by_email(im->st, primary, &id, err);
	if (r < 0)
		return -1;
	if (r == 1)
		return err_set_field(err, ERR_CONFLICT, "emails",
				     "'emails' %s is already contact %lld", primary, (long long)id);
	json_object_set_new(im->emails, primary, json_integer((json_int_t)line));
	return 0;
}

/* The validated contact for im->rec, everything in ra; NULL for a blank row. */
static int build_row(struct import *im, struct arena *ra, json_t **contact_r, struct err *err)
{
	struct contact_csv_row row;
	*contact_r = NULL;
	if (contact_csv_row_parse(&im->map, im->rec, ra, &row, err) < 0)
		return -1;
	if (row.blank)
		return 0;
	if (resolve(im, &row, ra, err) < 0 ||
	    entity_validate(&contact_def, row.input, NULL, &im->env, ra, contact_r, err) < 0)
		return -1;
	return im->writing ? 0 : check_duplicate(im, *contact_r, im->rec->line, err);
}

/* Opens the file and maps its header. 1: ready, 0: a problem is reported, -1. */
static int start(struct import *im, struct csv_reader *r, struct err *err)
{
	struct err e = {0};
	if (csv_reader_init(r, im->csv, &e) < 0) {
		if (e.code == ERR_TOOBIG) {
			*err = e;
			return -1;
		}
		report(im, r->err_line, &e);
		return 0;
	}
	int got = csv_read(r, im->a, im->rec, &e);
	if (got == 0)
		err_set(&e, ERR_INVALID, "the file is empty: its first row must name the columns");
	if (got <= 0) {
		report(im, got < 0 ? r->err_line : 1, &e);
		return 0;
	}
	if (contact_csv_map_header(im->rec, im->a, &im->map, &e) < 0) {
		report(im, im->rec->line, &e);
		return 0;
	}
	return 1;
}

/* The first pass: every problem goes into the report. */
static int check_all(struct import *im, struct err *err)
{
	struct csv_reader r;
	int got = start(im, &r, err);
	while (got == 1) {
		struct arena *ra = arena_new();
		struct err e = {0};
		json_t *contact;
		got = csv_read(&r, ra, im->rec, &e);
		if (got < 0) {
			report(im, r.err_line, &e);
			got = 0;
		} else if (got == 1 && build_row(im, ra, &contact, &e) < 0) {
			if (!row_error(&e)) {
				*err = e;
				got = -1;
			} else if (!report(im, im->rec->line, &e)) {
				got = 0;
			}
		} else if (got == 1) {
			im->nimported += contact != NULL;
		}
		arena_free(&ra);
	}
	return got;
}

/* Creates the contact of im->rec (none for a blank row). */
static int write_row(struct import *im, struct arena *ra, struct err *err)
{
	json_t *contact, *out;
	if (build_row(im, ra, &contact, err) < 0 ||
	    (contact &&
	     store_record_create(im->st, &contact_def, contact, im->actor_id, ra, &out, err) < 0))
		return err_reword(err, NULL, arena_printf(ra, "line %zu: ", im->rec->line));
	im->nimported += contact != NULL;
	return 0;
}

static int write_rows(struct import *im, struct csv_reader *r, struct err *err)
{
	int got;
	do {
		struct arena *ra = arena_new();
		got = csv_read(r, ra, im->rec, err);
		if (got == 1 && write_row(im, ra, err) < 0)
			got = -1;
		arena_free(&ra);
	} while (got == 1);
	return got;
}

/* The second pass, after a clean first one: everything or nothing. */
static int write_all(struct import *im, struct err *err)
{
	struct csv_reader r;
	im->writing = true;
	im->nimported = im->ncreated = 0; /* the first pass counted what it would write */
	if (start(im, &r, err) != 1)
		return err_set(err, ERR_INTERNAL, "the file changed between the import's passes");
	if (store_tx_begin(im->st, err) < 0)
		return -1;
	if (write_rows(im, &r, err) < 0) {
		store_tx_rollback(im->st);
		return -1;
	}
	return store_tx_commit(im->st, err);
}

int contact_import_csv(struct store *st, struct slice csv, int64_t actor_id, bool dry_run,
		       struct arena *a, json_t **report_r, struct err *err)
{
	struct import im = {
	    .st = st,
	    .csv = csv,
	    .actor_id = actor_id,
	    .a = a,
	    .rec = arena_alloc(a, sizeof(struct csv_record)),
	    .errors = json_in_arena(a, json_array()),
	    .emails = json_object(),
	    .companies = json_object(),
	    .owners = json_object(),
	    .known = json_object(),
	};
	int rc = store_entity_env(st, a, &im.env, err);
	if (rc == 0)
		rc = check_all(&im, err);
	if (rc == 0 && json_array_size(im.errors) == 0 && !dry_run)
		rc = write_all(&im, err);
	if (json_array_size(im.errors) > 0)
		im.nimported = im.ncreated = 0; /* nothing is (or would be) written */
	json_decref(im.emails);
	json_decref(im.companies);
	json_decref(im.owners);
	json_decref(im.known);
	if (rc < 0)
		return -1;
	*report_r = json_in_arena(a, json_pack("{sIsIsO}", "imported", (json_int_t)im.nimported,
					       "companies_created", (json_int_t)im.ncreated,
					       "errors", im.errors));
	return 0;
}
