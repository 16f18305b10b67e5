/* Importing contacts from CSV into the store, all or nothing. Shared by
 * `parley import contacts` and POST /api/v1/contacts/import. The module io/ sits
 * beside mail/ and channels/: it uses core/ and store/, and api/ and cli/
 * use it. */
#ifndef IO_CONTACT_IMPORT_H
#define IO_CONTACT_IMPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/str.h"

struct arena;
struct err;
struct store;

/* Bad rows listed in one report at most; checking stops after them. */
#define CONTACT_IMPORT_MAX_ERRORS 1000

/*
 * Imports the contacts in csv (a whole CSV file, the header row first; the
 * columns are described in core/contact_csv.h) as actor_id (0: Parley).
 *
 * Every row is checked first: the CSV syntax, the columns, entity_validate()
 * of the contact, the company (matched by name case-insensitively, else to
 * be created), the owner (a user's email), and duplicates: a row whose
 * primary email is already a contact's, or another row's primary email.
 * Only when every row is good is anything written: the new companies and
 * the contacts, in one transaction.
 *
 * Returns 0 and *report_r (tied to a):
 *   {"imported": N, "companies_created": M,
 *    "errors": [{"line": L, "field": "F", "message": "..."}, ...]}
 * where errors is empty on success; when it is not, N and M are 0 and the
 * store is unchanged. line is the CSV line where the bad record starts;
 * field is the contact field (or column) at fault, or "" for the row.
 * Returns -1 with err for a store failure, or ERR_TOOBIG for input over
 * CSV_MAX_FILE; the store is then unchanged too.
 *
 * With dry_run only the checks run: the report is the same (imported and
 * companies_created say what a real import would write) and the store is
 * never written.
 */
int contact_import_csv(struct store *st, struct slice csv, int64_t actor_id, bool dry_run,
		       struct arena *a, json_t **report_r, struct err *err);

#endif
