/* Unit tests for mail/mime/mime_build.c and mime_reply.c: every message shape
   is built and parsed back with mime_parse(); header injection, address
   checks and limits are tables of drafts that must fail on a named field. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "test.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "mail/mime/mime_build.h"
#include "mail/mime/mime_parse.h"
#include "base/banned.h"

static const char *const bob[] = {"Bob <bob@example.com>"};

static struct mime_draft base_draft(void)
{
	return (struct mime_draft){
	    .from_addr = "anna@parley.example",
	    .to = bob,
	    .nto = 1,
	    .subject = "Hello",
	    .text = "Hi Bob\n",
	    .message_id = "parley.d7.0123abcd@parley.example",
	    .date = 1795000000, /* Wed, 18 Nov 2026 11:06:40 +0000 */
	};
}

/* Every line ends in CRLF and holds at most 998 characters before it. */
static void check_lines(const char *raw, size_t len)
{
	size_t start = 0, bad_ends = 0, longest = 0;
	for (size_t i = 0; i < len; i++) {
		if (raw[i] == '\r' && (i + 1 == len || raw[i + 1] != '\n'))
			bad_ends++;
		if (raw[i] != '\n')
			continue;
		if (i == 0 || raw[i - 1] != '\r')
			bad_ends++;
		if (i - start > longest)
			longest = i - start;
		start = i + 1;
	}
	CHECK_INT(bad_ends, 0);
	CHECK_MSG(longest <= 999, "a line of %zu characters", longest - 1);
	CHECK(len >= 2 && raw[len - 2] == '\r' && raw[len - 1] == '\n');
}

/* Builds d, checks the lines, parses the result back (not malformed). */
static struct message *build_parse(struct arena *a, const struct mime_draft *d, char **raw_r)
{
	struct err err = {0};
	struct message *m = NULL;
	char *raw = NULL;
	size_t len = 0;
	if (!CHECK_MSG(mime_build(d, a, &raw, &len, &err) == 0, "mime_build: %s: %s", err.field,
		       err.msg))
		return NULL;
	CHECK_INT(strlen(raw), len);
	check_lines(raw, len);
	if (!CHECK_MSG(mime_parse((struct slice){raw, len}, a, &m, &err) == 0, "%s", err.msg))
		return NULL;
	for (size_t i = 0; i < m->nproblems; i++)
		CHECK_MSG(false, "parse problem: %s", m->problems[i]);
	if (raw_r)
		*raw_r = raw;
	return m;
}

static void test_mime_build__headers(void)
{
	struct arena *a = arena_new();
	const char *to[] = {"\"Smith, John \\\"JJ\\\"\" <john@example.com>",
			    "Иван Петров <ivan@пример.рф>", "plain@example.org"};
	const char *cc[] = {"Zoë Ærøskøbing <zoe@example.dk>"};
	const char *bcc[] = {"Secret <secret@hidden.example>"};
	const char *extra[] = {"List-Unsubscribe: <mailto:unsub@parley.example?subject=u>",
			       "Auto-Submitted: auto-generated", "X-Parley-Deal: 7"};
	struct mime_draft d = base_draft();
	d.from_name = "Анна «Parley» Смирнова";
	d.to = to, d.nto = 3, d.cc = cc, d.ncc = 1, d.bcc = bcc, d.nbcc = 1;
	d.subject = "Счёт №5 за ноябрь — a rather long subject that GMime has to fold for us";
	d.extra_headers = extra, d.nextra = 3;
	char *raw = NULL;
	struct message *m = build_parse(a, &d, &raw);
	if (!m)
		goto out;
	CHECK_STR(m->subject, d.subject);
	CHECK_STR(m->message_id, d.message_id);
	CHECK(m->has_date && m->date == d.date);
	CHECK(strstr(raw, "Date: Wed, 18 Nov 2026 11:06:40 +0000\r\n") != NULL);
	CHECK(strstr(raw, "\r\nMIME-Version: 1.0\r\n") != NULL);
	CHECK(strstr(raw, "Message-Id: <parley.d7.0123abcd@parley.example>\r\n") != NULL);
	CHECK(strstr(raw, "=?UTF-8?") != NULL && !strstr(raw, "Иван"));
	CHECK(strstr(raw, "<ivan@xn--e1afmkfd.xn--p1ai>") != NULL);
	CHECK_INT(m->from.len, 1);
	CHECK_STR(m->from.items[0].name, d.from_name);
	CHECK_STR(m->from.items[0].address, "anna@parley.example");
	CHECK_INT(m->to.len, 3);
	if (m->to.len == 3) {
		CHECK_STR(m->to.items[0].name, "Smith, John \"JJ\"");
		CHECK_STR(m->to.items[1].name, "Иван Петров");
		CHECK_STR(m->to.items[1].address, "ivan@пример.рф"); /* GMime decodes IDNA */
		CHECK(m->to.items[2].name == NULL);
		CHECK_STR(m->to.items[2].address, "plain@example.org");
	}
	CHECK_INT(m->cc.len, 1);
	CHECK_STR(m->cc.items[0].name, "Zoë Ærøskøbing");
	CHECK_INT(m->bcc.len, 0);
	CHECK(message_header(m, "Bcc") == NULL && !strstr(raw, "secret") && !strstr(raw, "Secret"));
	CHECK_STR(message_header(m, "List-Unsubscribe"), "<mailto:unsub@parley.example?subject=u>");
	CHECK_STR(message_header(m, "Auto-Submitted"), "auto-generated");
	CHECK_STR(message_header(m, "X-Parley-Deal"), "7");
	CHECK_STR(m->text, "Hi Bob\n");
out:
	arena_free(&a);
}

