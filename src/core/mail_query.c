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

/* What a field's value is, and so how it is checked. */
enum mq_value {
	MQV_WORD,   /* any non-empty word or phrase */
	MQV_HAS,    /* 'attachment' */
	MQV_IS,	    /* one of is_values[] */
	MQV_DATE,   /* YYYY-MM-DD, or relative to now: -30d, -2w, today */
	MQV_RECORD, /* an id, or a name (number 0) the store matches */
};

/*
 * The fields of the language. To add one: an enum value in mail_query.h, a
 * line here, and its SQL in store/store_mail_search.c.
 */
static const struct {
	const char *name;
	enum mq_field field;
	enum mq_value value;
} fields[] = {
    {"from", MQ_FROM, MQV_WORD},
    {"to", MQ_TO, MQV_WORD},
    {"cc", MQ_CC, MQV_WORD},
    {"subject", MQ_SUBJECT, MQV_WORD},
    {"has", MQ_HAS, MQV_HAS},
    {"filename", MQ_FILENAME, MQV_WORD},
    {"is", MQ_IS, MQV_IS},
    {"in", MQ_IN, MQV_WORD},
    {"account", MQ_ACCOUNT, MQV_WORD},
    {"before", MQ_BEFORE, MQV_DATE},
    {"after", MQ_AFTER, MQV_DATE},
    {"contact", MQ_CONTACT, MQV_RECORD},
    {"company", MQ_COMPANY, MQV_RECORD},
    {"deal", MQ_DEAL, MQV_RECORD},
};
#define NFIELDS (sizeof(fields) / sizeof(fields[0]))

/* Units of relative dates: -30d, -2w. */
static const struct {
	char unit;
	int64_t seconds;
} date_units[] = {{'d', 86400}, {'w', 7 * 86400}};
#define REL_MAX_DAYS 36500

struct parser {
	const char *start, *p;
	int64_t now;
	struct arena *a;
	struct err *err;
	int terms, depth;
};

const char *mail_query_field_name(enum mq_field f)
{
	for (size_t i = 0; i < NFIELDS; i++)
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

/* A relative date ("-30d", "-2w", "today": midnight UTC of now's day) as
   Unix seconds before now; -1 if v is not one. */
static int relative_date(const char *v, int64_t now, int64_t *t_r)
{
	if (strcasecmp(v, "today") == 0) {
		*t_r = now - now % 86400;
		return 0;
	}
	if (v[0] != '-' || !isdigit((unsigned char)v[1]))
		return -1;
	int64_t n = 0;
	const char *p = v + 1;
	while (isdigit((unsigned char)*p) && n <= REL_MAX_DAYS)
		n = n * 10 + (*p++ - '0');
	for (size_t i = 0; i < sizeof(date_units) / sizeof(date_units[0]); i++)
		if (tolower((unsigned char)*p) == date_units[i].unit && !p[1] &&
		    n * date_units[i].seconds <= (int64_t)REL_MAX_DAYS * 86400) {
			*t_r = now - n * date_units[i].seconds;
			return 0;
		}
	return -1;
}

static int check_value(struct parser *ps, struct mq_node *n, enum mq_value kind, const char *at)
{
	static const char *const is_values[] = {"unread", "read",     "flagged", "unflagged",
						"linked", "unlinked", NULL};
	switch (kind) {
	case MQV_HAS:
		if (strcasecmp(n->value, "attachment") != 0)
			return fail(ps, at, "has: takes 'attachment'");
		return 0;
	case MQV_IS:
		for (size_t i = 0; is_values[i]; i++)
			if (strcasecmp(n->value, is_values[i]) == 0)
				return 0;
		return fail(ps, at,
			    "is: takes unread, read, flagged, unflagged, linked or unlinked");
	case MQV_DATE:
		if (time_parse_date(n->value, &n->number) < 0 &&
		    relative_date(n->value, ps->now, &n->number) < 0)
			return fail(ps, at,
				    "expected a date YYYY-MM-DD, or days or weeks ago (-30d, -2w)");
		return 0;
	case MQV_RECORD:
		/* an id, or a name: "Casa Verde". A value of digits only is an id and
		   must be one as written ("007" is refused, not taken for a name). */
		if (!*n->value)
			return fail(ps, at, "expected an id or a name");
		if (str_to_id(n->value, &n->number) == 0)
			return 0;
		n->number = 0;
		if (n->value[strspn(n->value, "0123456789")] == '\0')
			return fail(ps, at, "expected an id (digits, no leading zero) or a name");
		return 0;
	case MQV_WORD:
		break;
	}
	if (!*n->value)
		return fail(ps, at, "empty search term");
	return 0;
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
	enum mq_value kind = MQV_WORD;
	if (colon) {
		size_t len = (size_t)(colon - ps->p), i;
		for (i = 0; i < NFIELDS; i++)
			if (strlen(fields[i].name) == len &&
			    strncasecmp(ps->p, fields[i].name, len) == 0)
				break;
		if (i == NFIELDS) {
			fail(ps, at, arena_printf(ps->a, "unknown field '%.*s'", (int)len, ps->p));
			return NULL;
		}
		n->field = fields[i].field;
		kind = fields[i].value;
		ps->p = colon + 1;
	}
	if (read_value(ps, &n->value, &n->phrase) < 0 || check_value(ps, n, kind, at) < 0)
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
	return mail_query_parse_at(q, time_now(), a, root_r, err);
}

int mail_query_parse_at(const char *q, int64_t now, struct arena *a, struct mq_node **root_r,
			struct err *err)
{
	struct parser ps = {q, q, now, a, err, 0, 0};
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
