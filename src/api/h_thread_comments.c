/* Internal comments on a mail thread (the team's notes beside a conversation,
 * never sent): list and add. Whether the caller may see the thread is decided
 * by the store per message; a thread of which they see no message answers
 * 404, as one that does not exist. Mentioned users are notified by the
 * scheduler (thread_comment.created), and only if they may see the thread. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define COMMENT_BODY_MAX     20000
#define COMMENT_MENTIONS_MAX 50

static int thread_not_found(struct req *rq, int64_t id)
{
	return err_set(&rq->err, ERR_NOTFOUND, "thread %" PRId64 " not found", id);
}

int h_thread_comments_list(struct req *rq)
{
	int64_t id;
	json_t *items;
	struct mail_viewer v = {rq->user->id, rq->user->role == USER_ADMIN};
	if (req_param_id(rq, 0, &id) < 0)
		return -1;
	int r = store_thread_comments(rq->store, id, &v, rq->arena, &items, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : thread_not_found(rq, id);
	return req_json(rq, 200, json_pack("{sOsn}", "items", items, "next_cursor"));
}

/* mention_ids: absent, or an array of distinct positive ids; a new array. */
static int mention_ids(struct req *rq, json_t **ids_r)
{
	const json_t *in = json_object_get(rq->json, "mention_ids");
	json_t *ids = json_in_arena(rq->arena, json_array());
	*ids_r = ids;
	if (!in || json_is_null(in))
		return 0;
	if (!json_is_array(in) || json_array_size(in) > COMMENT_MENTIONS_MAX)
		return err_set_field(&rq->err, ERR_INVALID, "mention_ids",
				     "'mention_ids' must be an array of at most %d user ids",
				     COMMENT_MENTIONS_MAX);
	size_t i, j;
	const json_t *el, *seen;
	json_array_foreach(in, i, el)
	{
		if (!json_is_integer(el) || json_integer_value(el) <= 0)
			return err_set_field(&rq->err, ERR_INVALID, "mention_ids",
					     "'mention_ids' element %zu must be a positive id", i);
		bool dup = false;
		json_array_foreach(ids, j, seen) dup |= json_equal(seen, el);
		if (!dup)
			json_array_append(ids, (json_t *)el);
	}
	return 0;
}

int h_thread_comments_create(struct req *rq)
{
	static const char *const keys[] = {"body", "mention_ids", NULL};
	int64_t id;
	json_t *ids, *out;
	struct mail_viewer v = {rq->user->id, rq->user->role == USER_ADMIN};
	if (req_param_id(rq, 0, &id) < 0 || req_only_keys(rq, keys) < 0)
		return -1;
	const json_t *jb = json_object_get(rq->json, "body");
	if (!json_is_string(jb))
		return err_set_field(&rq->err, ERR_INVALID, "body", "'body' is required");
	const char *body = str_trim(rq->arena, json_string_value(jb));
	if (!*body)
		return err_set_field(&rq->err, ERR_INVALID, "body", "'body' must not be empty");
	if (strlen(body) > COMMENT_BODY_MAX)
		return err_set_field(&rq->err, ERR_INVALID, "body",
				     "'body' is longer than %d bytes", COMMENT_BODY_MAX);
	if (mention_ids(rq, &ids) < 0)
		return -1;
	int r = store_thread_comment_add(rq->store, id, &v, body, ids, rq->arena, &out, &rq->err);
	if (r <= 0)
		return r < 0 ? -1 : thread_not_found(rq, id);
	return req_json(rq, 201, json_incref(out));
}
