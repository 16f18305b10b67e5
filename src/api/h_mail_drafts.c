/* Drafts over HTTP: the caller's own unsent mail, saved as it is written.
 * A draft belongs to the user who wrote it; nobody else reads, changes or
 * deletes it (admins included), and someone else's draft answers 404 like a
 * missing one, since every store call is scoped to the caller. */
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/json.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define DRAFTS_LIST_MAX 200

/* The {key} of the path: 1 to DRAFT_KEY_MAX of a-z 0-9 . _ - */
static int draft_key(struct req *rq, const char **key_r)
{
	const char *k = rq->nparams ? rq->params[0] : "";
	size_t n = strlen(k);
	if (n == 0 || n > DRAFT_KEY_MAX ||
	    strspn(k, "abcdefghijklmnopqrstuvwxyz0123456789._-") != n)
		return err_set_field(&rq->err, ERR_INVALID, "key",
				     "a draft key is 1 to %d of a-z, 0-9, '.', '_' and '-'",
				     DRAFT_KEY_MAX);
	*key_r = k;
	return 0;
}

int h_mail_drafts_list(struct req *rq)
{
	json_t *items;
	if (store_drafts(rq->store, rq->user->id, DRAFTS_LIST_MAX, rq->arena, &items, &rq->err) < 0)
		return -1;
	return req_json(rq, 200, json_pack("{sO}", "items", items));
}

int h_mail_drafts_get(struct req *rq)
{
	const char *key;
	json_t *d;
	if (draft_key(rq, &key) < 0)
		return -1;
	int r = store_draft_get(rq->store, rq->user->id, key, rq->arena, &d, &rq->err);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "no draft '%s'", key);
	return req_json(rq, 200, json_incref(d));
}

int h_mail_drafts_put(struct req *rq)
{
	static const char *const keys[] = {"fields", NULL};
	const char *key;
	json_t *d, *fields = json_object_get(rq->json, "fields");
	if (draft_key(rq, &key) < 0 || req_only_keys(rq, keys) < 0)
		return -1;
	if (!json_is_object(fields))
		return err_set_field(&rq->err, ERR_INVALID, "fields", "'fields' must be an object");
	if (store_draft_put(rq->store, rq->user->id, key, fields, &rq->err) < 0)
		return -1;
	int r = store_draft_get(rq->store, rq->user->id, key, rq->arena, &d, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : err_set(&rq->err, ERR_INTERNAL, "the draft was not kept");
	return req_json(rq, 200, json_incref(d));
}

int h_mail_drafts_delete(struct req *rq)
{
	const char *key;
	if (draft_key(rq, &key) < 0)
		return -1;
	int r = store_draft_delete(rq->store, rq->user->id, key, &rq->err);
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "no draft '%s'", key);
	rq->status = 204;
	return 0;
}
