/* Unit tests for mail/html_safe.c: sanitised once, kept, capped. */
#include <stdio.h>
#include <string.h>

#include "test.h"
#include "store/store_fixture.h"
#include "base/arena.h"
#include "base/err.h"
#include "core/mail_account.h"
#include "core/message.h"
#include "core/user.h"
#include "mail/html_safe.h"
#include "mail/mime/mime_parse.h"
#include "store/store.h"

struct hfx {
	struct test_store ts;
	struct store *st;
	struct arena *a;
	struct err err;
	int64_t folder, uid;
};

static bool hfx_open(struct hfx *fx)
{
	memset(fx, 0, sizeof(*fx));
	fx->a = arena_new();
	if (!test_store_new(&fx->ts) || store_open(fx->ts.url, &fx->st, &fx->err) < 0 ||
	    store_migrate(fx->st, &fx->err) < 0)
		return false;
	int64_t uid, acct;
	struct mail_account m = {.name = "a",
				 .email = "owner@parley.test",
				 .imap_url = "imap://127.0.0.1",
				 .smtp_url = "smtp://127.0.0.1",
				 .username = "owner",
				 .auth = "password",
				 .enabled = true,
				 .health = "new",
				 .progress = "{}"};
	return store_user_create(fx->st, "owner@parley.test", "Owner", USER_MANAGER, NULL, &uid,
				 &fx->err) == 0 &&
	       (m.owner_id = uid, store_account_create(fx->st, &m, &acct, &fx->err) == 0) &&
	       store_folder_upsert(fx->st, acct, "INBOX", NULL, true, &fx->folder, &fx->err) == 0;
}

static void hfx_close(struct hfx *fx)
{
	store_close(&fx->st);
	arena_free(&fx->a);
	test_store_remove(&fx->ts);
}

/* Stores an HTML-only mail with body html; returns its id and *m_r. */
static int64_t put(struct hfx *fx, const char *mid, const char *html, struct message **m_r)
{
	const char *raw =
	    arena_printf(fx->a,
			 "Message-ID: <%s>\r\nFrom: x@y.com\r\nTo: owner@parley.test\r\n"
			 "Subject: s\r\nDate: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
			 "Content-Type: text/html; charset=utf-8\r\n\r\n%s\r\n",
			 mid, html);
	int64_t id = 0;
	bool isnew;
	if (mime_parse((struct slice){raw, strlen(raw)}, fx->a, m_r, &fx->err) < 0)
		return 0;
	struct store_ingest in = {.folder_id = fx->folder,
				  .uid = ++fx->uid,
				  .msg = *m_r,
				  .raw_sha256 = "00",
				  .size = strlen(raw),
				  .account_email = "owner@parley.test"};
	return store_message_ingest(fx->st, &in, fx->a, &id, &isnew, &fx->err) == 0 ? id : 0;
}

static void test_html_safe__once_and_variants(void)
{
	struct hfx fx;
	struct message *m;
	struct mail_html_safe out;
	CHECK_MSG(hfx_open(&fx), "%s", fx.err.msg);
	int64_t id = put(&fx, "r1@x",
			 "<p onclick=x()>Hi <img src=\"https://t.example/p.gif\"><img "
			 "src=\"cid:logo@x\"><script>s()</script></p>",
			 &m);
	CHECK(id > 0);
	long n0 = mail_html_safe_count();
	CHECK(mail_html_safe(fx.st, id, m->html, NULL, false, fx.a, &out, &fx.err) == 0);
	CHECK(mail_html_safe_count() == n0 + 1);
	CHECK(out.remote_blocked == 1 && strstr(out.html, "data-remote-src") &&
	      !strstr(out.html, "script") && !strstr(out.html, "onclick"));
	char cid[64];
	snprintf(cid, sizeof(cid), MAIL_HTML_CID_FMT "logo", id);
	CHECK_MSG(strstr(out.html, cid) != NULL, "%s", out.html);
	/* the second view: kept, not sanitised again */
	const char *first = out.html;
	CHECK(mail_html_safe(fx.st, id, m->html, NULL, false, fx.a, &out, &fx.err) == 0);
	CHECK(mail_html_safe_count() == n0 + 1 && strcmp(first, out.html) == 0);
	/* remote images: made once, then kept */
	CHECK(mail_html_safe(fx.st, id, m->html, NULL, true, fx.a, &out, &fx.err) == 0);
	CHECK(out.remote_blocked == 0 && strstr(out.html, "src=\"https://t.example/p.gif\""));
	CHECK(mail_html_safe(fx.st, id, m->html, NULL, true, fx.a, &out, &fx.err) == 0);
	CHECK(mail_html_safe_count() == n0 + 2);
	/* nothing remote: the remote view is the kept blocked variant */
	int64_t id2 = put(&fx, "r2@x", "<p>plain</p>", &m);
	CHECK(mail_html_safe(fx.st, id2, m->html, NULL, false, fx.a, &out, &fx.err) == 0);
	CHECK(mail_html_safe(fx.st, id2, m->html, NULL, true, fx.a, &out, &fx.err) == 0);
	CHECK(mail_html_safe(fx.st, id2, m->html, NULL, true, fx.a, &out, &fx.err) == 0);
	CHECK(mail_html_safe_count() == n0 + 3);
	hfx_close(&fx);
}

static void test_html_safe__capped(void)
{
	struct hfx fx;
	struct message *m;
	struct mail_html_safe out;
	CHECK_MSG(hfx_open(&fx), "%s", fx.err.msg);
	/* a paragraph of 2.5 MiB: sanitised larger than MAIL_HTML_SAFE_MAX */
	size_t n = MAIL_HTML_SAFE_MAX + MAIL_HTML_SAFE_MAX / 4;
	char *big = arena_alloc(fx.a, n + 8);
	memcpy(big, "<p>", 3);
	memset(big + 3, 'a', n);
	memcpy(big + 3 + n, "</p>", 5);
	int64_t id = put(&fx, "big@x", big, &m);
	CHECK(id > 0);
	CHECK(mail_html_safe(fx.st, id, m->html, "a < b & c", false, fx.a, &out, &fx.err) == 0);
	CHECK(strlen(out.html) <= MAIL_HTML_SAFE_MAX);
	CHECK_MSG(strstr(out.html, "too large") && strstr(out.html, "<pre>a &lt; b &amp; c"),
		  "%.300s", out.html);
	CHECK(strcmp(out.html + strlen(out.html) - 6, "</pre>") == 0);
	hfx_close(&fx);
}

void test_html_safe(void)
{
	TEST_STORE_RUN(test_html_safe__once_and_variants);
	TEST_STORE_RUN(test_html_safe__capped);
}
