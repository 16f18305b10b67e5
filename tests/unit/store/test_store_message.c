/* Unit tests for message ingestion: dedupe, threads, linking, search rows. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "test.h"
#include "store_fixture.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "base/time.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/mail_query.h"
#include "core/message.h"
#include "core/user.h"
#include "mail/mime/mime_parse.h"
#include "store/store.h"

struct mfx {
	struct test_store ts;
	struct store *st;
	struct arena *a;
	struct err err;
	int64_t folder[2];
	int64_t next_uid;
};

static int64_t q_int(struct mfx *fx, const char *sql)
{
	int64_t n = -1;
	store_query_int(fx->st, sql, &n, &fx->err, 0);
	return n;
}

static bool mfx_open(struct mfx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = arena_new();
	if (!test_store_new(&fx->ts) || store_open(fx->ts.url, &fx->st, &fx->err) < 0 ||
	    store_migrate(fx->st, &fx->err) < 0)
		return false;
	int64_t uid, acct;
	store_user_create(fx->st, "owner@parley.test", "Owner", USER_MANAGER, NULL, &uid, &fx->err);
	for (int i = 0; i < 2; i++) {
		struct mail_account m = {.name = i ? "b" : "a",
					 .email = "owner@parley.test",
					 .imap_url = "imap://127.0.0.1",
					 .smtp_url = "smtp://127.0.0.1",
					 .username = "owner",
					 .auth = "password",
					 .owner_id = uid,
					 .enabled = true,
					 .health = "new",
					 .progress = "{}"};
		if (store_account_create(fx->st, &m, &acct, &fx->err) < 0 ||
		    store_folder_upsert(fx->st, acct, "INBOX", NULL, true, &fx->folder[i],
					&fx->err) < 0)
			return false;
	}
	return true;
}

static void mfx_close(struct mfx *fx)
{
	store_close(&fx->st);
	arena_free(&fx->a);
	test_store_remove(&fx->ts);
}

/* Parses raw and ingests it into folder f; returns the message id or 0. */
static int64_t ingest(struct mfx *fx, int f, const char *raw, bool *new_r)
{
	struct message *m;
	if (mime_parse((struct slice){raw, strlen(raw)}, fx->a, &m, &fx->err) < 0)
		return 0;
	struct store_ingest in = {.folder_id = fx->folder[f],
				  .uid = ++fx->next_uid,
				  .msg = m,
				  .raw_sha256 = "00",
				  .size = strlen(raw),
				  .account_email = "owner@parley.test",
				  .owner_id = 1,
				  .text = m->text};
	int64_t id = 0;
	bool isnew;
	if (store_message_ingest(fx->st, &in, fx->a, &id, new_r ? new_r : &isnew, &fx->err) < 0) {
		printf("#   ingest: %s\n", fx->err.msg);
		return 0;
	}
	return id;
}

static const char *mail(struct arena *a, const char *id, const char *from, const char *to,
			const char *subject, const char *refs)
{
	return arena_printf(a,
			    "Message-ID: <%s>\r\nFrom: %s\r\nTo: %s\r\nSubject: %s\r\n"
			    "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n%s%s%s%s%s\r\nbody of %s\r\n",
			    id, from, to, subject, refs ? "In-Reply-To: <" : "", refs ? refs : "",
			    refs ? ">\r\nReferences: <" : "", refs ? refs : "", refs ? ">\r\n" : "",
			    id);
}

