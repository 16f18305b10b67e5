/* Contacts as CSV rows: the columns an import accepts, the mapping of one
 * row to a contact's JSON input, and the rows an export writes. Pure: the
 * lookups a row needs (company by name, owner by email, duplicates) are the
 * caller's (io/contact_import.c). */
#ifndef CORE_CONTACT_CSV_H
#define CORE_CONTACT_CSV_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/csv.h"

struct arena;
struct buf;
struct err;

/*
 * Import columns, matched case-insensitively after trimming:
 *   first_name   also "first name", "firstname", "given name"
 *   last_name    also "last name", "lastname", "surname", "family name"
 *   email        also "emails", "e-mail", "email2", "email 3", ...: any number
 *                of them; a cell may hold several addresses separated by ';'
 *                or ','; the first address of the row is the primary one
 *   phone        also "phones", "phone2", ...: ';'-separated
 *   company      a company name (the caller matches or creates it)
 *   company_id   the id of an existing company (used when company is empty)
 *   owner        a user's email address
 *   owner_id     a user's id (used when owner is empty)
 *   tags         separated by ';' or ','
 *   stage        lead, prospect, customer or churned (case-insensitive)
 *   custom.KEY   the value (a string) of KEY in the custom object
 *   id, created_at, updated_at   written by export; accepted and ignored
 * Any other column is an error. Empty cells are left out (defaults apply).
 * Every cell first goes through csv_unguard(), so exports import unchanged.
 */
enum contact_col {
	CONTACT_COL_IGNORED,
	CONTACT_COL_FIRST_NAME,
	CONTACT_COL_LAST_NAME,
	CONTACT_COL_EMAIL,
	CONTACT_COL_PHONE,
	CONTACT_COL_COMPANY,
	CONTACT_COL_COMPANY_ID,
	CONTACT_COL_OWNER,
	CONTACT_COL_OWNER_ID,
	CONTACT_COL_TAGS,
	CONTACT_COL_STAGE,
	CONTACT_COL_CUSTOM,
};

struct contact_csv_map {
	size_t ncols;
	enum contact_col cols[CSV_MAX_FIELDS];
	const char *custom_keys[CSV_MAX_FIELDS]; /* CONTACT_COL_CUSTOM: the key */
};

/* Maps a header record's names to columns; custom keys are allocated in a.
   Returns 0, or -1 with ERR_INVALID and err->field set to the column's name
   as written for an unknown column, a column repeating another one (only
   email, phone and ignored columns may repeat) or a column without a name. */
int contact_csv_map_header(const struct csv_record *hdr, struct arena *a,
			   struct contact_csv_map *map, struct err *err);

/* What one data row says before the caller's lookups. */
struct contact_csv_row {
	json_t *input;	     /* contact input for entity_validate(): names, emails, phones,
				tags, stage, custom (tied to a) */
	const char *company; /* the company column, or NULL when empty */
	const char *owner;   /* the owner column, or NULL */
	int64_t company_id;  /* the company_id column, or 0 */
	int64_t owner_id;    /* the owner_id column, or 0 */
	bool blank;	     /* every cell is empty (",,,," rows spreadsheets write) */
};

/* Reads one data record with map into *row, everything allocated in a.
   Returns 0, or -1 with err (err->field names the column) for a row with
   more fields than the header or an id column that is not a positive
   integer. A shorter row is fine: the missing cells are empty. A row whose
   cells are all empty is not an error: row->blank is set and callers skip it. */
int contact_csv_row_parse(const struct contact_csv_map *map, const struct csv_record *rec,
			  struct arena *a, struct contact_csv_row *row, struct err *err);

/* Export columns: id, first_name, last_name, emails (';'-joined), phones,
   company (name), company_id, owner (email), tags, stage, created_at,
   updated_at, then custom.KEY for each string in custom_keys (a JSON array).
   Appends the header row to b. */
void contact_csv_write_header(struct buf *b, const json_t *custom_keys);

/* Appends contact (a record as the store returns it) as one row to b, in the
   columns of contact_csv_write_header(). company is the company's name and
   owner the owner's email, or NULL. Custom values that are not strings are
   written as JSON text. Temporaries are allocated in a. */
void contact_csv_write_row(struct buf *b, const json_t *contact, const char *company,
			   const char *owner, const json_t *custom_keys, struct arena *a);

#endif
