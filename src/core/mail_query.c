/* A recursive-descent parser for the mail search language:
 *   query   := or
 *   or      := and ("OR" and)*
 *   and     := unary (["AND"] unary)*
 *   unary   := ("NOT" | "-") unary | primary
 *   primary := "(" or ")" | [field ":"] (word | "phrase")
 * Juxtaposition means AND. Columns in errors count from 1. */
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "base/time.h"
#include "core/mail_query.h"
#include "base/banned.h"

/*
 * The fields of the language. To add one: an enum value in mail_query.h, a
 * line here, and its SQL in store/store_mail_search.c.
 */
static const struct {
	const char *name;
	enum mq_field field;
} fields[] = {
    {"from", MQ_FROM},	     {"to", MQ_TO},	  {"cc", MQ_CC},
    {"subject", MQ_SUBJECT}, {"has", MQ_HAS},	  {"filename", MQ_FILENAME},
    {"is", MQ_IS},	     {"in", MQ_IN},	  {"account", MQ_ACCOUNT},
    {"before", MQ_BEFORE},   {"after", MQ_AFTER}, {"contact", MQ_CONTACT},
    {"company", MQ_COMPANY}, {"deal", MQ_DEAL},
};

struct parser {
	const char *start, *p;
	struct arena *a;
	struct err *err;
	int terms, depth;
};

const char *mail_query_field_name(enum mq_field f)
{
	for (size_t i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].field == f)
			return fields[i].name;
	return "text";
}

static int fail(struct parser *ps, const char *at, const char *what)
{
	return err_set_field(ps->err, ERR_INVALID, "q", "%s at column %d", what,
			     (int)(at - ps->start) + 1);
}

static void skip_space(struct parser *ps)
{
	while (isspace((unsigned char)*ps->p))
		ps->p++;
}

/* True if the next token is the keyword kw (upper case, alone). */
static bool keyword(struct parser *ps, const char *kw)
{
	size_t n = strlen(kw);
	const char *q = ps->p;
	if (strncmp(q, kw, n) != 0)
		return false;
	char c = q[n];
	if (c && !isspace((unsigned char)c) && c != '(' && c != ')')
		return false;
	ps->p += n;
	return true;
}

static struct mq_node *node(struct parser *ps, enum mq_kind kind, struct mq_node *l,
			    struct mq_node *r)
{
	struct mq_node *n = arena_alloc(ps->a, sizeof(*n));
	n->kind = kind;
	n->left = l;
	n->right = r;
	return n;
}

static struct mq_node *parse_or(struct parser *ps);

/* Reads a word (up to space or parenthesis) or a "phrase" into *out. */
static int read_value(struct parser *ps, char **out, bool *phrase)
{
	const char *at = ps->p;
	if (*ps->p == '"') {
		const char *end = strchr(ps->p + 1, '"');
		if (!end)
			return fail(ps, at, "unterminated quote");
		*out = arena_strndup(ps->a, ps->p + 1, (size_t)(end - ps->p - 1));
		*phrase = true;
		ps->p = end + 1;
		return 0;
	}
	while (*ps->p && !isspace((unsigned char)*ps->p) && *ps->p != '(' && *ps->p != ')' &&
	       *ps->p != '"')
		ps->p++;
	if (ps->p == at)
		return fail(ps, at, "expected a word");
	*out = arena_strndup(ps->a, at, (size_t)(ps->p - at));
	*phrase = false;
	return 0;
}

static int check_value(struct parser *ps, struct mq_node *n, const char *at)
{
	static const char *const is_values[] = {"unread", "read",     "flagged", "unflagged",
						"linked", "unlinked", NULL};
	switch (n->field) {
	case MQ_HAS:
		if (strcasecmp(n->value, "attachment") != 0)
			return fail(ps, at, "has: takes 'attachment'");
		return 0;
	case MQ_IS:
		for (size_t i = 0; is_values[i]; i++)
			if (strcasecmp(n->value, is_values[i]) == 0)
				return 0;
		return fail(ps, at,
			    "is: takes unread, read, flagged, unflagged, linked or unlinked");
	case MQ_BEFORE:
	case MQ_AFTER:
		if (time_parse_date(n->value, &n->number) < 0)
			return fail(ps, at, "expected a date YYYY-MM-DD");
		return 0;
	case MQ_CONTACT:
	case MQ_COMPANY:
	case MQ_DEAL:
		if (str_to_id(n->value, &n->number) < 0)
			return fail(ps, at, "expected an id");
		return 0;
	default:
		if (!*n->value)
			return fail(ps, at, "empty search term");
		return 0;
	}
}

