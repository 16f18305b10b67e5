/* Past mail for new addresses: when a contact gains an email address (created
 * or edited), the mail already stored from and to it (plus-addressing folded)
 * is linked to the contact; when a company gains a domain, the mail from and
 * to addresses at that domain (store_mail_link.c's rules for new mail, run
 * backwards). A write hook, in the write's transaction; bounded to the newest
 * BACKFILL_MAX messages per address or domain. Addresses of users and of
 * mailboxes are never matched: they are in every message and prove nothing. */
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/address.h"
#include "core/entity.h"
#include "core/mail_link.h"
#include "store/store_int.h"
#include "base/banned.h"

#define BACKFILL_MAX 1000
#define LINK_ADDRS   50 /* participants looked at per message, as for new mail */

/* Which records pick up mail, by which of their list fields. */
static const struct backfill {
	const char *entity; /* the entity_def name */
	const char *field;  /* its list of addresses or domains */
	const char *link;   /* the activity link field */
	bool domain;	    /* values are domains (else addresses) */
} backfills[] = {
    {"contact", "emails", "contact_ids", false},
    {"company", "domains", "company_ids", true},
};

static bool list_has(const json_t *arr, const char *v)
{
	size_t i;
	json_t *x;
	json_array_foreach(arr, i, x) if (json_is_string(x) &&
					  strcmp(json_string_value(x), v) == 0) return true;
	return false;
}

static const char *like_escaped(struct arena *a, const char *v)
{
	struct buf b;
	buf_init(&b, a, strlen(v) * 2 + 4);
	for (const char *c = v; *c; c++) {
		if (*c == '%' || *c == '_' || *c == '\\')
			buf_putc(&b, '\\');
		buf_putc(&b, *c);
	}
	return b.data;
}

/* Does raw (an address in a message) match value? */
static bool matches(const struct backfill *bf, const char *raw, const char *value, struct arena *a)
{
	const char *addr = raw ? address_normalize(a, raw) : NULL;
	if (!addr)
		return false;
	if (bf->domain)
		return strcmp(strrchr(addr, '@') + 1, value) == 0;
	return strcmp(addr, value) == 0 || strcmp(mail_fold_plus(a, addr), value) == 0;
}

/* 1 if raw is a user's or a mailbox's address, 0 if not, -1 on error. */
static int own_address(struct store *st, const char *raw, struct arena *a, struct err *err)
{
	const char *addr = raw ? address_normalize(a, raw) : NULL;
	if (!addr)
		return 0;
	struct stmt *s;
	if (store_prepare(st,
			  "SELECT (SELECT COUNT(*) FROM users WHERE email = ?) + (SELECT COUNT(*) "
			  "FROM mail_accounts WHERE lower(email) = ?)",
			  &s, err) < 0)
		return -1;
	stmt_bind_text(s, 1, addr);
	stmt_bind_text(s, 2, addr);
	int r = stmt_step(s, err);
	int64_t n = r == 1 ? stmt_int(s, 0) : 0;
	stmt_free(&s);
	return r < 0 ? -1 : n > 0;
}

/* 1 if a participant of message row ([id, from, to_json, cc_json,
   reply_to_json]) matches value, 0 if none does, -1 on error. */
static int message_matches(struct store *st, const struct backfill *bf, const json_t *row,
			   const char *value, struct arena *a, struct err *err)
{
	const char *addrs[LINK_ADDRS];
	size_t n = 0;
	addrs[n++] = json_string_value(json_array_get(row, 1));
	for (size_t c = 2; c <= 4; c++) {
		json_t *arr = json_in_arena(
		    a, json_loads(json_string_value(json_array_get(row, c)), 0, NULL));
		size_t i;
		json_t *x;
		json_array_foreach(arr, i, x) if (n < LINK_ADDRS) addrs[n++] =
		    arena_strdup(a, json_get_str(x, "address"));
	}
	for (size_t i = 0; i < n; i++) {
		if (!matches(bf, addrs[i], value, a))
			continue;
		int own = own_address(st, addrs[i], a, err);
		if (own != 1)
			return own < 0 ? -1 : 1;
	}
	return 0;
}

/* Links message msg's timeline activity to record id (making the activity if
   the message had none). */
