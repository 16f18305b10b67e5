/* Building template contexts from the store. */
#include <inttypes.h>
#include <string.h>

#include "automation/tmpl/tmpl_context.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/entity.h"
#include "core/mail_link.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define CONTEXT_MAX_ORDERS 100

char *tmpl_money(struct arena *a, long long minor, const char *currency)
{
	char digits[32], out[48];
	unsigned long long v = (unsigned long long)(minor < 0 ? -minor : minor);
	int n = snprintf(digits, sizeof(digits), "%llu", v / 100), o = 0;
	if (minor < 0)
		out[o++] = '-';
	for (int i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return arena_printf(a, "%s.%02llu %s", out, v % 100, currency ? currency : "");
}

static int load(struct store *st, const struct entity_def *def, int64_t id, struct arena *a,
		json_t **rec_r, struct err *err)
{
	*rec_r = NULL;
	if (id <= 0)
		return 0;
	int r = store_record_get(st, def, id, a, rec_r, err);
	if (r == 0)
		*rec_r = NULL;
	return r < 0 ? -1 : 0;
}

static int64_t ref(const json_t *rec, const char *key)
{
	return rec ? json_integer_value(json_object_get(rec, key)) : 0;
}

static void decorate_contact(struct arena *a, json_t *c)
{
	const char *f = json_get_str(c, "first_name"), *l = json_get_str(c, "last_name");
	char *name = str_trim(a, arena_printf(a, "%s %s", f ? f : "", l ? l : ""));
	json_object_set_new(c, "name", json_string(name));
	json_object_set(c, "email", json_array_get(json_object_get(c, "emails"), 0));
	json_object_set(c, "interests", json_object_get(c, "tags"));
}

/* count, total_spent, last (with items and total_formatted) of the contact's orders. */
static int order_history(struct store *st, int64_t contact, struct arena *a, json_t *ctx,
			 struct err *err)
{
	struct store_list_query q = {.limit = CONTEXT_MAX_ORDERS};
	json_t *items;
	char *next;
	q.filters[0].field = entity_field(&order_def, "contact_id");
	q.filters[0].value = arena_printf(a, "%" PRId64, contact);
	q.nfilters = 1;
	if (store_record_list(st, &order_def, &q, a, &items, &next, err) < 0)
		return -1;
	long long spent = 0;
	size_t i;
	json_t *o;
	const char *cur = NULL;
	json_array_foreach(items, i, o)
	{
		spent += json_integer_value(json_object_get(o, "total"));
		cur = cur ? cur : json_get_str(o, "currency");
		json_object_set_new(
		    o, "total_formatted",
		    json_string(tmpl_money(a, json_integer_value(json_object_get(o, "total")),
					   json_get_str(o, "currency"))));
	}
	json_t *last = json_array_get(items, 0); /* newest first */
	json_object_set_new(ctx, "orders",
			    json_pack("{sIsIsssOsO}", "count", (json_int_t)json_array_size(items),
				      "total_spent", (json_int_t)spent, "total_spent_formatted",
				      tmpl_money(a, spent, cur ? cur : ""), "last",
				      last ? last : json_null(), "list", items));
	return 0;
}

static void add_owner(struct store *st, int64_t uid, struct arena *a, json_t *ctx)
{
	struct user *u;
	struct err e;
	json_t *sig;
	if (uid <= 0 || store_user_get(st, uid, a, &u, &e) != 1)
		return;
	json_t *o = user_to_json(u);
	if (store_setting_get(st, arena_printf(a, "signature.%" PRId64, uid), a, &sig, &e) == 1 &&
	    json_is_string(sig))
		json_object_set(o, "signature", sig);
	else
		json_object_set_new(o, "signature", json_string(u->name));
	json_object_set_new(ctx, "user", o);
}

int tmpl_context_build(struct store *st, const struct tmpl_subject *subj, const char *base_url,
		       struct arena *a, json_t **ctx_r, struct err *err)
{
	json_t *contact, *company, *deal, *order, *ctx = json_in_arena(a, json_object());
	if (load(st, &order_def, subj->order_id, a, &order, err) < 0 ||
	    load(st, &deal_def, subj->deal_id ? subj->deal_id : ref(order, "deal_id"), a, &deal,
		 err) < 0)
		return -1;
	int64_t cid = subj->contact_id		 ? subj->contact_id
		      : ref(order, "contact_id") ? ref(order, "contact_id")
						 : ref(deal, "contact_id");
	if (load(st, &contact_def, cid, a, &contact, err) < 0)
		return -1;
	int64_t co = subj->company_id		  ? subj->company_id
		     : ref(contact, "company_id") ? ref(contact, "company_id")
						  : ref(deal, "company_id");
	if (load(st, &company_def, co, a, &company, err) < 0)
		return -1;
	if (contact) {
		decorate_contact(a, contact);
		json_object_set(ctx, "contact", contact);
		if (order_history(st, cid, a, ctx, err) < 0)
			return -1;
		char *secret;
		if (base_url && store_secret(st, "unsubscribe.secret", a, &secret, err) < 0)
			return -1;
		if (base_url)
			json_object_set_new(
			    ctx, "unsubscribe_url",
			    json_string(arena_printf(a, "%s/unsubscribe/%s", base_url,
						     mail_unsubscribe_token(a, secret, cid))));
	}
	if (company)
		json_object_set(ctx, "company", company);
	if (deal) {
		json_object_set_new(
		    deal, "amount_formatted",
		    json_string(tmpl_money(a, json_integer_value(json_object_get(deal, "amount")),
					   json_get_str(deal, "currency"))));
		json_object_set(ctx, "deal", deal);
	}
	if (order) {
		json_object_set_new(
		    order, "total_formatted",
		    json_string(tmpl_money(a, json_integer_value(json_object_get(order, "total")),
					   json_get_str(order, "currency"))));
		json_object_set(ctx, "order", order);
	}
	add_owner(st,
		  subj->user_id ? subj->user_id
		  : contact	? ref(contact, "owner_id")
				: ref(deal, "owner_id"),
		  a, ctx);
	*ctx_r = ctx;
	return 0;
}

static int64_t first_id(const json_t *payload, const char *key)
{
	return json_integer_value(json_array_get(json_object_get(payload, key), 0));
}

int tmpl_subject_from_event(struct store *st, const json_t *event, struct arena *a,
			    struct tmpl_subject *subj, struct err *err)
{
	const char *entity = json_get_str(event, "entity");
	int64_t id = json_integer_value(json_object_get(event, "entity_id"));
	const json_t *p = json_object_get(event, "payload");
	memset(subj, 0, sizeof(*subj));
	if (!entity)
		return 0;
	if (strcmp(entity, "contact") == 0)
		subj->contact_id = id;
	else if (strcmp(entity, "deal") == 0)
		subj->deal_id = id;
	else if (strcmp(entity, "order") == 0)
		subj->order_id = id;
	else if (strcmp(entity, "company") == 0)
		subj->company_id = id;
	else if (strcmp(entity, "message") == 0) {
		subj->contact_id = first_id(p, "contact_ids");
		subj->deal_id = first_id(p, "deal_ids");
		subj->company_id = first_id(p, "company_ids");
	} else if (strcmp(entity, "task") == 0 || strcmp(entity, "note") == 0 ||
		   strcmp(entity, "meeting") == 0 || strcmp(entity, "call") == 0) {
		/* The record itself (created events carry it whole) or its links. */
		const json_t *rec = json_object_get(p, "contact_id") ? p : NULL;
		json_t *loaded;
		const struct entity_def *def = entity_find(entity);
		if (!rec && def && store_record_get(st, def, id, a, &loaded, err) == 1)
			rec = loaded;
		subj->contact_id = ref(rec, "contact_id");
		subj->deal_id = ref(rec, "deal_id");
		subj->company_id = ref(rec, "company_id");
		if (!subj->contact_id)
			subj->contact_id = first_id(p, "contact_ids");
	}
	return 0;
}