static void test_store_message__dedupe_and_threads(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	bool isnew;
	/* the reply arrives before its parent */
	int64_t r1 = ingest(
	    &fx, 0, mail(a, "r1@x", "bob@client.com", "owner@parley.test", "Re: offer", "p1@x"),
	    &isnew);
	CHECK(r1 > 0 && isnew);
	int64_t p1 = ingest(
	    &fx, 0, mail(a, "p1@x", "owner@parley.test", "bob@client.com", "offer", NULL), &isnew);
	CHECK(p1 > 0 && isnew);
	CHECK_INT(q_int(&fx, "SELECT COUNT(DISTINCT thread_id) FROM messages"), 1);
	/* the same message in a second account is one message with two locations */
	int64_t again = ingest(
	    &fx, 1, mail(a, "p1@x", "owner@parley.test", "bob@client.com", "offer", NULL), &isnew);
	CHECK(again == p1 && !isnew);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM messages"), 2);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM message_locations"), 3);
	/* a separate conversation, then a message referencing both merges them */
	ingest(&fx, 0, mail(a, "q1@x", "carol@client.com", "owner@parley.test", "other", NULL),
	       NULL);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM threads"), 2);
	const char *bridge =
	    arena_printf(a, "Message-ID: <b@x>\r\nFrom: bob@client.com\r\nTo: owner@parley.test\r\n"
			    "Subject: Re: both\r\nReferences: <p1@x> <q1@x>\r\n\r\nhi\r\n");
	CHECK(ingest(&fx, 0, bridge, NULL) > 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM threads"), 1);
	CHECK_INT(q_int(&fx, "SELECT message_count FROM threads"), 4);
	/* subject fallback: a reply without references joins only with a shared participant */
	ingest(&fx, 0, mail(a, "s1@x", "dan@d.com", "owner@parley.test", "Quarterly numbers", NULL),
	       NULL);
	ingest(&fx, 0,
	       mail(a, "s2@x", "dan@d.com", "owner@parley.test", "RE: Quarterly numbers", NULL),
	       NULL);
	ingest(&fx, 0,
	       mail(a, "s3@x", "eve@e.com", "owner@parley.test", "Re: Quarterly numbers", NULL),
	       NULL);
	CHECK_INT(
	    q_int(&fx, "SELECT COUNT(DISTINCT thread_id) FROM messages WHERE message_id LIKE 's%'"),
	    2);
	/* a message without Message-ID is kept */
	CHECK(ingest(&fx, 0, "From: x@y.com\r\nSubject: no id\r\n\r\nbody\r\n", NULL) > 0);
	mfx_close(&fx);
}

/* issue 11: the subject fallback needs a reply marker and a participant other
   than the mailbox's own addresses (its address and its owner's). */
static void test_store_message__subject_fallback(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	CHECK(store_exec_ints(fx.st, "UPDATE users SET email = 'carl@parley.test' WHERE id = 1",
			      &fx.err, 0) == 0);
	ingest(&fx, 0,
	       mail(a, "pp1@acme.test", "ann@acme.test", "owner@parley.test, carl@parley.test",
		    "Pilot pricing", NULL),
	       NULL);
	/* a stranger's fresh subject: no marker, joins nothing */
	ingest(
	    &fx, 0,
	    mail(a, "pp2@other.test", "bob@other.test", "owner@parley.test", "Pilot pricing", NULL),
	    NULL);
	/* a reply whose common participants are the mailbox's and its owner's */
	ingest(&fx, 0,
	       mail(a, "pp3@other.test", "eve@other.test", "owner@parley.test, carl@parley.test",
		    "Re: Pilot pricing", NULL),
	       NULL);
	/* the client's reply without references joins */
	ingest(&fx, 0,
	       mail(a, "pp4@acme.test", "ann@acme.test", "owner@parley.test", "AW: Pilot pricing",
		    NULL),
	       NULL);
	const char *tq = "SELECT thread_id FROM messages WHERE message_id = ";
	int64_t t1 = q_int(&fx, arena_printf(a, "%s'pp1@acme.test'", tq));
	CHECK(t1 > 0);
	CHECK(q_int(&fx, arena_printf(a, "%s'pp2@other.test'", tq)) != t1);
	CHECK(q_int(&fx, arena_printf(a, "%s'pp3@other.test'", tq)) != t1);
	CHECK_INT(q_int(&fx, arena_printf(a, "%s'pp4@acme.test'", tq)), t1);
	mfx_close(&fx);
}

/* issue 11: visibility is each message's. A share is of the sharer's own
   messages; a bridge, a join or a split moves no visibility. */
