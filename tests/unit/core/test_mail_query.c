/* Unit tests for core/mail_query.c: the tree printed in prefix form. */
#include "test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/mail_query.h"

static void show(struct buf *b, const struct mq_node *n)
{
	switch (n->kind) {
	case MQ_AND:
	case MQ_OR:
		buf_printf(b, "(%s ", n->kind == MQ_AND ? "and" : "or");
		show(b, n->left);
		buf_putc(b, ' ');
		show(b, n->right);
		buf_putc(b, ')');
		break;
	case MQ_NOT:
		buf_puts(b, "(not ");
		show(b, n->left);
		buf_putc(b, ')');
		break;
	case MQ_TERM:
		buf_printf(b, "%s:%s%s%s", mail_query_field_name(n->field), n->phrase ? "\"" : "",
			   n->value, n->phrase ? "\"" : "");
		break;
	}
}

static void test_mail_query__parse(void)
{
	static const struct {
		const char *q, *tree; /* tree NULL: error, containing the column text */
		const char *error;
	} cases[] = {
	    {"offer", "text:offer", NULL},
	    {"big offer", "(and text:big text:offer)", NULL},
	    {"\"big offer\"", "text:\"big offer\"", NULL},
	    {"from:bob subject:\"q3 plan\"", "(and from:bob subject:\"q3 plan\")", NULL},
	    {"a OR b c", "(or text:a (and text:b text:c))", NULL},
	    {"a AND (b OR c)", "(and text:a (or text:b text:c))", NULL},
	    {"-spam NOT is:read", "(and (not text:spam) (not is:read))", NULL},
	    {"has:attachment filename:report.pdf", "(and has:attachment filename:report.pdf)",
	     NULL},
	    {"in:Sent account:work before:2026-01-01 after:2025-01-01",
	     "(and (and (and in:Sent account:work) before:2026-01-01) after:2025-01-01)", NULL},
	    {"contact:12 deal:3", "(and contact:12 deal:3)", NULL},
	    {"\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82",
	     "text:\xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82", NULL},
	    {"(a", NULL, "missing ')' at column 3"},
	    {"a)", NULL, "unexpected ')' at column 2"},
	    {"\"open", NULL, "unterminated quote at column 1"},
	    {"foo:bar", NULL, "unknown field 'foo' at column 1"},
	    {"before:yesterday", NULL, "expected a date YYYY-MM-DD, or days or weeks ago"},
	    {"after:-30x", NULL, "expected a date YYYY-MM-DD, or days or weeks ago"},
	    {"after:-99999999d", NULL, "at column 1"},
	    {"x after:-", NULL, "at column 3"},
	    {"x is:maybe", NULL, "at column 3"},
	    {"company:\"Casa Verde\" contact:ada", "(and company:\"Casa Verde\" contact:ada)",
	     NULL},
	    {"company:\"\"", NULL, "expected an id or a name at column 1"},
	    {"a OR", NULL, "at column 5"},
	    {"NOT", NULL, "at column 4"},
	    {"from:", NULL, "expected a word at column 6"},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mq_node *root = NULL;
		struct err err = {0};
		int r = mail_query_parse(cases[i].q, a, &root, &err);
		if (cases[i].tree) {
			struct buf b;
			buf_init(&b, a, 4096);
			if (r == 0 && root)
				show(&b, root);
			CHECK_MSG(r == 0 && strcmp(b.data, cases[i].tree) == 0, "case %zu '%s': %s",
				  i, cases[i].q, r == 0 ? b.data : err.msg);
		} else {
			CHECK_MSG(r < 0 && strstr(err.msg, cases[i].error) &&
				      !strcmp(err.field, "q"),
				  "case %zu '%s': %s", i, cases[i].q, r < 0 ? err.msg : "parsed");
		}
	}
	struct mq_node *root = (struct mq_node *)1;
	struct err err;
	CHECK(mail_query_parse("   ", a, &root, &err) == 0 && root == NULL);
	arena_free(&a);
}

/* Relative dates count back from the "now" passed in, never the clock. */
static void test_mail_query__relative_dates(void)
{
	static const int64_t now = 1780000000; /* 2026-05-28T20:26:40Z */
	static const struct {
		const char *q;
		int64_t want;
	} cases[] = {
	    {"after:-30d", now - 30 * 86400},
	    {"before:-7d", now - 7 * 86400},
	    {"after:-2w", now - 14 * 86400},
	    {"after:-0d", now},
	    {"after:-2W", now - 14 * 86400},
	    {"after:today", 1779926400}, /* 2026-05-28T00:00:00Z */
	    {"before:2026-01-01", 1767225600},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct mq_node *root = NULL;
		struct err err = {0};
		int r = mail_query_parse_at(cases[i].q, now, a, &root, &err);
		CHECK_MSG(r == 0 && root && root->kind == MQ_TERM && root->number == cases[i].want,
			  "case %zu '%s': %s %lld", i, cases[i].q, r == 0 ? "got" : err.msg,
			  root ? (long long)root->number : 0LL);
	}
	arena_free(&a);
}

/* Record fields take an id or a name: the name's number is 0. */
static void test_mail_query__record_names(void)
{
	struct arena *a = arena_new();
	struct mq_node *root = NULL;
	struct err err = {0};
	CHECK(mail_query_parse_at("company:12", 0, a, &root, &err) == 0 && root->number == 12 &&
	      root->field == MQ_COMPANY);
	CHECK(mail_query_parse_at("company:\"Casa Verde\"", 0, a, &root, &err) == 0 &&
	      root->number == 0 && root->phrase && strcmp(root->value, "Casa Verde") == 0);
	CHECK(mail_query_parse_at("contact:\"Ada Lovelace\"", 0, a, &root, &err) == 0 &&
	      root->field == MQ_CONTACT && root->number == 0);
	/* digits only are an id, as written: never taken for a name */
	CHECK(mail_query_parse_at("contact:007", 0, a, &root, &err) < 0);
	CHECK(mail_query_parse_at("deal:0", 0, a, &root, &err) < 0);
	CHECK(mail_query_parse_at("company:99999999999999999999", 0, a, &root, &err) < 0);
	CHECK(mail_query_parse_at("company:\"007 Agency\"", 0, a, &root, &err) == 0 &&
	      root->number == 0);
	arena_free(&a);
}

void test_mail_query(void)
{
	TEST_RUN(test_mail_query__parse);
	TEST_RUN(test_mail_query__relative_dates);
	TEST_RUN(test_mail_query__record_names);
}