static void test_mime_build__bodies(void)
{
	static const struct {
		const char *text, *html, *want_text, *want_html, *type;
	} cases[] = {
	    {"Hi\nthere\n", NULL, "Hi\nthere\n", NULL, "Content-Type: text/plain; charset=utf-8"},
	    {"crlf\r\nlines\r\n", NULL, "crlf\nlines\n", NULL, "text/plain"},
	    {"Привет, мир!\nЭто письмо.\n", NULL, "Привет, мир!\nЭто письмо.\n", NULL,
	     "Content-Transfer-Encoding: base64"},
	    {"Mostly ASCII text with one café in it.\n", NULL,
	     "Mostly ASCII text with one café in it.\n", NULL,
	     "Content-Transfer-Encoding: quoted-printable"},
	    {NULL, "<p>Hi <b>there</b></p>\n", NULL, "<p>Hi <b>there</b></p>\n",
	     "Content-Type: text/html; charset=utf-8"},
	    {"Hi\n", "<p>Hi</p>\n", "Hi\n", "<p>Hi</p>\n", "Content-Type: multipart/alternative"},
	    {"", NULL, NULL, NULL, "text/plain"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct mime_draft d = base_draft();
		d.text = cases[i].text;
		d.html = cases[i].html;
		char *raw = NULL;
		struct message *m = build_parse(a, &d, &raw);
		if (m) {
			CHECK_MSG(strstr(raw, cases[i].type) != NULL, "case %zu: no %s", i,
				  cases[i].type);
			if (cases[i].want_text)
				CHECK_MSG(m->text && strcmp(m->text, cases[i].want_text) == 0,
					  "case %zu: text \"%s\"", i, m->text);
			if (cases[i].want_html)
				CHECK_MSG(m->html && strcmp(m->html, cases[i].want_html) == 0,
					  "case %zu: html \"%s\"", i, m->html);
			CHECK_MSG(cases[i].html || !m->html, "case %zu: html", i);
			CHECK_INT(m->nattachments, 0);
		}
		arena_free(&a);
	}
}

/* Lines longer than 998 characters are encoded, and come back whole. */
static void test_mime_build__long_lines(void)
{
	struct arena *a = arena_new();
	char *line = arena_alloc(a, 5002);
	memset(line, 'x', 5000);
	line[5000] = '\n';
	struct mime_draft d = base_draft();
	d.text = line;
	d.html = arena_printf(a, "<p>%.3000s</p>", line);
	struct message *m = build_parse(a, &d, NULL);
	if (m) {
		CHECK_STR(m->text, line);
		CHECK_STR(m->html, d.html);
	}
	arena_free(&a);
}

static void sha256_hex(const void *p, size_t n, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, n);
	sodium_bin2hex(out, 65, h, sizeof(h));
}

