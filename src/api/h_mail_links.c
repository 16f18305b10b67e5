/* Linking a whole conversation to contacts, companies and deals
 * (PUT /api/v1/mail/threads/{id}/links): validated as a change to an
 * activity's links, applied by the store to each message the user may see. */
#include <inttypes.h>
#include <stdbool.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/arena.h"
#include "base/json.h"
#include "core/entity.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

int h_mail_threads_links(struct req *rq)
{
	static const char *const keys[] = {"contact_ids", "company_ids", "deal_ids", "add", NULL};
	int64_t id;
	struct mail_viewer v = {rq->user->id, rq->user->role == USER_ADMIN};
	struct entity_env env;
	json_t *links, *t;
	json_t *as_update = json_in_arena(rq->arena, json_object());
	if (req_param_id(rq, 0, &id) < 0 || req_only_keys(rq, keys) < 0)
		return -1;
	const json_t *add = json_object_get(rq->json, "add");
	if (add && !json_is_boolean(add))
		return err_set_field(&rq->err, ERR_INVALID, "add", "'add' must be true or false");
	json_t *in = json_in_arena(rq->arena, json_copy(rq->json));
	json_object_del(in, "add");
	int r = store_thread_visible(rq->store, id, &v, &rq->err);
	if (r <= 0)
		return r < 0 ? -1
			     : err_set(&rq->err, ERR_NOTFOUND, "thread %" PRId64 " not found", id);
	if (store_entity_env(rq->store, rq->arena, &env, &rq->err) < 0 ||
	    entity_validate(&activity_def, in, as_update, &env, rq->arena, &links, &rq->err) < 0 ||
	    store_thread_relink(rq->store, id, &v, links, json_is_true(add), rq->user->id,
				rq->arena, &rq->err) < 0)
		return -1;
	r = store_thread_get(rq->store, id, &v, rq->arena, &t, &rq->err);
	if (r <= 0)
		return r < 0 ? -1
			     : err_set(&rq->err, ERR_NOTFOUND, "thread %" PRId64 " not found", id);
	return req_json(rq, 200, json_incref(t));
}
