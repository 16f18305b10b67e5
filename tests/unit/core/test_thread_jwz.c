/* Unit tests for core/thread_jwz.c.
 *
 * A message is written "id|references|in-reply-to|subject|date|participants|thread-index"
 * (lists space-separated, "-" for no id, empty for none); the expected forest
 * is written like `parley mime thread` prints it: [["a",["b"]],["c"]].
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"
#include "core/thread_jwz.h"
#include "base/banned.h"

#define MAX_MSGS 8 /* per table case */

/* Thread-Index values: TI_A is a conversation's first message, TI_A1 a reply
   to it, TI_A12 a reply to that, TI_A3 another reply to TI_A; TI_B1 is a
   reply in another conversation. */
#define TI_A   "ARAREhMUoKGio6SlpqeoqaqrrK2urw=="
#define TI_A1  "ARAREhMUoKGio6SlpqeoqaqrrK2urwAAAAAB"
#define TI_A12 "ARAREhMUoKGio6SlpqeoqaqrrK2urwAAAAABAAAAAAI="
#define TI_A3  "ARAREhMUoKGio6SlpqeoqaqrrK2urwAAAAAD"
#define TI_B1  "ARAREhMUsLGys7S1tre4ubq7vL2+vwAAAAAB"

/* Splits s at sep into a NULL-terminated array allocated in a. */
static const char **split(struct arena *a, const char *s, char sep, size_t *n_r)
{
	size_t n = 0, cap = strlen(s) + 2;
	const char **v = arena_alloc(a, cap * sizeof(*v));
	const char *p = s;
	for (;;) {
		const char *e = strchr(p, sep);
		size_t len = e ? (size_t)(e - p) : strlen(p);
		if (len || sep == '|')
			v[n++] = arena_strndup(a, p, len);
		if (!e)
			break;
		p = e + 1;
	}
	*n_r = n;
	return v;
}

static void parse_msg(struct arena *a, const char *spec, struct jwz_msg *m)
{
	size_t nf, n;
	const char **f = split(a, spec, '|', &nf);
	int64_t date;

	if (nf != 7) {
		CHECK_MSG(0, "bad spec '%s'", spec);
		return;
	}
	*m = (struct jwz_msg){0};
	m->message_id = strcmp(f[0], "-") == 0 ? NULL : f[0];
	m->references = split(a, f[1], ' ', &n);
	m->nrefs = n;
	m->in_reply_to = *f[2] ? f[2] : NULL;
	m->subject = *f[3] ? f[3] : NULL;
	if (str_to_int64(f[4], &date) == 0)
		m->date = date;
	m->participants = split(a, f[5], ' ', &n);
	m->nparticipants = n;
	m->thread_index = *f[6] ? f[6] : NULL;
}

/* The forest as `parley mime thread` prints it (recursion is fine here). */
static void dump_node(struct buf *b, const struct jwz_node *x)
{
	if (x->message_id)
		buf_printf(b, "[\"%s\"", x->message_id);
	else
		buf_puts(b, "[null");
	for (const struct jwz_node *c = x->child; c; c = c->next) {
		buf_putc(b, ',');
		dump_node(b, c);
	}
	buf_putc(b, ']');
}

static char *dump(struct arena *a, const struct jwz_node *roots)
{
	struct buf b;
	buf_init(&b, a, 1 << 20);
	buf_putc(&b, '[');
	for (const struct jwz_node *r = roots; r; r = r->next) {
		if (r != roots)
			buf_putc(&b, ',');
		dump_node(&b, r);
	}
	buf_putc(&b, ']');
	return buf_take(&b, NULL);
}

/* Checks the forest: parent pointers, placeholders only as roots with two
   children or more, siblings in date order, every message given exactly once. */
