/* The record routes of every entity (contacts, companies, deals, orders, notes,
 * tasks, activities): one set of handlers driven by the entity tables. */
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/arena.h"
#include "base/json.h"
#include "base/str.h"
#include "core/entity.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

static const struct entity_def *def_of(struct req *rq)
{
	return rq->route->entity;
}

struct list_params {
	struct req *rq;
	const struct entity_def *def;
	struct store_list_query q;
	bool timeline;
};

static int list_param(void *ctx, const char *name, const char *value)
{
	struct list_params *p = ctx;
	struct err *err = &p->rq->err;
	int64_t n;
	if (strcmp(name, "limit") == 0) {
		if (str_to_int64(value, &n) < 0 || n < 1 || n > STORE_LIST_MAX_LIMIT)
			return err_set_field(err, ERR_INVALID, "limit",
					     "'limit' must be an integer from 1 to %d",
					     STORE_LIST_MAX_LIMIT);
		p->q.limit = (size_t)n;
		return 0;
	}
	if (strcmp(name, "cursor") == 0 || strcmp(name, "q") == 0 ||
	    (p->timeline && strcmp(name, "kind") == 0)) {
		const char **slot = name[0] == 'c'   ? &p->q.cursor
				    : name[0] == 'q' ? &p->q.q
						     : &p->q.kind;
		*slot = *value ? arena_strdup(p->rq->arena, value) : NULL;
		return 0;
	}
	/* due_at_before=TIME, placed_at_after=TIME: ranges over time fields. */
	const char *suffix = strrchr(name, '_');
	if (!p->timeline && suffix && (!strcmp(suffix, "_before") || !strcmp(suffix, "_after"))) {
		const struct field_def *f = entity_field(
		    p->def, arena_strndup(p->rq->arena, name, (size_t)(suffix - name)));
		if (f && f->type == FT_TIME && p->q.nfilters < STORE_LIST_MAX_FILTERS) {
			p->q.filters[p->q.nfilters].field = f;
			p->q.filters[p->q.nfilters].op = suffix[1] == 'b' ? "<" : ">=";
			p->q.filters[p->q.nfilters++].value = arena_strdup(p->rq->arena, value);
			return 0;
		}
	}
	for (size_t i = 0; !p->timeline && i < p->def->nfields; i++) {
		const struct field_def *f = &p->def->fields[i];
		if (!f->filter || (strcmp(f->filter, name) != 0 && strcmp(f->name, name) != 0))
			continue;
		if (p->q.nfilters == STORE_LIST_MAX_FILTERS)
			return err_set(err, ERR_INVALID, "too many filters");
		p->q.filters[p->q.nfilters].field = f;
		p->q.filters[p->q.nfilters++].value = arena_strdup(p->rq->arena, value);
		return 0;
	}
	return err_set_field(err, ERR_INVALID, name, "unknown query parameter '%s'", name);
}

static int parse_list(struct req *rq, struct list_params *p, bool timeline)
{
	memset(p, 0, sizeof(*p));
	p->rq = rq;
	p->def = def_of(rq);
	p->timeline = timeline;
	p->q.limit = STORE_LIST_DEFAULT_LIMIT;
	p->q.viewer_id = rq->user->id;
	p->q.viewer_admin = rq->user->role == USER_ADMIN;
	return req_query_each(rq, list_param, p) ? -1 : 0;
}

static int page(struct req *rq, json_t *items, const char *next)
{
	return req_json(rq, 200, json_pack("{s:Os:s?}", "items", items, "next_cursor", next));
}

int h_records_list(struct req *rq)
{
	struct list_params p;
	json_t *items;
	char *next;
	if (parse_list(rq, &p, false) < 0 ||
	    store_record_list(rq->store, p.def, &p.q, rq->arena, &items, &next, &rq->err) < 0)
		return -1;
	return page(rq, items, next);
}

/* Who a new record belongs to when the client does not say. */
static void default_people(const struct entity_def *def, json_t *rec, int64_t uid)
{
	static const char *const keys[] = {"owner_id", "assignee_id", "actor_id"};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (entity_field(def, keys[i]) && !json_object_get(rec, keys[i]))
			json_object_set_new(rec, keys[i], json_integer(uid));
}

static int respond_record(struct req *rq, int status, const struct entity_def *def, json_t *rec)
{
	if (strcmp(def->name, "deal") == 0) {
		json_t *hist;
		if (store_deal_history(rq->store, json_integer_value(json_object_get(rec, "id")),
				       rq->arena, &hist, &rq->err) < 0)
			return -1;
		json_object_set(rec, "stage_history", hist);
	}
	return req_json(rq, status, json_incref(rec));
}

/* A record may point at a mail thread (a task's thread_id) only if the caller
   sees one of its messages: a hidden thread answers as a missing one, as the
   store's reference check words it, so the id tells nothing. */