static void test_mime_build__attachments(void)
{
	struct arena *a = arena_new();
	size_t nbin = 300 * 1024;
	unsigned char *bin = arena_alloc(a, nbin);
	for (size_t i = 0; i < nbin; i++)
		bin[i] = (unsigned char)(i * 7 + i / 256);
	struct mime_attachment_in att[] = {
	    {.filename = "Счёт №5 — очень длинное имя файла, чтобы проверить RFC 2231.pdf",
	     .content_type = "application/pdf",
	     .data = bin,
	     .len = nbin},
	    {.filename = "notes.txt", .content_type = "text/plain; charset=utf-8", .data = "a\nb"},
	    {.filename = "empty.bin", .data = NULL, .len = 0},
	};
	att[1].len = 3;
	struct mime_draft d = base_draft();
	d.attachments = att, d.nattachments = 3;
	char *raw = NULL;
	struct message *m = build_parse(a, &d, &raw);
	if (!m)
		goto out;
	CHECK(strstr(raw, "Content-Type: multipart/mixed") != NULL);
	CHECK(strstr(raw, "filename*0*=UTF-8''") != NULL || strstr(raw, "filename*=UTF-8''"));
	CHECK_STR(m->text, "Hi Bob\n");
	CHECK_INT(m->nattachments, 3);
	const char *types[] = {"application/pdf", "text/plain", "application/octet-stream"};
	for (size_t i = 0; i < 3 && i < m->nattachments; i++) {
		char want[65];
		sha256_hex(att[i].data, att[i].len, want);
		CHECK_STR(m->attachments[i].filename, att[i].filename);
		CHECK_STR(m->attachments[i].content_type, types[i]);
		CHECK_STR(m->attachments[i].sha256, want);
		CHECK_INT(m->attachments[i].size, att[i].len);
		CHECK_INT(m->attachments[i].disposition, ATTACHMENT_ATTACHMENT);
	}
	/* attachments only, no text or html */
	d.text = NULL;
	d.nattachments = 1;
	m = build_parse(a, &d, NULL);
	CHECK(m && m->nattachments == 1 && !m->text && !m->html);
out:
	arena_free(&a);
}

static void test_mime_build__inline_related(void)
{
	struct arena *a = arena_new();
	static const unsigned char png[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0};
	struct mime_attachment_in att[] = {
	    {.filename = "logo.png",
	     .content_type = "image/png",
	     .data = png,
	     .len = sizeof(png),
	     .content_id = "logo.1@parley.example",
	     .inline_ = true},
	    {.filename = "terms.pdf", .content_type = "application/pdf", .data = "%PDF", .len = 4},
	};
	struct mime_draft d = base_draft();
	d.html = "<p>Hi <img src=\"cid:logo.1@parley.example\"></p>\n";
	d.attachments = att, d.nattachments = 2;
	char *raw = NULL;
	struct message *m = build_parse(a, &d, &raw);
	if (!m)
		goto out;
	const char *mixed = strstr(raw, "multipart/mixed"),
		   *alt = strstr(raw, "multipart/alternative");
	const char *rel = strstr(raw, "multipart/related");
	CHECK(mixed && alt && rel && mixed < alt && alt < rel);
	CHECK(strstr(raw, "type=\"text/html\"") != NULL);
	CHECK(strstr(raw, "Content-Id: <logo.1@parley.example>") != NULL);
	CHECK_STR(m->html, d.html);
	CHECK_STR(m->text, d.text);
	CHECK_INT(m->nattachments, 2);
	if (m->nattachments == 2) {
		CHECK_STR(m->attachments[0].content_id, "logo.1@parley.example");
		CHECK_INT(m->attachments[0].disposition, ATTACHMENT_INLINE);
		CHECK_INT(m->attachments[0].size, sizeof(png));
		CHECK_STR(m->attachments[1].filename, "terms.pdf");
	}
	/* without HTML there is nothing to relate to: a plain attachment */
	d.html = NULL;
	m = build_parse(a, &d, &raw);
	CHECK(m && !strstr(raw, "multipart/related") && m->nattachments == 2);
out:
	arena_free(&a);
}