static void test_store_message__per_message_visibility(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	struct mail_viewer owner = {1, false}, other = {2, false}, admin = {3, true};
	int64_t uid2, acct2, f2;
	struct mail_account m = {.name = "c",
				 .email = "other@parley.test",
				 .imap_url = "imap://127.0.0.1",
				 .smtp_url = "smtp://127.0.0.1",
				 .username = "other",
				 .auth = "password",
				 .enabled = true,
				 .health = "new",
				 .progress = "{}"};
	CHECK(store_user_create(fx.st, "other@parley.test", "Other", USER_MANAGER, NULL, &uid2,
				&fx.err) == 0);
	m.owner_id = uid2;
	CHECK(store_account_create(fx.st, &m, &acct2, &fx.err) == 0 &&
	      store_folder_upsert(fx.st, acct2, "INBOX", NULL, true, &f2, &fx.err) == 0);
	CHECK_INT(uid2, 2);
	/* owner's private message, and other's thread that other shares */
	int64_t priv = ingest(
	    &fx, 0, mail(a, "x1@c", "fay@c.com", "owner@parley.test", "Private", NULL), NULL);
	int64_t pub = 0;
	{
		struct message *pm;
		const char *raw = mail(a, "y1@s", "gus@s.com", "other@parley.test", "News", NULL);
		CHECK(mime_parse((struct slice){raw, strlen(raw)}, a, &pm, &fx.err) == 0);
		struct store_ingest i2 = {.folder_id = f2,
					  .uid = 1,
					  .msg = pm,
					  .raw_sha256 = "00",
					  .size = strlen(raw),
					  .account_email = "other@parley.test",
					  .owner_id = uid2,
					  .text = pm->text};
		bool isnew;
		CHECK(store_message_ingest(fx.st, &i2, a, &pub, &isnew, &fx.err) == 0);
	}
	int64_t tpub = q_int(&fx, "SELECT thread_id FROM messages WHERE message_id = 'y1@s'");
	CHECK_INT(store_thread_owned(fx.st, tpub, &owner, &fx.err), 0);
	CHECK_INT(store_thread_owned(fx.st, tpub, &other, &fx.err), 1);
	CHECK(store_thread_set_shared(fx.st, tpub, &other, true, &fx.err) == 0);
	CHECK_INT(store_message_visible(fx.st, pub, &owner, &fx.err), 1);
	/* a bridge in the owner's mailbox merges the threads: nothing is published */
	const char *bridge = "Message-ID: <b@evil>\r\nFrom: mal@evil.com\r\nTo: "
			     "owner@parley.test\r\nSubject: Re: News\r\nReferences: <x1@c> "
			     "<y1@s>\r\n\r\nhi\r\n";
	int64_t br = ingest(&fx, 0, bridge, NULL);
	int64_t t = q_int(&fx, "SELECT thread_id FROM messages WHERE message_id = 'x1@c'");
	CHECK_INT(q_int(&fx, "SELECT thread_id FROM messages WHERE message_id = 'y1@s'"), t);
	CHECK_INT(store_message_visible(fx.st, priv, &other, &fx.err), 0);
	CHECK_INT(store_message_visible(fx.st, br, &other, &fx.err), 0);
	json_t *th;
	CHECK_INT(store_thread_get(fx.st, t, &other, a, &th, &fx.err), 1);
	CHECK_INT(json_array_size(json_object_get(th, "messages")), 1);
	CHECK_INT(store_thread_get(fx.st, t, &admin, a, &th, &fx.err), 1);
	CHECK_INT(json_array_size(json_object_get(th, "messages")), 3);
	/* the owner shares the thread: their own two messages, not other's */
	CHECK(store_thread_set_shared(fx.st, t, &owner, true, &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM message_shares WHERE user_id = 1"), 2);
	CHECK_INT(store_message_visible(fx.st, priv, &other, &fx.err), 1);
	CHECK(store_thread_set_shared(fx.st, t, &owner, false, &fx.err) == 0);
	CHECK_INT(store_message_visible(fx.st, priv, &other, &fx.err), 0);
	CHECK_INT(store_message_visible(fx.st, pub, &owner, &fx.err), 1);
	/* other may not split the owner's message out, and it answers as a stranger's */
	int64_t fresh = 0;
	CHECK(store_thread_split(fx.st, t, &other, &priv, 1, &fresh, &fx.err) < 0);
	CHECK_INT(fx.err.code, ERR_INVALID);
	char *e1 = arena_strdup(a, fx.err.msg);
	int64_t none = 999999;
	CHECK(store_thread_split(fx.st, t, &other, &none, 1, &fresh, &fx.err) < 0);
	CHECK_STR(e1, arena_printf(a, "message %lld is not in thread %lld", (long long)priv,
				   (long long)t));
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM messages WHERE thread_id IS NOT NULL AND "
			     "thread_id <> (SELECT thread_id FROM messages WHERE message_id = "
			     "'x1@c')"),
		  0);
	/* other splits their own message off, then joins the whole thread back:
	   only what other sees moves; the rest stays in its thread */
	CHECK(store_thread_split(fx.st, t, &other, &pub, 1, &fresh, &fx.err) == 0);
	CHECK(store_thread_join(fx.st, fresh, t, &other, &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM messages WHERE thread_id = (SELECT thread_id "
			     "FROM messages WHERE message_id = 'x1@c')"),
		  2);
	CHECK_INT(q_int(&fx, "SELECT message_count FROM threads WHERE id = (SELECT thread_id FROM "
			     "messages WHERE message_id = 'x1@c')"),
		  2);
	/* a reply in other's mailbox to a message other shared is shared too */
	{
		struct message *pm;
		const char *raw =
		    mail(a, "y2@s", "gus@s.com", "other@parley.test", "Re: News", "y1@s");
		CHECK(mime_parse((struct slice){raw, strlen(raw)}, a, &pm, &fx.err) == 0);
		struct store_ingest i2 = {.folder_id = f2,
					  .uid = 2,
					  .msg = pm,
					  .raw_sha256 = "00",
					  .size = strlen(raw),
					  .account_email = "other@parley.test",
					  .owner_id = uid2,
					  .text = pm->text};
		bool isnew;
		int64_t y2 = 0;
		CHECK(store_message_ingest(fx.st, &i2, a, &y2, &isnew, &fx.err) == 0);
		CHECK_INT(store_message_visible(fx.st, y2, &owner, &fx.err), 1);
	}
	mfx_close(&fx);
}

static void test_store_message__linking(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	struct entity_env env = {entity_default_stages, NULL, 0};
	json_t *rec, *out;
	const char *inputs[][2] = {
	    {"companies", "{\"name\":\"Client Co\",\"domains\":[\"client.com\"]}"},
	    {"contacts",
	     "{\"first_name\":\"Bob\",\"emails\":[\"bob@client.com\"],\"company_id\":1}"},
	    {"deals", "{\"title\":\"Deal\",\"contact_id\":1}"},
	};
	for (size_t i = 0; i < 3; i++) {
		const struct entity_def *def = entity_find(inputs[i][0]);
		json_t *in = json_in_arena(a, json_loads(inputs[i][1], 0, NULL));
		CHECK(entity_validate(def, in, NULL, &env, a, &rec, &fx.err) == 0 &&
		      store_record_create(fx.st, def, rec, 1, a, &out, &fx.err) == 0);
	}
	/* plus-addressing folded; the deal is the contact's single open deal */
	int64_t id = ingest(
	    &fx, 0, mail(a, "m1@x", "Bob <Bob+crm@Client.com>", "owner@parley.test", "Hello", NULL),
	    NULL);
	CHECK(id > 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM activities WHERE kind = 'email'"), 1);
	CHECK_INT(q_int(&fx,
			"SELECT COUNT(*) FROM links l JOIN activities t ON t.id = l.record_id "
			"WHERE t.kind = 'email' AND l.field = 'contact_ids' AND l.target_id = 1"),
		  1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM links l JOIN activities t ON t.id = l.record_id "
			     "WHERE t.kind = 'email' AND l.field = 'deal_ids' AND l.target_id = 1"),
		  1);
	CHECK_INT(q_int(&fx,
			"SELECT COUNT(*) FROM links l JOIN activities t ON t.id = l.record_id "
			"WHERE t.kind = 'email' AND l.field = 'company_ids' AND l.target_id = 1"),
		  1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM events WHERE type = 'email.received'"), 1);
	/* the subject is in the event, for event.payload.subject in rules */
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM events WHERE type = 'email.received' AND "
			     "payload LIKE '%\"subject\":%\"Hello\"%'"),
		  1);
	/* a stranger on a free-mail domain links nothing, but the event is written */
	ingest(&fx, 0, mail(a, "m2@x", "someone@gmail.com", "owner@parley.test", "Hi", NULL), NULL);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM activities WHERE kind = 'email'"), 1);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM events WHERE type = 'email.received'"), 2);
	/* outbound mail from the mailbox is email.sent */
	ingest(&fx, 0, mail(a, "m3@x", "owner@parley.test", "bob@client.com", "Offer", NULL), NULL);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM events WHERE type = 'email.sent'"), 1);
	/* another manager does not see the mail on Bob's timeline; the owner does */
	struct store_list_query q = {.limit = 50, .viewer_id = 99};
	json_t *items;
	char *next;
	CHECK(store_timeline(fx.st, &contact_def, 1, &q, a, &items, &next, &fx.err) == 0);
	size_t i, emails = 0;
	json_t *it;
	json_array_foreach(items, i, it) emails += strcmp(json_get_str(it, "kind"), "email") == 0;
	CHECK_INT(emails, 0);
	q.viewer_id = 1;
	CHECK(store_timeline(fx.st, &contact_def, 1, &q, a, &items, &next, &fx.err) == 0);
	emails = 0;
	json_array_foreach(items, i, it) emails += strcmp(json_get_str(it, "kind"), "email") == 0;
	CHECK_INT(emails, 2);
	/* the search row exists */
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM message_fts WHERE subject = 'Offer'"), 1);
	mfx_close(&fx);
}