static int thread_ref_visible(struct req *rq, const json_t *rec)
{
	const json_t *v = json_object_get(rec, "thread_id");
	if (!json_is_integer(v))
		return 0;
	struct mail_viewer viewer = {rq->user->id, rq->user->role == USER_ADMIN};
	int r = store_thread_visible(rq->store, json_integer_value(v), &viewer, &rq->err);
	if (r != 0)
		return r < 0 ? -1 : 0;
	return err_set_field(&rq->err, ERR_INVALID, "thread_id",
			     "'thread_id' refers to thread %lld, which does not exist",
			     (long long)json_integer_value(v));
}

int h_records_create(struct req *rq)
{
	const struct entity_def *def = def_of(rq);
	struct entity_env env;
	json_t *rec, *out;
	if (store_entity_env(rq->store, rq->arena, &env, &rq->err) < 0 ||
	    entity_validate(def, rq->json, NULL, &env, rq->arena, &rec, &rq->err) < 0)
		return -1;
	default_people(def, rec, rq->user->id);
	if (thread_ref_visible(rq, rec) < 0 ||
	    store_record_create(rq->store, def, rec, rq->user->id, rq->arena, &out, &rq->err) < 0)
		return -1;
	req_add_header(rq, "Location",
		       arena_printf(rq->arena, "/api/v1/%s/%lld", def->table,
				    (long long)json_integer_value(json_object_get(out, "id"))));
	return respond_record(rq, 201, def, out);
}

/* Loads record {id}; -1 with 404 if there is none. */
static int load(struct req *rq, int64_t *id_r, json_t **rec_r)
{
	const struct entity_def *def = def_of(rq);
	if (req_param_id(rq, 0, id_r) < 0)
		return -1;
	int r = store_record_get(rq->store, def, *id_r, rq->arena, rec_r, &rq->err);
	/* The timeline entry of mail in someone's personal mailbox is theirs too. */
	const char *src = r == 1 ? json_get_str(*rec_r, "source_entity") : NULL;
	struct mail_viewer v = {rq->user->id, rq->user->role == USER_ADMIN};
	int64_t source = src ? json_integer_value(json_object_get(*rec_r, "source_id")) : 0;
	if (src && strcmp(src, "message") == 0)
		r = store_message_visible(rq->store, source, &v, &rq->err);
	else if (src && strcmp(src, "thread_comment") == 0)
		r = store_thread_comment_visible(rq->store, source, &v, &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "%s %lld not found", def->name,
			       (long long)*id_r);
	return r < 0 ? -1 : 0;
}

static int may_change(struct req *rq, const json_t *rec)
{
	const struct entity_def *def = def_of(rq);
	if (user_may_change(rq->user, rec, def->perm_fields))
		return 0;
	return err_set(&rq->err, ERR_FORBIDDEN,
		       "managers may change only %s they own (%s is you); ask an admin", def->table,
		       def->perm_fields[0]);
}

int h_records_get(struct req *rq)
{
	int64_t id;
	json_t *rec;
	if (load(rq, &id, &rec) < 0)
		return -1;
	return respond_record(rq, 200, def_of(rq), rec);
}

int h_records_update(struct req *rq)
{
	const struct entity_def *def = def_of(rq);
	struct entity_env env;
	int64_t id;
	json_t *old, *changes, *out;
	if (load(rq, &id, &old) < 0 || may_change(rq, old) < 0 ||
	    store_entity_env(rq->store, rq->arena, &env, &rq->err) < 0 ||
	    entity_validate(def, rq->json, old, &env, rq->arena, &changes, &rq->err) < 0 ||
	    thread_ref_visible(rq, changes) < 0)
		return -1;
	int r = store_record_update(rq->store, def, id, changes, rq->user->id, rq->arena, &out,
				    &rq->err);
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "%s %lld not found", def->name,
			       (long long)id);
	return r < 0 ? -1 : respond_record(rq, 200, def, out);
}

int h_records_delete(struct req *rq)
{
	int64_t id;
	json_t *old;
	if (load(rq, &id, &old) < 0 || may_change(rq, old) < 0)
		return -1;
	int r = store_record_delete(rq->store, def_of(rq), id, rq->user->id, rq->arena, &rq->err);
	if (r < 0)
		return -1;
	rq->status = 204;
	rq->content_type = "application/json";
	return 0;
}

int h_records_timeline(struct req *rq)
{
	struct list_params p;
	int64_t id;
	json_t *rec, *items;
	char *next;
	if (load(rq, &id, &rec) < 0 || parse_list(rq, &p, true) < 0 ||
	    store_timeline(rq->store, p.def, id, &p.q, rq->arena, &items, &next, &rq->err) < 0)
		return -1;
	return page(rq, items, next);
}
