/* Linking a new message to the CRM: participants to contacts by address
 * (plus-addressing folded), to companies by domain (free-mail excluded), to a
 * deal by the deal id in a Parley Message-ID among its references, else the
 * contact's single open deal. The links live on the message's timeline
 * activity; relinking changes that activity. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/address.h"
#include "core/entity.h"
#include "core/mail_link.h"
#include "core/message.h"
#include "store/store_int.h"
#include "store/store_mail_int.h"
#include "base/banned.h"

#define LINK_MAX_PARTICIPANTS 50

static void add_id(json_t *arr, int64_t id)
{
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) if (json_integer_value(v) == id) return;
	json_array_append_new(arr, json_integer(id));
}

/* Adds the records whose list field holds value (entity 'contacts' + 'emails'...). */
static int add_by_value(struct store *st, const char *entity, const char *field, const char *value,
			json_t *ids, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT record_id FROM list_values WHERE entity = ? AND field = ? AND "
			  "value = ?",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, entity);
	stmt_bind_text(s, 2, field);
	stmt_bind_text(s, 3, value);
	int r;
	while ((r = stmt_step(s, err)) == 1)
		add_id(ids, stmt_int(s, 0));
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static bool is_user_address(struct store *st, const char *addr, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT id FROM users WHERE email = ?", &s, err) < 0)
		return false;
	stmt_bind_text(s, 1, addr);
	bool found = stmt_step(s, err) == 1;
	stmt_free(&s);
	return found;
}

static int link_participant(struct store *st, const char *raw, const char *own, json_t *contacts,
			    json_t *companies, struct arena *a, struct err *err)
{
	const char *addr = raw ? address_normalize(a, raw) : NULL;
	if (!addr || (own && strcmp(addr, own) == 0) || is_user_address(st, addr, err))
		return 0;
	const char *folded = mail_fold_plus(a, addr);
	if (add_by_value(st, "contacts", "emails", addr, contacts, err) < 0 ||
	    (strcmp(folded, addr) != 0 &&
	     add_by_value(st, "contacts", "emails", folded, contacts, err) < 0))
		return -1;
	const char *domain = strrchr(addr, '@') + 1;
	if (mail_free_domain(domain))
		return 0;
	return add_by_value(st, "companies", "domains", domain, companies, err);
}

/* The deal named by a Parley Message-ID in the references, if it exists. */
static int deal_from_refs(struct store *st, const struct message *m, const char *mid,
			  int64_t *deal_r, struct err *err)
{
	/* Parley's own outgoing Message-ID first, then what the message answers. */
	for (size_t i = 0; i <= m->nreferences + 1; i++) {
		const char *ref = i == 0		   ? mid
				  : i - 1 < m->nreferences ? m->references[i - 1]
							   : m->in_reply_to;
		int64_t d = mail_message_id_deal(ref), found;
		if (!d)
			continue;
		int r = store_query_int(st, "SELECT id FROM deals WHERE id = ?", &found, err, 1, d);
		if (r < 0)
			return -1;
		if (r == 1) {
			*deal_r = d;
			return 0;
		}
	}
	return 0;
}

/* The one open deal of the only linked contact. */
static int single_open_deal(struct store *st, json_t *contacts, int64_t *deal_r, struct err *err)
{
	if (json_array_size(contacts) != 1)
		return 0;
	int64_t c = json_integer_value(json_array_get(contacts, 0)), n = 0, id = 0;
	if (store_query_int(st,
			    "SELECT COUNT(*) FROM deals WHERE contact_id = ? AND closed_at IS NULL",
			    &n, err, 1, c) < 0)
		return -1;
	if (n != 1)
		return 0;
	if (store_query_int(st, "SELECT id FROM deals WHERE contact_id = ? AND closed_at IS NULL",
			    &id, err, 1, c) < 0)
		return -1;
	*deal_r = id;
	return 0;
}

/* The deals earlier messages of the conversation are linked to: a reply in a
   conversation linked to a deal shows on the deal too. */
static int thread_deals(struct store *st, int64_t thread_id, int64_t msg_id, json_t *deals,
			struct err *err)
{
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT DISTINCT l.target_id FROM messages m JOIN activities t ON "
			  "t.source_entity = 'message' AND t.source_id = m.id JOIN links l ON "
			  "l.entity = 'activities' AND l.record_id = t.id AND l.field = 'deal_ids' "
			  "WHERE m.thread_id = ? AND m.id <> ? ORDER BY l.target_id LIMIT 20",
			  &s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, thread_id);
	stmt_bind_int(s, 2, msg_id);
	int r;
	while ((r = stmt_step(s, err)) == 1)
		add_id(deals, stmt_int(s, 0));
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}

