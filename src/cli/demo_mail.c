/* Demo mail: a shared (disabled) team mailbox with short conversations with
 * the demo contacts, so a new user sees threads on contact cards and deals at
 * once. The messages are built, parsed and stored exactly as synced mail is. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "cli/demo.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/mail_link.h"
#include "core/message.h"
#include "mail/compose.h"
#include "mail/html_safe.h"
#include "mail/mime/mime_parse.h"
#include "store/blob.h"
#include "store/store.h"
#include "base/banned.h"

#define DEMO_MAIL_CONTACTS 6
#define DAY		   86400

static const struct {
	const char *subject, *ask, *answer, *followup;
} talks[] = {
    {"Question about your offer",
     "Hello,\n\ncould you send the offer again with delivery "
     "costs included?\n\nThanks",
     "Hello,\n\nof course: the updated offer is attached to the deal. Delivery is included "
     "from 50 units.\n\nBest regards",
     "Great, we will discuss it on Thursday and come back to you."},
    {"Meeting next week", "Hi,\n\ncan we meet next week to go through the details?",
     "Hi,\n\nTuesday at 10:00 works for me. I will send an invitation.",
     "Perfect, see you on Tuesday."},
    {"Invoice 2026-114", "Hello,\n\nthe invoice lists the wrong VAT number. Could you fix it?",
     "Hello,\n\nsorry about that: a corrected invoice is on its way.", "Received, thank you!"},
};

struct demo_mail {
	struct store *st;
	struct arena *a;
	const char *blobs;
	struct mail_account acct;
	int64_t inbox, sent, next_uid;
};

/* Builds, stores and ingests one message; *mid_r is its Message-ID. */
static int put(struct demo_mail *m, bool outbound, const char *from_name, const char *from,
	       const char *to, const char *subject, const char *body, const char *reply_to_mid,
	       const char *refs, int64_t deal, int64_t date, const char **mid_r, struct err *err)
{
	const char *mid = outbound ? mail_message_id_new(m->a, deal, "example.com")
				   : arena_printf(m->a, "demo.%" PRId64 "@%s", m->next_uid + 1,
						  strrchr(from, '@') + 1);
	json_t *d = json_in_arena(m->a, json_pack("{s:s, s:s, s:[s], s:s, s:s, s:I}", "from_name",
						  from_name, "from_addr", from, "to", to, "subject",
						  subject, "text", body, "date", (json_int_t)date));
	if (reply_to_mid) {
		json_object_set_new(d, "in_reply_to", json_string(reply_to_mid));
		json_object_set_new(d, "references", json_pack("[s]", refs ? refs : reply_to_mid));
		if (refs && strcmp(refs, reply_to_mid) != 0)
			json_array_append_new(json_object_get(d, "references"),
					      json_string(reply_to_mid));
	}
	char *raw, sha[65];
	size_t len, n;
	const char **rcpts;
	struct message *msg;
	int64_t id;
	bool isnew;
	if (mail_compose(d, mid, m->a, &raw, &len, &rcpts, &n, err) < 0 ||
	    blob_put(m->blobs, raw, len, sha, err) < 0 ||
	    mime_parse((struct slice){raw, len}, m->a, &msg, err) < 0)
		return -1;
	struct store_ingest in = {.folder_id = outbound ? m->sent : m->inbox,
				  .uid = ++m->next_uid,
				  .flags = outbound ? MAIL_SEEN : 0,
				  .msg = msg,
				  .raw_sha256 = sha,
				  .size = len,
				  .account_email = m->acct.email,
				  .text = msg->text,
				  .backfill = true}; /* history: notifies nobody */
	struct mail_html_safe safe;
	if (store_message_ingest(m->st, &in, m->a, &id, &isnew, err) < 0 ||
	    (isnew && msg->html &&
	     mail_html_safe(m->st, id, msg->html, msg->text, false, m->a, &safe, err) < 0))
		return -1;
	*mid_r = arena_strdup(m->a, mid);
	return 0;
}

static int conversation(struct demo_mail *m, size_t i, const json_t *contact, int64_t deal,
			int64_t now, struct err *err)
{
	const char *email =
	    json_string_value(json_array_get(json_object_get(contact, "emails"), 0));
	const char *first = json_get_str(contact, "first_name");
	const char *name = arena_printf(
	    m->a, "%s %s", first ? first : "",
	    json_get_str(contact, "last_name") ? json_get_str(contact, "last_name") : "");
	size_t t = i % (sizeof(talks) / sizeof(talks[0]));
	int64_t start = now - (int64_t)(i + 1) * DAY - 5 * 3600;
	const char *a1, *a2, *a3;
	const char *re = arena_printf(m->a, "Re: %s", talks[t].subject);
	if (put(m, false, name, email, m->acct.email, talks[t].subject, talks[t].ask, NULL, NULL, 0,
		start, &a1, err) < 0 ||
	    put(m, true, "Team", m->acct.email, email, re, talks[t].answer, a1, a1, deal,
		start + 2 * 3600, &a2, err) < 0)
		return -1;
	if (i % 2 == 1) /* every other conversation is left waiting for an answer */
		return 0;
	return put(m, false, name, email, m->acct.email, re, talks[t].followup, a2, a1, 0,
		   start + 20 * 3600, &a3, err);
}

int demo_mail_load(struct store *st, const char *blob_dir, struct err *err)
{
	struct demo_mail m = {.st = st, .a = arena_new(), .blobs = blob_dir};
	struct store_list_query q = {.limit = 100};
	json_t *contacts, *c;
	char *next;
	int64_t id;
	size_t i, used = 0;
	int rc = -1;
	m.acct = (struct mail_account){.name = "demo-team",
				       .email = "team@example.com",
				       .imap_url = "imap://127.0.0.1:9",
				       .smtp_url = "smtp://127.0.0.1:9",
				       .username = "team",
				       .auth = "password",
				       .shared = true,
				       .enabled = false,
				       .health = "new",
				       .progress = "{}"};
	if (store_account_create(st, &m.acct, &id, err) < 0 ||
	    store_folder_upsert(st, id, "INBOX", NULL, true, &m.inbox, err) < 0 ||
	    store_folder_upsert(st, id, "Sent", "\\Sent", true, &m.sent, err) < 0 ||
	    store_record_list(st, &contact_def, &q, m.a, &contacts, &next, err) < 0)
		goto out;
	int64_t now = time_now();
	/* Clients with a deal first: their mail shows on the deal too. */
	struct store_list_query dq = {.limit = 100};
	json_t *deals, *dl;
	size_t j;
	if (store_record_list(st, &deal_def, &dq, m.a, &deals, &next, err) < 0)
		goto out;
	json_array_foreach(deals, j, dl)
	{
		int64_t cid = json_integer_value(json_object_get(dl, "contact_id"));
		if (used == DEMO_MAIL_CONTACTS || !cid ||
		    !json_is_null(json_object_get(dl, "closed_at")))
			continue;
		json_array_foreach(contacts, i, c)
		{
			if (json_integer_value(json_object_get(c, "id")) != cid ||
			    !json_array_size(json_object_get(c, "emails")) ||
			    json_is_true(json_object_get(c, "mailed")))
				continue;
			json_object_set_new(c, "mailed", json_true());
			if (conversation(&m, used++, c,
					 json_integer_value(json_object_get(dl, "id")), now,
					 err) < 0)
				goto out;
		}
	}
	rc = 0;
out:
	arena_free(&m.a);
	return rc;
}
