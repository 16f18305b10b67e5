/* Unit tests for mail/mime/mime_reply.c (run in the mime_build suite): reply
   and forward subjects, quoting, References chains, and a whole reply built
   and parsed back. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "mail/mime/mime_build.h"
#include "mail/mime/mime_parse.h"
#include "base/banned.h"

/* Parses a message written with LF line ends; NULL (and a failed check) if it does not. */
static struct message *parse(struct arena *a, const char *raw)
{
	struct err err = {0};
	struct message *m = NULL;
	CHECK_MSG(mime_parse(SLICE_STR(raw), a, &m, &err) == 0, "%s", err.msg);
	return m;
}

static void test_mime_reply__subject(void)
{
	static const struct {
		const char *in;
		bool forward;
		const char *want;
	} cases[] = {
	    {"Hello", false, "Re: Hello"},
	    {"Re: Hello", false, "Re: Hello"},
	    {"RE: Re: re: Hello", false, "Re: Hello"},
	    {"Re[2]: Hello", false, "Re: Hello"},
	    {"Re(3): Re : Hello", false, "Re: Hello"},
	    {"  Re:Hello  ", false, "Re: Hello"},
	    {"Fwd: Hello", false, "Re: Fwd: Hello"},
	    {"Re: Fwd: Re: Hello", false, "Re: Fwd: Re: Hello"},
	    {"AW: Hello", false, "Re: AW: Hello"},
	    {"Rejected offer", false, "Re: Rejected offer"},
	    {"Re[x]: y", false, "Re: Re[x]: y"},
	    {"Привет", false, "Re: Привет"},
	    {"Re:", false, "Re:"},
	    {"", false, "Re:"},
	    {NULL, false, "Re:"},
	    {"Hello", true, "Fwd: Hello"},
	    {"Fwd: Fw: FWD: fw : Hello", true, "Fwd: Hello"},
	    {"Re: Hello", true, "Fwd: Re: Hello"},
	    {"Fwdx: y", true, "Fwd: Fwdx: y"},
	    {NULL, true, "Fwd:"},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *got = mime_reply_subject(a, cases[i].in, cases[i].forward);
		CHECK_MSG(strcmp(got, cases[i].want) == 0, "case %zu: \"%s\" != \"%s\"", i, got,
			  cases[i].want);
	}
	arena_free(&a);
}