static void check_shape(struct arena *a, const struct jwz_node *roots, const struct jwz_msg *msgs,
			size_t n, size_t idx)
{
	size_t *seen = arena_alloc(a, (n + 1) * sizeof(*seen));
	const struct jwz_node **stack = arena_alloc(a, (2 * n + 1) * sizeof(*stack));
	size_t top = 0, nodes = 0;
	for (const struct jwz_node *r = roots; r; r = r->next) {
		CHECK_MSG(r->parent == NULL, "case %zu: root with a parent", idx);
		stack[top++] = r;
	}
	while (top > 0 && nodes++ <= 2 * n) {
		const struct jwz_node *x = stack[--top];
		if (x->msg)
			seen[x->msg - msgs]++;
		CHECK_MSG(!x->placeholder || (!x->parent && x->child && x->child->next),
			  "case %zu: placeholder %s is not a root with two children", idx,
			  x->message_id);
		CHECK_MSG(x->placeholder == (x->msg == NULL), "case %zu: placeholder flag", idx);
		for (const struct jwz_node *c = x->child; c; c = c->next) {
			CHECK_MSG(c->parent == x, "case %zu: bad parent", idx);
			CHECK_MSG(!c->next || !c->msg || !c->next->msg ||
				      c->msg->date <= c->next->msg->date,
				  "case %zu: children out of order", idx);
			if (top < 2 * n)
				stack[top++] = c;
		}
	}
	for (size_t i = 0; i < n; i++)
		CHECK_MSG(seen[i] == 1, "case %zu: message %zu seen %zu times", idx, i, seen[i]);
}