static void test_mime_build__recipients(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	const char *to[] = {"John <John@Example.COM>", "ivan@ПРИМЕР.рф"};
	const char *cc[] = {"John@example.com", "c@example.com"};
	const char *bcc[] = {"\"Hidden\" <hidden@Example.net>", "c@EXAMPLE.com"};
	struct mime_draft d = base_draft();
	d.to = to, d.nto = 2, d.cc = cc, d.ncc = 2, d.bcc = bcc, d.nbcc = 2;
	const char **r = NULL;
	size_t n = 0;
	CHECK_INT(mime_draft_recipients(&d, a, &r, &n, &err), 0);
	const char *want[] = {"John@example.com", "ivan@xn--e1afmkfd.xn--p1ai", "c@example.com",
			      "hidden@example.net"};
	CHECK_INT(n, 4);
	for (size_t i = 0; i < n && i < 4; i++)
		CHECK_MSG(strcmp(r[i], want[i]) == 0, "%zu: %s != %s", i, r[i], want[i]);
	char *raw = NULL;
	size_t len;
	CHECK_INT(mime_build(&d, a, &raw, &len, &err), 0);
	CHECK(raw && !strstr(raw, "hidden") && !strstr(raw, "Hidden") && !strstr(raw, "Bcc"));

	/* bcc only: the headers name no recipient, the envelope has it */
	d.to = NULL, d.nto = 0, d.cc = NULL, d.ncc = 0, d.nbcc = 1;
	CHECK_INT(mime_build(&d, a, &raw, &len, &err), 0);
	CHECK(raw && !strstr(raw, "hidden") && !strstr(raw, "\r\nTo:"));
	CHECK_INT(mime_draft_recipients(&d, a, &r, &n, &err), 0);
	CHECK(n == 1 && strcmp(r[0], "hidden@example.net") == 0);

	d.nbcc = 0;
	err_clear(&err);
	CHECK_INT(mime_draft_recipients(&d, a, &r, &n, &err), -1);
	CHECK(err.code == ERR_INVALID && strcmp(err.field, "to") == 0);
	arena_free(&a);
}

enum field {
	F_SUBJECT,
	F_FROM_NAME,
	F_FROM_ADDR,
	F_TO,
	F_CC,
	F_BCC,
	F_FILENAME,
	F_CTYPE,
	F_CID,
	F_EXTRA,
	F_MSGID,
	F_IRT,
	F_REF,
};

/* Sets one field of d to v; to, cc, bcc and references get v as their second entry. */
static void set_field(struct arena *a, struct mime_draft *d, enum field f, const char *v)
{
	const char **two = arena_alloc(a, 2 * sizeof(*two));
	struct mime_attachment_in *at = arena_alloc(a, sizeof(*at));
	two[0] = f == F_REF ? "ok@example.com" : "Ok <ok@example.com>";
	two[1] = v;
	at->filename = "f.txt";
	at->data = "x";
	at->len = 1;
	switch (f) {
	case F_SUBJECT:
		d->subject = v;
		break;
	case F_FROM_NAME:
		d->from_name = v;
		break;
	case F_FROM_ADDR:
		d->from_addr = v;
		break;
	case F_TO:
		d->to = two, d->nto = 2;
		break;
	case F_CC:
		d->cc = two, d->ncc = 2;
		break;
	case F_BCC:
		d->bcc = two, d->nbcc = 2;
		break;
	case F_FILENAME:
		at->filename = v;
		break;
	case F_CTYPE:
		at->content_type = v;
		break;
	case F_CID:
		at->content_id = v;
		break;
	case F_EXTRA:
		d->extra_headers = two + 1, d->nextra = 1;
		break;
	case F_MSGID:
		d->message_id = v;
		break;
	case F_IRT:
		d->in_reply_to = v;
		break;
	case F_REF:
		d->references = two, d->nreferences = 2;
		break;
	}
	if (f == F_FILENAME || f == F_CTYPE || f == F_CID)
		d->attachments = at, d->nattachments = 1;
}