static size_t search(struct mfx *fx, const char *q, int64_t viewer, bool admin)
{
	struct mq_node *root;
	json_t *items;
	char *next;
	struct mail_viewer v = {viewer, admin};
	if (mail_query_parse(q, fx->a, &root, &fx->err) < 0 ||
	    store_thread_search(fx->st, root, &v, 50, NULL, fx->a, &items, &next, &fx->err) < 0) {
		printf("#   search '%s': %s\n", q, fx->err.msg);
		return (size_t)-1;
	}
	return json_array_size(items);
}

static void test_store_message__search(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	ingest(
	    &fx, 0,
	    mail(a, "a1@x", "Bob <bob@client.com>", "owner@parley.test", "Proposal for Q3", NULL),
	    NULL);
	ingest(&fx, 0, mail(a, "a2@x", "carol@other.org", "owner@parley.test", "Lunch", NULL),
	       NULL);
	ingest(&fx, 0, mail(a, "a3@x", "owner@parley.test", "carol@other.org", "Re: Lunch", "a2@x"),
	       NULL);
	CHECK_INT(search(&fx, "", 1, false), 2);
	CHECK_INT(search(&fx, "proposal", 1, false), 1);
	CHECK_INT(search(&fx, "propos", 1, false), 1);
	CHECK_INT(search(&fx, "\"proposal for\"", 1, false), 1);
	CHECK_INT(search(&fx, "subject:lunch", 1, false), 1);
	CHECK_INT(search(&fx, "from:bob", 1, false), 1);
	CHECK_INT(search(&fx, "from:bob OR from:carol", 1, false), 2);
	CHECK_INT(search(&fx, "-from:bob", 1, false), 1);
	CHECK_INT(search(&fx, "is:unread", 1, false), 2);
	CHECK_INT(search(&fx, "in:inbox account:a", 1, false), 2);
	CHECK_INT(search(&fx, "has:attachment", 1, false), 0);
	CHECK_INT(search(&fx, "before:2020-01-01", 1, false), 0);
	CHECK_INT(search(&fx, "after:2020-01-01 lunch", 1, false), 1);
	/* words split at punctuation, so an address's parts are words */
	CHECK_INT(search(&fx, "client", 1, false), 1);
	CHECK_INT(search(&fx, "bob@client.com", 1, false), 1);
	/* subject: looks at the subject only; a phrase keeps its order */
	CHECK_INT(search(&fx, "subject:proposal", 1, false), 1);
	CHECK_INT(search(&fx, "subject:bob", 1, false), 0);
	CHECK_INT(search(&fx, "\"for q3\"", 1, false), 1);
	CHECK_INT(search(&fx, "\"q3 for\"", 1, false), 0);
	/* the full-text syntax of either backend in a word is only text */
	CHECK_INT(search(&fx, "o'neil", 1, false), 0);
	CHECK_INT(search(&fx, "\"q3 | lunch & !x:* <-> y\"", 1, false), 0);
	CHECK_INT(search(&fx, "\"-*-\"", 1, false), 0);
	/* privacy: another manager sees none of this personal mailbox; an admin sees all */
	CHECK_INT(search(&fx, "", 99, false), 0);
	CHECK_INT(search(&fx, "", 99, true), 2);
	struct mail_viewer owner = {1, false};
	CHECK(store_thread_set_shared(fx.st,
				      q_int(&fx, "SELECT thread_id FROM messages WHERE "
						 "message_id = 'a2@x'"),
				      &owner, true, &fx.err) == 0);
	CHECK_INT(search(&fx, "", 99, false), 1);
	mfx_close(&fx);
}