static const struct thread_case {
	const char *name;
	const char *msgs[MAX_MSGS];
	const char *want;
	enum jwz_flags flags;
	const char *own;
} thread_cases[] = {
    {"single", {"a|||Hi|1||"}, "[[\"a\"]]", 0, NULL},
    {"chain",
     {"a|||Hi|1||", "b|a||Re: Hi|2||", "c|a b||Re: Hi|3||"},
     "[[\"a\",[\"b\",[\"c\"]]]]",
     0,
     NULL},
    {"out of order",
     {"c|a b||Re: Hi|3||", "b|a||Re: Hi|2||", "a|||Hi|1||"},
     "[[\"a\",[\"b\",[\"c\"]]]]",
     0,
     NULL},
    {"missing parent, two children",
     {"b|x||Re: Hi|2||", "c|x||Re: Hi|3||"},
     "[[\"x\",[\"b\"],[\"c\"]]]",
     0,
     NULL},
    {"missing parent, one child", {"b|x||Re: Hi|2||"}, "[[\"b\"]]", 0, NULL},
    {"missing middle", {"a|||Hi|1||", "c|a x||Re: Hi|3||"}, "[[\"a\",[\"c\"]]]", 0, NULL},
    {"in-reply-to only", {"a|||Hi|1||", "b||a|Re: Hi|2||"}, "[[\"a\",[\"b\"]]]", 0, NULL},
    {"in-reply-to after references",
     {"a|||Hi|1||", "b|a|z|Re: Hi|3||"},
     "[[\"a\",[\"b\"]]]",
     0,
     NULL},
    {"own word beats a guess",
     {"c|a b||Re: Hi|1||", "a|||Hi|2||", "b|||Hi|3||"},
     "[[\"a\"],[\"b\",[\"c\"]]]",
     0,
     NULL},
    {"self-reference", {"a|a||Hi|1||", "b|a b|b|Re: Hi|2||"}, "[[\"a\",[\"b\"]]]", 0, NULL},
    {"loop of two", {"a|b||Hi|1||", "b|a||Hi|2||"}, "[[\"b\",[\"a\"]]]", 0, NULL},
    {"loop of three",
     {"a|c||Hi|1||", "b|a||Hi|2||", "c|b||Hi|3||"},
     "[[\"c\",[\"a\",[\"b\"]]]]",
     0,
     NULL},
    {"duplicate ids",
     {"a|||First|1||", "a|||Second|2||", "c|a||Re: First|3||"},
     "[[\"a\",[\"c\"]],[\"a\"]]",
     0,
     NULL},
    {"missing ids", {"-|||One|1|x@e|", "-|||Two|2|x@e|"}, "[[null],[null]]", 0, NULL},
    {"subject, shared participant",
     {"a|||Budget|1|x@e y@e|", "b|||Re: Budget|2|y@e x@e|"},
     "[[\"a\",[\"b\"]]]",
     0,
     NULL},
    {"subject, no shared participant",
     {"a|||Budget|1|x@e y@e|", "b|||Re: Budget|2|z@e w@e|"},
     "[[\"a\"],[\"b\"]]",
     0,
     NULL},
    {"subject, case of addresses ignored",
     {"a|||Budget|1|X@E.com|", "b|||RE:  budget|2|x@e.COM|"},
     "[[\"a\",[\"b\"]]]",
     0,
     NULL},
    {"subject, not with references",
     {"a|||Budget|1|x@e y@e|", "b|m||Re: Budget|2|y@e x@e|"},
     "[[\"a\"],[\"b\"]]",
     0,
     NULL},
    {"subject, own address does not count",
     {"a|||Budget|1|me@e x@e|", "b|||Re: Budget|2|me@e y@e|"},
     "[[\"a\"],[\"b\"]]",
     0,
     "ME@e"},
    {"subject, own address unknown",
     {"a|||Budget|1|me@e x@e|", "b|||Re: Budget|2|me@e y@e|"},
     "[[\"a\",[\"b\"]]]",
     0,
     NULL},
    {"subject, switched off",
     {"a|||Budget|1|x@e|", "b|||Re: Budget|2|x@e|"},
     "[[\"a\"],[\"b\"]]",
     JWZ_NO_SUBJECT,
     NULL},
    {"subject prefixes",
     {"a|||Отчёт за май|1|x@e|", "b|||Ответ: RE[2]: Fwd:  Отчёт  за май|2|x@e|"},
     "[[\"a\",[\"b\"]]]",
     0,
     NULL},
    {"subject, earliest thread wins; a fresh subject joins nothing",
     {"a|||Budget|1|x@e|", "b|||Budget|2|x@e|", "c|||Re: Budget|3|x@e|"},
     "[[\"a\",[\"c\"]],[\"b\"]]",
     0,
     NULL},
    /* issue 11: Bob at other.test writes "Pilot pricing" (no Re:, no
       References) to the manager Ann at acme.test wrote to */
    {"subject, a stranger's fresh mail stays apart",
     {"a|||Pilot pricing|1|ann@acme.test mgr@parley.test|",
      "b|||Pilot pricing|2|bob@other.test mgr@parley.test|"},
     "[[\"a\"],[\"b\"]]",
     0,
     NULL},
    {"subject, a stranger's fresh mail stays apart, own known",
     {"a|||Pilot pricing|1|ann@acme.test mgr@parley.test|",
      "b|||Pilot pricing|2|bob@other.test mgr@parley.test|"},
     "[[\"a\"],[\"b\"]]",
     0,
     "mgr@parley.test"},
    {"subject, a stranger's reply shares only the mailbox",
     {"a|||Pilot pricing|1|ann@acme.test mgr@parley.test|",
      "b|||Re: Pilot pricing|2|bob@other.test mgr@parley.test|"},
     "[[\"a\"],[\"b\"]]",
     0,
     "mgr@parley.test"},
    {"subject, the client's own reply joins",
     {"a|||Pilot pricing|1|ann@acme.test mgr@parley.test|",
      "b|||AW: Pilot pricing|2|mgr@parley.test ann@acme.test|"},
     "[[\"a\",[\"b\"]]]",
     0,
     "mgr@parley.test"},
    {"subject, a forward marker counts as a reply",
     {"a|||Pilot pricing|1|ann@acme.test mgr@parley.test|",
      "b|||Fwd: Pilot pricing|2|ann@acme.test carl@acme.test|"},
     "[[\"a\",[\"b\"]]]",
     0,
     "mgr@parley.test"},
    {"subject, joins a placeholder root",
     {"b|x||Re: Plan|2|p@e|", "c|x||Re: Plan|3|q@e|", "d|||Re: Plan|4|q@e|"},
     "[[\"x\",[\"b\"],[\"c\"],[\"d\"]]]",
     0,
     NULL},
    {"thread-index chain",
     {"a|||Budget|1|p@e|" TI_A, "b|||RE: Budget|2|q@e|" TI_A1, "c|||RE: Budget|3|r@e|" TI_A12},
     "[[\"a\",[\"b\",[\"c\"]]]]",
     0,
     NULL},
    {"thread-index, original missing",
     {"b|||RE: Budget|2|q@e|" TI_A1, "d|||RE: Budget|3|r@e|" TI_A3},
     "[[\"b\",[\"d\"]]]",
     0,
     NULL},
    {"thread-index, other conversation",
     {"a|||Budget|1|p@e|" TI_A, "e|||RE: Budget|2|q@e|" TI_B1},
     "[[\"a\"],[\"e\"]]",
     0,
     NULL},
    {"thread-index, not with references",
     {"a|||Budget|1|p@e|" TI_A, "b|q||RE: Budget|2|r@e|" TI_A1},
     "[[\"a\"],[\"b\"]]",
     0,
     NULL},
    {"children by date then id",
     {"a|||Hi|1||", "c||a|Re|5||", "b||a|Re|5||", "d||a|Re|3||"},
     "[[\"a\",[\"d\"],[\"b\"],[\"c\"]]]",
     0,
     NULL},
    {"placeholder root sorts by its first child",
     {"b|x||Re|5||", "c|x||Re|2||", "a|||Other|3||"},
     "[[\"x\",[\"c\"],[\"b\"]],[\"a\"]]",
     0,
     NULL},
    {"reply dated before its parent",
     {"b|a||Re: Hi|1||", "a|||Hi|2||"},
     "[[\"a\",[\"b\"]]]",
     0,
     NULL},
};