static void test_mime_build__injection(void)
{
	static const struct {
		enum field f;
		const char *v, *field;
	} cases[] = {
	    {F_SUBJECT, "a\r\nBcc: x@evil.example", "subject"},
	    {F_SUBJECT, "a\nBcc: x@evil.example", "subject"},
	    {F_SUBJECT, "a\rb", "subject"},
	    {F_SUBJECT, "bell\x07", "subject"},
	    {F_SUBJECT, "bad \xff utf-8", "subject"},
	    {F_FROM_NAME, "Anna\r\nBcc: x@evil.example", "from_name"},
	    {F_FROM_ADDR, "anna@parley.example\r\nBcc: x@evil.example", "from_addr"},
	    {F_TO, "Eve\r\nBcc: x@evil.example <eve@example.com>", "to[1]"},
	    {F_TO, "eve@example.com\nBcc: x@evil.example", "to[1]"},
	    {F_CC, "eve@example.com\r", "cc[1]"},
	    {F_BCC, "\r\neve@example.com", "bcc[1]"},
	    {F_FILENAME, "a.txt\r\nContent-Type: text/html", "attachments[0].filename"},
	    {F_FILENAME, "a.txt\n", "attachments[0].filename"},
	    {F_CTYPE, "text/plain\r\nX-Evil: 1", "attachments[0].content_type"},
	    {F_CID, "logo@x\r\nX-Evil: 1", "attachments[0].content_id"},
	    {F_EXTRA, "X-Test: a\r\nBcc: x@evil.example", "extra_headers[0]"},
	    {F_EXTRA, "X-Test: a\nb", "extra_headers[0]"},
	    {F_EXTRA, "X-Evil\r\n: a", "extra_headers[0]"},
	    {F_MSGID, "id@x>\r\nBcc: <x@evil.example", "message_id"},
	    {F_IRT, "id@x\r\nBcc: x@evil.example", "in_reply_to"},
	    {F_REF, "id@x\nBcc: x@evil.example", "references[1]"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct err err = {0};
		struct mime_draft d = base_draft();
		char *raw = NULL;
		size_t len = 0;
		set_field(a, &d, cases[i].f, cases[i].v);
		CHECK_MSG(mime_build(&d, a, &raw, &len, &err) == -1, "case %zu built", i);
		CHECK_MSG(err.code == ERR_INVALID, "case %zu: code %d", i, err.code);
		CHECK_MSG(strcmp(err.field, cases[i].field) == 0, "case %zu: field '%s' != '%s'", i,
			  err.field, cases[i].field);
		CHECK_MSG(strstr(err.msg, cases[i].field) != NULL, "case %zu: msg '%s'", i,
			  err.msg);
		CHECK(raw == NULL);
		arena_free(&a);
	}
}

static void test_mime_build__invalid(void)
{
	static const struct {
		enum field f;
		const char *v, *field; /* field NULL: the draft is fine */
	} cases[] = {
	    {F_TO, "not an address", "to[1]"},
	    {F_TO, "a@", "to[1]"},
	    {F_TO, "@example.com", "to[1]"},
	    {F_TO, "a b@example.com", "to[1]"},
	    {F_TO, ".a@example.com", "to[1]"},
	    {F_TO, "a..b@example.com", "to[1]"},
	    {F_TO, "a@example..com", "to[1]"},
	    {F_TO, "a@-example.com", "to[1]"},
	    {F_TO, "a@example.com.", "to[1]"},
	    {F_TO, "a@[192.0.2.1]", "to[1]"},
	    {F_TO, "Name <>", "to[1]"},
	    {F_TO, "Name <a@b", "to[1]"},
	    {F_TO, "", "to[1]"},
	    {F_TO, NULL, "to[1]"},
	    {F_TO, "Ünïcödé@example.com", "to[1]"},
	    {F_FROM_ADDR, "Anna <anna@parley.example>", "from_addr"},
	    {F_FROM_ADDR, NULL, "from_addr"},
	    {F_MSGID, NULL, "message_id"},
	    {F_MSGID, "<a@b>", "message_id"},
	    {F_MSGID, "a b@c", "message_id"},
	    {F_CTYPE, "pdf", "attachments[0].content_type"},
	    {F_CTYPE, "multipart/mixed", "attachments[0].content_type"},
	    {F_CTYPE, "message/rfc822", "attachments[0].content_type"},
	    {F_CID, "<x@y>", "attachments[0].content_id"},
	    {F_EXTRA, "Bcc: x@evil.example", "extra_headers[0]"},
	    {F_EXTRA, "bcc: x@evil.example", "extra_headers[0]"},
	    {F_EXTRA, "Content-Type: text/html", "extra_headers[0]"},
	    {F_EXTRA, "Message-ID: <x@y>", "extra_headers[0]"},
	    {F_EXTRA, "No colon here", "extra_headers[0]"},
	    {F_EXTRA, "Bad Name: x", "extra_headers[0]"},
	    {F_EXTRA, ": empty name", "extra_headers[0]"},
	    {F_TO, "a.b+tag@sub.example.com", NULL},
	    {F_TO, "\"Q, Name\" <x@y.example>", NULL},
	    {F_TO, "<x@y.example>", NULL},
	    {F_TO, "x@localhost", NULL},
	    {F_TO, "o'brien@example.ie", NULL},
	    {F_SUBJECT, "tab\tis fine", NULL},
	    {F_CTYPE, "text/csv; charset=utf-8", NULL},
	    {F_EXTRA, "Reply-To: Sales <sales@parley.example>", NULL},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct err err = {0};
		struct mime_draft d = base_draft();
		char *raw = NULL;
		size_t len = 0;
		set_field(a, &d, cases[i].f, cases[i].v);
		int rc = mime_build(&d, a, &raw, &len, &err);
		if (!cases[i].field) {
			CHECK_MSG(rc == 0, "case %zu: %s", i, err.msg);
		} else {
			CHECK_MSG(rc == -1 && err.code == ERR_INVALID, "case %zu: %d", i, rc);
			CHECK_MSG(strcmp(err.field, cases[i].field) == 0,
				  "case %zu: field '%s' != '%s'", i, err.field, cases[i].field);
		}
		arena_free(&a);
	}
}

static void check_fails(const struct mime_draft *d, enum err_code code, const char *field)
{
	struct arena *a = arena_new();
	struct err err = {0};
	char *raw = NULL;
	size_t len;
	CHECK_INT(mime_build(d, a, &raw, &len, &err), -1);
	CHECK_INT(err.code, code);
	CHECK_MSG(strcmp(err.field, field) == 0, "field '%s' != '%s' (%s)", err.field, field,
		  err.msg);
	arena_free(&a);
}

static void test_mime_build__limits(void)
{
	struct mime_draft d = base_draft();
	d.to = NULL, d.nto = 0;
	check_fails(&d, ERR_INVALID, "to");
	d = base_draft();
	d.text = NULL;
	check_fails(&d, ERR_INVALID, "text");
	d.text = "bad \xc3 utf-8";
	check_fails(&d, ERR_INVALID, "text");

	static struct mime_attachment_in many[MIME_BUILD_MAX_ATTACHMENTS + 1];
	for (size_t i = 0; i < MIME_BUILD_MAX_ATTACHMENTS + 1; i++)
		many[i] = (struct mime_attachment_in){.filename = "a.txt", .data = "a", .len = 1};
	d = base_draft();
	d.attachments = many, d.nattachments = MIME_BUILD_MAX_ATTACHMENTS + 1;
	check_fails(&d, ERR_TOOBIG, "attachments");

	/* the sizes are checked before anything is read */
	static const char byte = 'x';
	struct mime_attachment_in big[] = {
	    {.filename = "a.bin", .data = &byte, .len = MIME_BUILD_MAX_SIZE / 2},
	    {.filename = "b.bin", .data = &byte, .len = MIME_BUILD_MAX_SIZE / 2},
	    {.filename = "c.bin", .data = &byte, .len = SIZE_MAX},
	};
	d.attachments = big, d.nattachments = 2;
	check_fails(&d, ERR_TOOBIG, "attachments");
	d.attachments = big + 2, d.nattachments = 1;
	check_fails(&d, ERR_TOOBIG, "attachments");

	static const char *rcpt[MIME_BUILD_MAX_RECIPIENTS + 1];
	for (size_t i = 0; i < MIME_BUILD_MAX_RECIPIENTS + 1; i++)
		rcpt[i] = "a@example.com";
	d = base_draft();
	d.to = rcpt, d.nto = MIME_BUILD_MAX_RECIPIENTS;
	d.cc = rcpt, d.ncc = 1;
	check_fails(&d, ERR_TOOBIG, "to");
	d.nto = MIME_BUILD_MAX_RECIPIENTS - 1; /* at the limit: fine */
	struct arena *a = arena_new();
	struct err err = {0};
	char *raw;
	size_t len;
	CHECK_INT(mime_build(&d, a, &raw, &len, &err), 0);
	arena_free(&a);
}

void test_mime_reply(void);

void test_mime_build(void)
{
	static bool registered;
	if (!registered) /* GMime's global state goes at exit, so LSan sees none */
		atexit(mime_shutdown);
	registered = true;
	TEST_RUN(test_mime_build__headers);
	TEST_RUN(test_mime_build__bodies);
	TEST_RUN(test_mime_build__long_lines);
	TEST_RUN(test_mime_build__attachments);
	TEST_RUN(test_mime_build__inline_related);
	TEST_RUN(test_mime_build__recipients);
	TEST_RUN(test_mime_build__injection);
	TEST_RUN(test_mime_build__invalid);
	TEST_RUN(test_mime_build__limits);
	test_mime_reply();
}