static struct mq_node *parse_term(struct parser *ps)
{
	const char *at = ps->p;
	struct mq_node *n = node(ps, MQ_TERM, NULL, NULL);
	n->field = MQ_TEXT;
	const char *colon = NULL;
	for (const char *q = ps->p; *q && isalpha((unsigned char)*q); q++)
		if (q[1] == ':')
			colon = q + 1;
	if (colon) {
		size_t len = (size_t)(colon - ps->p), i, nf = sizeof(fields) / sizeof(fields[0]);
		for (i = 0; i < nf; i++)
			if (strlen(fields[i].name) == len &&
			    strncasecmp(ps->p, fields[i].name, len) == 0)
				break;
		if (i == nf) {
			fail(ps, at, arena_printf(ps->a, "unknown field '%.*s'", (int)len, ps->p));
			return NULL;
		}
		n->field = fields[i].field;
		ps->p = colon + 1;
	}
	if (read_value(ps, &n->value, &n->phrase) < 0 || check_value(ps, n, at) < 0)
		return NULL;
	if (++ps->terms > MAIL_QUERY_MAX_TERMS) {
		fail(ps, at, "too many terms");
		return NULL;
	}
	return n;
}

static struct mq_node *parse_unary(struct parser *ps)
{
	skip_space(ps);
	const char *at = ps->p;
	if (++ps->depth > MAIL_QUERY_MAX_DEPTH) {
		fail(ps, at, "query nested too deeply");
		return NULL;
	}
	struct mq_node *n = NULL;
	if (keyword(ps, "NOT") ||
	    (*ps->p == '-' && ps->p[1] && !isspace((unsigned char)ps->p[1]) && (ps->p++, true))) {
		struct mq_node *c = parse_unary(ps);
		n = c ? node(ps, MQ_NOT, c, NULL) : NULL;
	} else if (*ps->p == '(') {
		ps->p++;
		n = parse_or(ps);
		skip_space(ps);
		if (n && *ps->p != ')') {
			fail(ps, ps->p, *ps->p ? "expected ')'" : "missing ')'");
			n = NULL;
		} else if (n) {
			ps->p++;
		}
	} else if (*ps->p == ')') {
		fail(ps, at, "unexpected ')'");
	} else if (!*ps->p) {
		fail(ps, at, "the query ends where a term was expected");
	} else {
		n = parse_term(ps);
	}
	ps->depth--;
	return n;
}

static bool at_and_end(struct parser *ps)
{
	skip_space(ps);
	const char *save = ps->p;
	bool end = !*ps->p || *ps->p == ')' || keyword(ps, "OR");
	ps->p = save;
	return end;
}

static struct mq_node *parse_and(struct parser *ps)
{
	struct mq_node *l = parse_unary(ps);
	while (l && !at_and_end(ps)) {
		keyword(ps, "AND");
		struct mq_node *r = parse_unary(ps);
		l = r ? node(ps, MQ_AND, l, r) : NULL;
	}
	return l;
}

static struct mq_node *parse_or(struct parser *ps)
{
	struct mq_node *l = parse_and(ps);
	for (;;) {
		skip_space(ps);
		if (!l || !keyword(ps, "OR"))
			return l;
		struct mq_node *r = parse_and(ps);
		l = r ? node(ps, MQ_OR, l, r) : NULL;
	}
}

int mail_query_parse(const char *q, struct arena *a, struct mq_node **root_r, struct err *err)
{
	struct parser ps = {q, q, a, err, 0, 0};
	*root_r = NULL;
	if (strlen(q) > MAIL_QUERY_MAX_LEN)
		return err_set_field(err, ERR_INVALID, "q", "the query is longer than %d bytes",
				     MAIL_QUERY_MAX_LEN);
	if (!str_valid_utf8(q, strlen(q)))
		return err_set_field(err, ERR_INVALID, "q", "the query is not valid UTF-8");
	skip_space(&ps);
	if (!*ps.p)
		return 0;
	struct mq_node *root = parse_or(&ps);
	if (!root)
		return -1;
	skip_space(&ps);
	if (*ps.p)
		return fail(&ps, ps.p, *ps.p == ')' ? "unexpected ')'" : "unexpected text");
	*root_r = root;
	return 0;
}