static int collect(struct store *st, const struct store_ingest *in, json_t *contacts,
		   json_t *companies, struct arena *a, struct err *err)
{
	const struct message *m = in->msg;
	const struct address_list *lists[] = {&m->from, &m->to, &m->cc, &m->reply_to};
	const char *own = in->account_email ? address_normalize(a, in->account_email) : NULL;
	size_t seen = 0;
	for (size_t l = 0; l < 4; l++)
		for (size_t i = 0; i < lists[l]->len && seen < LINK_MAX_PARTICIPANTS; i++, seen++)
			if (link_participant(st, lists[l]->items[i].address, own, contacts,
					     companies, a, err) < 0)
				return -1;
	return 0;
}

/* The actor of outbound mail's timeline entry: who caused it when Parley sent
   it (none, and payload.automated, for a rule's mail), else the owner of the
   personal mailbox it was found in (a shared one's sender is unknown). */
static int sent_by(struct store *st, const struct store_ingest *in, const char *mid, json_t *act,
		   json_t *payload, struct err *err)
{
	int64_t user = 0;
	bool automated = false;
	int r = store_outbox_cause(st, mid, &user, &automated, err);
	if (r < 0)
		return -1;
	if (r == 0)
		user = in->owner_id;
	if (automated) {
		user = 0;
		json_object_set_new(payload, "automated", json_true());
	}
	if (user)
		json_object_set_new(act, "actor_id", json_integer(user));
	return 0;
}

int store_mail_link(struct store *st, int64_t msg_id, int64_t thread_id,
		    const struct store_ingest *in, const char *mid, bool outbound, int64_t date,
		    struct arena *a, struct err *err)
{
	const struct message *m = in->msg;
	json_t *contacts = json_in_arena(a, json_array()),
	       *companies = json_in_arena(a, json_array()), *deals = json_in_arena(a, json_array());
	int64_t deal = 0;
	if (collect(st, in, contacts, companies, a, err) < 0 ||
	    deal_from_refs(st, m, mid, &deal, err) < 0 ||
	    (!deal && single_open_deal(st, contacts, &deal, err) < 0))
		return -1;
	if (deal)
		add_id(deals, deal);
	if (thread_deals(st, thread_id, msg_id, deals, err) < 0)
		return -1;
	const struct address *from = m->from.len ? &m->from.items[0] : NULL;
	json_t *payload = json_in_arena(
	    a, json_pack("{s:Is:Is:ss:s?s:s?s:s}", "message_id", (json_int_t)msg_id, "thread_id",
			 (json_int_t)thread_id, "rfc_message_id", mid, "from",
			 from ? from->address : NULL, "from_name", from ? from->name : NULL,
			 "subject", m->subject ? m->subject : ""));
	/* subject: rules' titles and conditions use event.payload.subject */
	json_t *ev = json_in_arena(
	    a, json_pack("{sIsIsssOsOsO}", "message_id", (json_int_t)msg_id, "thread_id",
			 (json_int_t)thread_id, "subject", m->subject ? m->subject : "",
			 "contact_ids", contacts, "company_ids", companies, "deal_ids", deals));
	if (in->owner_id)
		json_object_set_new(ev, "owner_id", json_integer(in->owner_id));
	if (in->backfill) /* built-in notifications are for news only */
		json_object_set_new(ev, "backfill", json_true());
	if (store_event_add(st, outbound ? "email.sent" : "email.received", "message", msg_id, 0,
			    ev, err) < 0)
		return -1;
	if (!json_array_size(contacts) && !json_array_size(companies) && !json_array_size(deals))
		return 0;
	json_t *act = json_in_arena(
	    a,
	    json_pack("{sssssssIsssOsOsOsO}", "kind", "email", "channel", "email", "direction",
		      outbound ? "outbound" : "inbound", "occurred_at", (json_int_t)date, "summary",
		      m->subject && *m->subject ? m->subject : "(no subject)", "payload", payload,
		      "contact_ids", contacts, "company_ids", companies, "deal_ids", deals));
	if (outbound && sent_by(st, in, mid, act, payload, err) < 0)
		return -1;
	json_t *out;
	if (store_record_create(st, &activity_def, act, 0, a, &out, err) < 0)
		return -1;
	struct stmt *s;
	if (store_prepare(
		st, "UPDATE activities SET source_entity = 'message', source_id = ? WHERE id = ?",
		&s, err) < 0)
		return -1;
	stmt_bind_int(s, 1, msg_id);
	stmt_bind_int(s, 2, json_integer_value(json_object_get(out, "id")));
	int r = stmt_step(s, err);
	stmt_free(&s);
	return r < 0 ? -1 : 0;
}