static void test_thread_jwz__cases(void)
{
	for (size_t i = 0; i < sizeof(thread_cases) / sizeof(thread_cases[0]); i++) {
		const struct thread_case *tc = &thread_cases[i];
		struct arena *a = arena_new();
		struct jwz_msg msgs[MAX_MSGS];
		size_t n = 0;
		for (; n < MAX_MSGS && tc->msgs[n]; n++)
			parse_msg(a, tc->msgs[n], &msgs[n]);
		struct jwz_opts opts = {
		    .flags = tc->flags, .own_addresses = &tc->own, .nown = tc->own ? 1 : 0};
		struct jwz_node *roots = thread_jwz_build(msgs, n, &opts, a);
		char *got = dump(a, roots);
		CHECK_MSG(strcmp(got, tc->want) == 0, "case %zu '%s': got %s, want %s", i, tc->name,
			  got, tc->want);
		check_shape(a, roots, msgs, n, i);
		arena_free(&a);
	}
}

/* Every order of the same messages gives the same forest. */
static void test_thread_jwz__order_independent(void)
{
	static const char *const specs[] = {
	    "a|||Plan|1|x@e|",	      "b|a||Re: Plan|2|y@e|",	     "c|a b||Re: Plan|3|x@e|",
	    "d|q||Re: Plan|4|z@e|",   "e|q||Re: Plan|5|w@e|",	     "f|||Re: Plan|6|x@e|",
	    "g|||Budget|7|p@e|" TI_A, "h|||RE: Budget|8|r@e|" TI_A1,
	};
	size_t n = sizeof(specs) / sizeof(specs[0]);
	struct arena *a = arena_new();
	struct jwz_msg base[8], msgs[8];
	unsigned seed = 12345;
	char *first = NULL;

	for (size_t i = 0; i < n; i++)
		parse_msg(a, specs[i], &base[i]);
	for (int round = 0; round < 50; round++) {
		memcpy(msgs, base, sizeof(base));
		for (size_t i = n - 1; i > 0; i--) {
			seed = seed * 1103515245u + 12345u;
			size_t j = (seed >> 16) % (i + 1);
			struct jwz_msg t = msgs[i];
			msgs[i] = msgs[j];
			msgs[j] = t;
		}
		char *got = dump(a, thread_jwz_build(msgs, n, NULL, a));
		if (!first)
			first = got;
		CHECK_MSG(strcmp(got, first) == 0, "round %d: %s != %s", round, got, first);
	}
	CHECK_STR(first,
		  "[[\"a\",[\"b\",[\"c\"]],[\"f\"]],[\"q\",[\"d\"],[\"e\"]],[\"g\",[\"h\"]]]");
	arena_free(&a);
}

/* Random messages over a small pool of ids (so duplicates, loops, missing
   parents and self-references all happen): the forest stays well formed. */