/* Reading mail back and changing it: flags, moves, the op queue, threads
   shared, split and joined, relinking; folders, accounts, settings, events. */
static void test_store_message__mail_ops(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	struct mail_viewer owner = {1, false}, other = {99, false}, admin = {99, true};
	const char *with_file =
	    "Message-ID: <f1@x>\r\nFrom: bob@client.com\r\nTo: owner@parley.test\r\n"
	    "Subject: Files\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
	    "Content-Type: text/plain\r\n\r\nsee the report\r\n--b\r\n"
	    "Content-Type: application/pdf\r\n"
	    "Content-Disposition: attachment; filename=\"report-q3.pdf\"\r\n\r\n%PDF\r\n--b--\r\n";
	int64_t f1 = ingest(&fx, 0, with_file, NULL);
	int64_t m1 = ingest(
	    &fx, 0, mail(a, "t1@x", "bob@client.com", "owner@parley.test", "Plan", NULL), NULL);
	int64_t m2 = ingest(
	    &fx, 0, mail(a, "t2@x", "owner@parley.test", "bob@client.com", "Re: Plan", "t1@x"),
	    NULL);
	CHECK(f1 > 0 && m1 > 0 && m2 > 0);
	CHECK_INT(search(&fx, "filename:report", 1, false), 1);
	CHECK_INT(search(&fx, "report", 1, false), 1);
	CHECK_INT(search(&fx, "has:attachment", 1, false), 1);
	/* reading, through visibility */
	json_t *msg, *thread;
	CHECK_INT(store_message_get(fx.st, f1, &owner, a, &msg, &fx.err), 1);
	CHECK_INT(json_array_size(json_object_get(msg, "attachments")), 1);
	CHECK_INT(store_message_get(fx.st, f1, &other, a, &msg, &fx.err), 0);
	CHECK_INT(store_message_get(fx.st, f1, &admin, a, &msg, &fx.err), 1);
	int64_t att = json_integer_value(
	    json_object_get(json_array_get(json_object_get(msg, "attachments"), 0), "id"));
	char *fname, *ctype, *sha;
	CHECK_INT(store_attachment_get(fx.st, f1, att, &owner, a, &fname, &ctype, &sha, &fx.err),
		  1);
	CHECK_STR(fname, "report-q3.pdf");
	int64_t t = json_integer_value(json_object_get(msg, "thread_id"));
	int64_t tp = q_int(&fx, "SELECT thread_id FROM messages WHERE message_id = 't1@x'");
	CHECK_INT(store_thread_get(fx.st, tp, &owner, a, &thread, &fx.err), 1);
	CHECK_INT(json_array_size(json_object_get(thread, "messages")), 2);
	CHECK_INT(store_thread_owned(fx.st, tp, &owner, &fx.err), 1);
	CHECK_INT(store_thread_owned(fx.st, tp, &other, &fx.err), 0);
	CHECK_INT(store_thread_visible(fx.st, t, &other, &fx.err), 0);
	CHECK(store_thread_set_shared(fx.st, t, &owner, true, &fx.err) == 0);
	CHECK_INT(store_thread_visible(fx.st, t, &other, &fx.err), 1);
	/* flags and moves go to the op queue */
	CHECK(store_message_flag(fx.st, m1, &owner, MAIL_SEEN | MAIL_FLAGGED, 0, &fx.err) == 0);
	CHECK(store_message_flag(fx.st, m1, &owner, 0, MAIL_FLAGGED, &fx.err) == 0);
	CHECK(store_message_flag(fx.st, m1, &other, MAIL_SEEN, 0, &fx.err) < 0);
	CHECK_INT(fx.err.code, ERR_NOTFOUND);
	CHECK_INT(q_int(&fx, "SELECT flags FROM message_locations ml JOIN messages m ON m.id = "
			     "ml.message_ref WHERE m.message_id = 't1@x'"),
		  MAIL_SEEN);
	CHECK_INT(search(&fx, "is:unread", 1, false), 2);
	int64_t archive;
	CHECK(store_folder_upsert(fx.st, 1, "Archive", "\\Archive", true, &archive, &fx.err) == 0);
	CHECK(store_message_move(fx.st, m1, &owner, "Archive", &fx.err) == 0);
	CHECK(store_message_move(fx.st, m1, &owner, "Nowhere", &fx.err) < 0);
	struct mail_op *ops;
	size_t nops;
	CHECK(store_mail_ops_pending(fx.st, 1, a, &ops, &nops, &fx.err) == 0);
	CHECK_INT(nops, 3);
	CHECK(nops == 3 && strcmp(ops[2].op, "move") == 0 && strcmp(ops[2].arg, "Archive") == 0);
	CHECK(nops > 1 && store_mail_op_done(fx.st, ops[0].id, NULL, &fx.err) == 0);
	CHECK(nops > 1 && store_mail_op_done(fx.st, ops[1].id, "timeout", &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM mail_ops WHERE attempts = 1"), 1);
	/* the message says which folder it is in; the last move wins, and moving
	   it back to that folder cancels the queued move (an undone archive) */
	CHECK_INT(store_message_get(fx.st, m1, &owner, a, &msg, &fx.err), 1);
	CHECK_STR(json_string_value(json_object_get(msg, "folder")), "INBOX");
	CHECK(store_message_move(fx.st, m1, &owner, "Archive", &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM mail_ops WHERE op = 'move'"), 1);
	CHECK(store_message_move(fx.st, m1, &owner, "INBOX", &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM mail_ops WHERE op = 'move'"), 0);
	/* split the reply off, then join it back */
	int64_t fresh = 0;
	CHECK(store_thread_split(fx.st, tp, &owner, &m2, 1, &fresh, &fx.err) == 0);
	CHECK(fresh > 0 && fresh != tp);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM threads WHERE message_count = 1"), 3);
	CHECK(store_thread_join(fx.st, tp, fresh, &owner, &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM threads"), 2);
	/* relinking a message that had no links makes its activity */
	json_t *links =
	    json_in_arena(a, json_pack("{s[]s[]s[]}", "contact_ids", "company_ids", "deal_ids"));
	CHECK_MSG(store_message_relink(fx.st, f1, links, 1, a, &fx.err) == 0, "%s", fx.err.msg);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM activities WHERE source_entity = 'message'"), 1);
	/* folders and accounts */
	struct mail_folder *folders;
	size_t nf;
	CHECK(store_folder_list(fx.st, 1, a, &folders, &nf, &fx.err) == 0);
	CHECK_INT(nf, 2);
	CHECK(nf == 2 && strcmp(folders[0].name, "Archive") == 0);
	folders[1].uidvalidity = 7;
	folders[1].highestmodseq = 5000000000LL;
	CHECK(store_folder_save(fx.st, &folders[1], &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT highestmodseq FROM mail_folders WHERE uidvalidity = 7"),
		  5000000000LL);
	int64_t *uids;
	size_t nu;
	CHECK(store_folder_uids(fx.st, fx.folder[0], a, &uids, &nu, &fx.err) == 0);
	CHECK_INT(nu, 3);
	CHECK_INT(store_account_set_health(fx.st, 1, "unreachable", "no route", &fx.err), 1);
	CHECK_INT(store_account_set_health(fx.st, 1, "unreachable", NULL, &fx.err), 0);
	CHECK(store_account_set_progress(fx.st, 1, "{\"INBOX\":1}", &fx.err) == 0);
	CHECK(store_account_request_sync(fx.st, 1, &fx.err) == 0);
	CHECK(store_folder_reset(fx.st, fx.folder[0], &fx.err) == 0);
	CHECK_INT(store_account_delete(fx.st, 2, &fx.err), 1);
	CHECK_INT(store_account_delete(fx.st, 2, &fx.err), 0);
	/* settings and events */
	json_t *v, *events;
	CHECK(store_setting_set(fx.st, "pipeline", json_in_arena(a, json_pack("[ss]", "a", "b")),
				&fx.err) == 0);
	CHECK(store_setting_set(fx.st, "pipeline", json_in_arena(a, json_pack("[s]", "c")),
				&fx.err) == 0);
	CHECK_INT(store_setting_get(fx.st, "pipeline", a, &v, &fx.err), 1);
	CHECK_INT(json_array_size(v), 1);
	CHECK(store_event_list(fx.st, 0, 100, a, &events, &fx.err) == 0);
	CHECK(json_array_size(events) >= 4);
	mfx_close(&fx);
}

static void test_store_message__outbox(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	struct outbox_item it = {.account_id = 1,
				 .message_id = "parley.x@h",
				 .raw_sha256 = "ab",
				 .envelope_from = "owner@parley.test",
				 .recipients = json_in_arena(a, json_pack("[s]", "bob@client.com")),
				 .subject = "Hi",
				 .created_by = 1};
	int64_t id, id2;
	CHECK(store_outbox_enqueue(fx.st, &it, "key-1", &id, &fx.err) == 0);
	CHECK(store_outbox_enqueue(fx.st, &it, "key-1", &id2, &fx.err) == 0);
	CHECK_INT(id, id2);
	it.send_at = 4102444800; /* scheduled far ahead */
	CHECK(store_outbox_enqueue(fx.st, &it, NULL, &id2, &fx.err) == 0);
	struct outbox_item *got;
	int64_t now =
	    time_now() + 1000000; /* past every item queued now; below the far-ahead one */
	CHECK_INT(store_outbox_claim(fx.st, now, a, &got, &fx.err), 1);
	CHECK_INT(got->id, id);
	CHECK_STR(got->status, "sending");
	CHECK_INT(store_outbox_claim(fx.st, now, a, &got, &fx.err), 0); /* nothing else due */
	CHECK(store_outbox_finish(fx.st, id, "deferred", "451 try later", now + 60, &fx.err) == 0);
	CHECK_INT(store_outbox_claim(fx.st, now, a, &got, &fx.err), 0);
	CHECK_INT(store_outbox_claim(fx.st, now + 60, a, &got, &fx.err), 1);
	CHECK_INT(got->attempts, 2);
	/* a crash while sending: recovered as deferred */
	CHECK(store_outbox_recover(fx.st, 4102444800, &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM outbox WHERE status = 'deferred'"), 1);
	CHECK(store_outbox_finish(fx.st, id, "sent", NULL, 0, &fx.err) == 0);
	CHECK_INT(q_int(&fx, "SELECT COUNT(*) FROM events WHERE type = 'outbox.sent'"), 1);
	json_t *items;
	struct mail_viewer owner = {1, false}, other = {99, false};
	CHECK(store_outbox_list(fx.st, &owner, 50, a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 2);
	CHECK(store_outbox_list(fx.st, &other, 50, a, &items, &fx.err) == 0);
	CHECK_INT(json_array_size(items), 0);
	mfx_close(&fx);
}

/* Sent mail's timeline entry: credited to who caused the outbox item (not
   the mailbox's owner), to nobody with payload.automated for a rule's mail;
   timeline entries carry the message's thread, sender and snippet. */
static void test_store_message__sent_by(void)
{
	struct mfx fx;
	CHECK_MSG(mfx_open(&fx), "%s", fx.err.msg);
	struct arena *a = fx.a;
	struct entity_env env = {entity_default_stages, NULL, 0};
	json_t *rec, *out, *items;
	char *next;
	int64_t maria, id;
	CHECK(store_user_create(fx.st, "maria@parley.test", "Maria", USER_MANAGER, NULL, &maria,
				&fx.err) == 0);
	json_t *in = json_in_arena(a, json_loads("{\"first_name\":\"Bob\",\"emails\":[\"bob@"
						 "client.com\"]}",
						 0, NULL));
	CHECK(entity_validate(&contact_def, in, NULL, &env, a, &rec, &fx.err) == 0 &&
	      store_record_create(fx.st, &contact_def, rec, 1, a, &out, &fx.err) == 0);
	const char *mids[] = {"sent-by-maria@x", "sent-by-rule@x"};
	for (int i = 0; i < 2; i++) {
		struct outbox_item it = {
		    .account_id = 1,
		    .message_id = (char *)mids[i],
		    .raw_sha256 = "ab",
		    .envelope_from = "owner@parley.test",
		    .recipients = json_in_arena(a, json_pack("[s]", "bob@client.com")),
		    .subject = "Hi",
		    .created_by = 1,
		    .caused_by = maria,
		    .draft =
			i ? json_in_arena(a, json_pack("{ss}", "auto_submitted", "auto-generated"))
			  : NULL};
		struct outbox_item *got;
		CHECK(store_outbox_enqueue(fx.st, &it, NULL, &id, &fx.err) == 0);
		CHECK_INT(store_outbox_claim(fx.st, time_now() + 1000000, a, &got, &fx.err), 1);
		CHECK(store_outbox_finish(fx.st, id, "sent", NULL, 0, &fx.err) == 0);
	}
	ingest(&fx, 0, mail(a, mids[0], "owner@parley.test", "bob@client.com", "Reply", NULL),
	       NULL);
	ingest(&fx, 0, mail(a, mids[1], "owner@parley.test", "bob@client.com", "Thanks", NULL),
	       NULL);
	/* mail sent elsewhere and found in the owner's personal mailbox: the owner's */
	ingest(&fx, 0,
	       mail(a, "sent-elsewhere@x", "owner@parley.test", "bob@client.com", "Aside", NULL),
	       NULL);
	struct store_list_query q = {.limit = 50, .viewer_id = 1};
	CHECK(store_timeline(fx.st, &contact_def, 1, &q, a, &items, &next, &fx.err) == 0);
	size_t i, seen = 0;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		const char *sum = json_get_str(it, "summary");
		const json_t *actor = json_object_get(it, "actor_id"),
			     *m = json_object_get(it, "mail");
		if (strcmp(json_get_str(it, "kind"), "email") != 0)
			continue;
		seen++;
		CHECK(json_is_integer(json_object_get(m, "thread_id")));
		CHECK_STR(json_get_str(m, "from"), "owner@parley.test");
		CHECK(json_get_str(m, "snippet") != NULL);
		if (strcmp(sum, "Reply") == 0)
			CHECK_INT(json_integer_value(actor), maria);
		else if (strcmp(sum, "Thanks") == 0)
			CHECK(json_is_null(actor) &&
			      json_is_true(
				  json_object_get(json_object_get(it, "payload"), "automated")));
		else
			CHECK_INT(json_integer_value(actor), 1);
	}
	CHECK_INT(seen, 3);
	mfx_close(&fx);
}

void test_store_message(void)
{
	TEST_STORE_RUN(test_store_message__sent_by);
	TEST_STORE_RUN(test_store_message__outbox);
	TEST_STORE_RUN(test_store_message__search);
	TEST_STORE_RUN(test_store_message__dedupe_and_threads);
	TEST_STORE_RUN(test_store_message__subject_fallback);
	TEST_STORE_RUN(test_store_message__per_message_visibility);
	TEST_STORE_RUN(test_store_message__linking);
	TEST_STORE_RUN(test_store_message__mail_ops);
}