static int link_message(struct store *st, const struct backfill *bf, int64_t msg, int64_t id,
			int64_t actor_id, struct arena *a, struct err *err)
{
	int64_t act = 0, have = 0;
	if (store_query_int(st,
			    "SELECT id FROM activities WHERE source_entity = 'message' AND "
			    "source_id = ?",
			    &act, err, 1, msg) < 0)
		return -1;
	json_t *ids = json_in_arena(a, json_array());
	if (act) {
		struct stmt *s;
		if (store_prepare(st,
				  "SELECT target_id FROM links WHERE entity = 'activities' AND "
				  "record_id = ? AND field = ? ORDER BY target_id",
				  &s, err) < 0)
			return -1;
		stmt_bind_int(s, 1, act);
		stmt_bind_text(s, 2, bf->link);
		int r;
		while ((r = stmt_step(s, err)) == 1) {
			have |= stmt_int(s, 0) == id;
			json_array_append_new(ids, json_integer(stmt_int(s, 0)));
		}
		stmt_free(&s);
		if (r < 0)
			return -1;
		if (have)
			return 0;
	}
	json_array_append_new(ids, json_integer(id));
	json_t *links = json_in_arena(a, json_object());
	json_object_set(links, bf->link, ids);
	return store_message_relink(st, msg, links, actor_id, a, err);
}

static int backfill_value(struct store *st, const struct backfill *bf,
			  const struct record_change *ch, const char *value, struct err *err)
{
	struct arena *a = ch->a;
	/* A coarse filter in SQL (the value's pieces in the address columns),
	   exact matching here. */
	const char *at = strchr(value, '@');
	const char *pat =
	    bf->domain
		? arena_printf(a, "%%@%s%%", like_escaped(a, value))
		: arena_printf(a, "%%%s%%@%s%%",
			       like_escaped(a, arena_strndup(a, value, (size_t)(at - value))),
			       like_escaped(a, at + 1));
	struct stmt *s;
	if (store_prepare(
		st,
		"SELECT id, from_addr, to_json, cc_json, reply_to_json FROM messages WHERE "
		"lower(COALESCE(from_addr, '')) LIKE ? ESCAPE '\\' OR lower(to_json) LIKE ? "
		"ESCAPE '\\' OR lower(cc_json) LIKE ? ESCAPE '\\' OR lower(reply_to_json) LIKE ? "
		"ESCAPE '\\' ORDER BY date DESC, id DESC LIMIT ?",
		&s, err) < 0)
		return -1;
	for (int i = 1; i <= 4; i++)
		stmt_bind_text(s, i, pat);
	stmt_bind_int(s, 5, BACKFILL_MAX);
	/* Collected first: other statements while a cursor is open are not portable. */
	json_t *rows = json_in_arena(a, json_array()), *found = json_in_arena(a, json_array());
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(rows, json_pack("[Is?s?s?s?]", (json_int_t)stmt_int(s, 0),
						      stmt_text(s, 1), stmt_text(s, 2),
						      stmt_text(s, 3), stmt_text(s, 4)));
	stmt_free(&s);
	if (r < 0)
		return -1;
	size_t j;
	json_t *row;
	json_array_foreach(rows, j, row)
	{
		int hit = message_matches(st, bf, row, value, a, err);
		if (hit < 0)
			return -1;
		if (hit)
			json_array_append(found, json_array_get(row, 0));
	}
	size_t i;
	json_t *m;
	json_array_foreach(found, i, m) if (link_message(st, bf, json_integer_value(m), ch->id,
							 ch->actor_id, a, err) < 0) return -1;
	return 0;
}

int store_mail_backfill(struct store *st, const struct record_change *ch, struct err *err)
{
	if (!ch->now)
		return 0;
	for (size_t b = 0; b < sizeof(backfills) / sizeof(backfills[0]); b++) {
		const struct backfill *bf = &backfills[b];
		if (strcmp(bf->entity, ch->def->name) != 0)
			continue;
		const json_t *now = json_object_get(ch->now, bf->field),
			     *old = ch->old ? json_object_get(ch->old, bf->field) : NULL;
		size_t i;
		json_t *v;
		json_array_foreach(now, i, v)
		{
			const char *value = json_string_value(v);
			if (!value || !*value || list_has(old, value) ||
			    (!bf->domain && !strchr(value, '@')) ||
			    (bf->domain && mail_free_domain(value)))
				continue;
			if (backfill_value(st, bf, ch, value, err) < 0)
				return -1;
		}
	}
	return 0;
}