static void test_thread_jwz__random(void)
{
	static const char *const subjects[] = {"Plan", "Re: Plan", "Budget", "RE: Budget", NULL};
	static const char *const people[] = {"a@e", "b@e", "c@e", "d@e"};
	static const char *const tis[] = {TI_A, TI_A1, TI_A12, TI_A3, TI_B1, NULL, NULL};
	enum { N = 200, ROUNDS = 40 };
	unsigned seed = 99;
#define RND(k) ((seed = seed * 1103515245u + 12345u), (seed >> 12) % (k))
	for (int round = 0; round < ROUNDS; round++) {
		struct arena *a = arena_new();
		struct jwz_msg *msgs = arena_alloc(a, N * sizeof(*msgs));
		for (size_t i = 0; i < N; i++) {
			struct jwz_msg *m = &msgs[i];
			size_t nrefs = RND(5);
			const char **refs = arena_alloc(a, (nrefs + 1) * sizeof(*refs));
			for (size_t k = 0; k < nrefs; k++)
				refs[k] = arena_printf(a, "m%u", RND(80));
			m->message_id = RND(10) ? arena_printf(a, "m%u", RND(60)) : NULL;
			m->references = refs;
			m->nrefs = nrefs;
			m->in_reply_to = RND(3) ? NULL : arena_printf(a, "m%u", RND(80));
			m->subject = subjects[RND(5)];
			m->date = (int64_t)RND(50);
			m->participants = &people[RND(3)];
			m->nparticipants = 1 + RND(2);
			m->thread_index = tis[RND(7)];
		}
		struct jwz_node *roots = thread_jwz_build(msgs, N, NULL, a);
		check_shape(a, roots, msgs, N, (size_t)round);
		arena_free(&a);
	}
#undef RND
}

/* A very long chain: nothing recurses over the tree. */
static void test_thread_jwz__deep_chain(void)
{
	enum { N = 20000 };
	struct arena *a = arena_new();
	struct jwz_msg *msgs = arena_alloc(a, N * sizeof(*msgs));
	char **ids = arena_alloc(a, N * sizeof(*ids));

	for (size_t i = 0; i < N; i++) {
		ids[i] = arena_printf(a, "m%zu@x", i);
		msgs[i] = (struct jwz_msg){.message_id = ids[i], .date = (int64_t)i};
		if (i > 0) {
			msgs[i].references = (const char *const *)&ids[i - 1];
			msgs[i].nrefs = 1;
		}
	}
	struct jwz_node *roots = thread_jwz_build(msgs, N, NULL, a);
	CHECK(roots && !roots->next);
	size_t depth = 0;
	for (const struct jwz_node *x = roots; x; x = x->child)
		depth++;
	CHECK_INT(depth, N);
	CHECK(thread_jwz_build(msgs, 0, NULL, a) == NULL);
	arena_free(&a);
}

static void test_thread_jwz__subject(void)
{
	static const struct {
		const char *in, *want;
		bool reply;
	} cases[] = {
	    {"Hello", "hello", false},
	    {"Re: Hello", "hello", true},
	    {"RE:RE: Fwd:  Hello   World ", "hello world", true},
	    {"Re[3]: Hello", "hello", true},
	    {"Re (2): Hello", "hello", true},
	    {"AW: WG: Angebot", "angebot", true},
	    {"Ответ: Отчёт", "Отчёт", true},
	    {"回复：会议", "会议", true},
	    {"Report: Q3", "report: q3", false},
	    {"Re", "re", false},
	    {"", "", false},
	    {NULL, "", false},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		bool reply = !cases[i].reply;
		char *got = thread_jwz_subject(a, cases[i].in, &reply);
		CHECK_MSG(strcmp(got, cases[i].want) == 0 && reply == cases[i].reply,
			  "case %zu '%s': got '%s' %d", i, cases[i].in ? cases[i].in : "(null)",
			  got, reply);
	}
	arena_free(&a);
}

void test_thread_jwz(void)
{
	TEST_RUN(test_thread_jwz__cases);
	TEST_RUN(test_thread_jwz__order_independent);
	TEST_RUN(test_thread_jwz__random);
	TEST_RUN(test_thread_jwz__deep_chain);
	TEST_RUN(test_thread_jwz__subject);
}