static void test_mime_reply__references(void)
{
	static const struct {
		const char *headers;
		int rc;
		const char *want; /* space-separated */
	} cases[] = {
	    {"Message-ID: <p@x>\nReferences: <a@x> <b@x>\nIn-Reply-To: <b@x>\n", 0, "a@x b@x p@x"},
	    {"Message-ID: <p@x>\nIn-Reply-To: <b@x>\n", 0, "b@x p@x"},
	    {"Message-ID: <p@x>\n", 0, "p@x"},
	    {"References: <a@x>\n", -1, "a@x"},
	    {"Message-ID: <p@x>\nReferences: <a@x> <b@x> <a@x> <p@x> <c@x>\n", 0,
	     "a@x b@x c@x p@x"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct arena *a = arena_new();
		struct message *m = parse(
		    a, arena_printf(a, "From: a@x\nDate: Tue, 24 Nov 2026 10:44:54 +0000\n%s\nhi\n",
				    cases[i].headers));
		const char **refs = NULL;
		size_t n = 0;
		if (m) {
			CHECK_INT(mime_reply_references(a, m, &refs, &n), cases[i].rc);
			struct buf b;
			buf_init(&b, a, 4096);
			for (size_t k = 0; k < n; k++)
				buf_printf(&b, "%s%s", k ? " " : "", refs[k]);
			CHECK_MSG(strcmp(b.data, cases[i].want) == 0, "case %zu: \"%s\" != \"%s\"",
				  i, b.data, cases[i].want);
		}
		arena_free(&a);
	}
}

/* A long chain keeps its root and the newest ids, the parent last. */
static void test_mime_reply__references_cap(void)
{
	struct arena *a = arena_new();
	struct buf b;
	buf_init(&b, a, 1 << 20);
	buf_puts(&b, "From: a@x\nMessage-ID: <p@x>\nReferences:");
	for (int i = 0; i < 60; i++)
		buf_printf(&b, " <r%d@x>", i);
	buf_puts(&b, "\n\nhi\n");
	struct message *m = parse(a, b.data);
	const char **refs = NULL;
	size_t n = 0;
	if (m) {
		CHECK_INT(m->nreferences, 60);
		CHECK_INT(mime_reply_references(a, m, &refs, &n), 0);
		CHECK_INT(n, MIME_REPLY_MAX_REFERENCES);
		CHECK_STR(refs[0], "r0@x");
		CHECK_STR(refs[1], "r12@x");
		CHECK_STR(refs[n - 2], "r59@x");
		CHECK_STR(refs[n - 1], "p@x");
	}
	arena_free(&a);
}

static const char parent_raw[] =
    "From: =?UTF-8?B?0JjQstCw0L0g0J/QtdGC0YDQvtCy?= <ivan@example.com>\n"
    "To: anna@parley.example\n"
    "Subject: =?UTF-8?B?0KHRh9GR0YI=?= 5\n"
    "Date: Tue, 24 Nov 2026 10:44:54 +0000\n"
    "Message-ID: <parent.1@example.com>\n"
    "References: <root.0@parley.example>\n"
    "MIME-Version: 1.0\n"
    "Content-Type: text/plain; charset=utf-8\n"
    "\n"
    "Hello & <welcome>\n"
    "\n"
    "> earlier\n"
    "Bye\n";

static void test_mime_reply__quote(void)
{
	struct arena *a = arena_new();
	struct message *p = parse(a, parent_raw);
	if (!p)
		goto out;
	const char *attr =
	    "On Tue, 24 Nov 2026 at 10:44 UTC, Иван Петров <ivan@example.com> wrote:";
	CHECK_STR(mime_quote_text(a, p),
		  arena_printf(a, "%s\n> Hello & <welcome>\n>\n>> earlier\n> Bye\n", attr));
	CHECK_STR(mime_quote_html(a, p, "<p>Hello</p>"),
		  arena_printf(a, "<div>On Tue, 24 Nov 2026 at 10:44 UTC, Иван Петров "
				  "&lt;ivan@example.com&gt; wrote:</div>\n"
				  "<blockquote type=\"cite\">\n<p>Hello</p>\n</blockquote>\n"));
	char *h = mime_quote_html(a, p, NULL);
	CHECK(strstr(h, "Hello &amp; &lt;welcome&gt;<br>\n<br>\n&gt; earlier<br>\nBye") != NULL);

	struct message *bare = parse(a, "From: \"A <b> & 'c'\" <a@x>\n\nline\n");
	if (bare) {
		CHECK_STR(mime_quote_text(a, bare), "A <b> & 'c' <a@x> wrote:\n> line\n");
		h = mime_quote_html(a, bare, NULL);
		CHECK(strstr(h, "<div>A &lt;b&gt; &amp; &#39;c&#39; &lt;a@x&gt; wrote:</div>"));
	}
	struct message *none = parse(a, "Subject: x\n\n");
	if (none)
		CHECK_STR(mime_quote_text(a, none), "an unknown sender wrote:\n");
out:
	arena_free(&a);
}

/* A reply made with the helpers, built and parsed back. */
static void test_mime_reply__roundtrip(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct message *p = parse(a, parent_raw), *r = NULL;
	const char **refs = NULL;
	size_t n = 0, len = 0;
	char *raw = NULL;
	if (!p)
		goto out;
	CHECK_INT(mime_reply_references(a, p, &refs, &n), 0);
	const char *to[] = {
	    arena_printf(a, "%s <%s>", p->from.items[0].name, p->from.items[0].address)};
	struct mime_draft d = {
	    .from_name = "Anna",
	    .from_addr = "anna@parley.example",
	    .to = to,
	    .nto = 1,
	    .subject = mime_reply_subject(a, p->subject, false),
	    .text = arena_printf(a, "Thanks!\n\n%s", mime_quote_text(a, p)),
	    .html = arena_printf(a, "<p>Thanks!</p>\n%s", mime_quote_html(a, p, NULL)),
	    .message_id = "parley.d7.feed@parley.example",
	    .in_reply_to = p->message_id,
	    .references = refs,
	    .nreferences = n,
	    .date = 1795000000,
	};
	CHECK_INT(mime_build(&d, a, &raw, &len, &err), 0);
	CHECK(raw && strstr(raw, "In-Reply-To: <parent.1@example.com>\r\n"));
	CHECK(raw && strstr(raw, "References: <root.0@parley.example> <parent.1@example.com>\r\n"));
	if (raw && mime_parse((struct slice){raw, len}, a, &r, &err) == 0) {
		CHECK_STR(r->subject, "Re: Счёт 5");
		CHECK_STR(r->in_reply_to, "parent.1@example.com");
		CHECK_INT(r->nreferences, 2);
		CHECK_STR(r->references[0], "root.0@parley.example");
		CHECK_STR(r->references[1], "parent.1@example.com");
		CHECK_STR(r->text, d.text);
		CHECK_STR(r->html, d.html);
		CHECK_STR(r->to.items[0].name, "Иван Петров");
	}
out:
	arena_free(&a);
}

void test_mime_reply(void)
{
	TEST_RUN(test_mime_reply__subject);
	TEST_RUN(test_mime_reply__references);
	TEST_RUN(test_mime_reply__references_cap);
	TEST_RUN(test_mime_reply__quote);
	TEST_RUN(test_mime_reply__roundtrip);
}
