/* Saved mail searches over HTTP: GET/POST /api/v1/mail/searches and
 * DELETE /api/v1/mail/searches/{id}; each user's own. A query is checked by
 * parsing it, as GET /api/v1/mail/threads would. */
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/str.h"
#include "core/mail_query.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define SAVED_NAME_MAX 100

int h_saved_searches_list(struct req *rq)
{
	json_t *items;
	if (store_saved_search_list(rq->store, rq->user->id, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

int h_saved_searches_create(struct req *rq)
{
	static const char *const keys[] = {"name", "q", NULL};
	const char *name = json_get_str(rq->json, "name"), *q = json_get_str(rq->json, "q");
	struct mq_node *root;
	json_t *out;
	if (req_only_keys(rq, keys) < 0)
		return -1;
	name = name ? str_trim(rq->arena, name) : NULL;
	q = q ? str_trim(rq->arena, q) : NULL;
	if (!name || !*name)
		return err_set_field(&rq->err, ERR_INVALID, "name", "'name' is required");
	if (strlen(name) > SAVED_NAME_MAX)
		return err_set_field(&rq->err, ERR_INVALID, "name",
				     "'name' is longer than %d bytes", SAVED_NAME_MAX);
	if (!q || !*q)
		return err_set_field(&rq->err, ERR_INVALID, "q", "'q' is required");
	if (mail_query_parse(q, rq->arena, &root, &rq->err) < 0 ||
	    store_saved_search_create(rq->store, rq->user->id, name, q, rq->arena, &out, &rq->err) <
		0)
		return -1;
	return req_json(rq, 201, json_incref(out));
}

int h_saved_searches_delete(struct req *rq)
{
	int64_t id;
	if (req_param_id(rq, 0, &id) < 0 ||
	    store_saved_search_delete(rq->store, rq->user->id, id, &rq->err) < 0)
		return -1;
	rq->status = 204;
	return 0;
}
