/* POST /api/v1/contacts/import: the CSV import of `parley import contacts`
 * over HTTP, the file sent as a JSON string (so it fits the 1 MiB body
 * limit), with a dry run that only checks. */
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/json.h"
#include "base/str.h"
#include "core/user.h"
#include "io/contact_import.h"
#include "base/banned.h"

int h_contacts_import(struct req *rq)
{
	static const char *const keys[] = {"csv", "dry_run", NULL};
	const json_t *csv = json_object_get(rq->json, "csv");
	const json_t *dry = json_object_get(rq->json, "dry_run");
	json_t *report;
	if (req_only_keys(rq, keys) < 0)
		return -1;
	if (!json_is_string(csv))
		return err_set_field(&rq->err, ERR_INVALID, "csv",
				     "'csv' is required: the CSV file as a string");
	if (dry && !json_is_boolean(dry))
		return err_set_field(&rq->err, ERR_INVALID, "dry_run",
				     "'dry_run' must be true or false");
	struct slice s = {json_string_value(csv), json_string_length(csv)};
	if (contact_import_csv(rq->store, s, rq->user->id, json_is_true(dry), rq->arena, &report,
			       &rq->err) < 0)
		return -1;
	json_object_set_new(report, "dry_run", json_boolean(json_is_true(dry)));
	return req_json(rq, 200, json_incref(report));
}
