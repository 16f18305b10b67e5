/* JWZ message threading, with Parley's Thread-Index and subject rules.
 *
 * Design notes (steps as numbered in https://www.jwz.org/doc/threading.html):
 *  - Messages are taken in (date, Message-ID, input index) order, so the
 *    result never depends on the order they were given in.
 *  1. Every Message-ID gets one container in the id table; a message whose
 *     id is already taken by another message (a duplicate) or that has none
 *     gets a container of its own outside the table. References (at most
 *     JWZ_MAX_REFS, the newest), then In-Reply-To if it is not among them,
 *     are linked parent to child; a link that would close a loop, and a
 *     reference to the message itself, are skipped. The message's parent is
 *     its last reference, replacing any parent guessed from other messages.
 *  1b. (Parley) A message with no references whose Outlook Thread-Index
 *     extends another's (same 22-byte header, a 5-byte block per reply)
 *     becomes that message's child; failing that, the child of the message
 *     with the shortest index of that conversation.
 *  2-4. Roots are the containers without a parent. Placeholders (ids
 *     referred to but not given) are pruned children first: without
 *     children they go; below the root their children move up; a root
 *     placeholder with one child gives way to it. So placeholders remain
 *     only as roots with at least two children.
 *  5. (Parley) A root message with no references at all whose subject has
 *     a reply marker ("Re:", "AW:", "Fwd:" and the like) joins the earliest
 *     earlier root whose subject is the same once the markers are removed,
 *     but only if the two threads share a participant (From, To, Cc) other
 *     than the mailbox owner's own addresses, which are in every message of
 *     the mailbox and prove nothing. A fresh subject never joins: a stranger
 *     writing "Pilot pricing" to the address a client wrote "Pilot pricing"
 *     to starts a thread of their own. Unlike JWZ no empty container is made.
 *  6. Children and roots are sorted by date, then Message-ID.
 * All memory is in the caller's arena; there is no recursion over trees, so
 * deep threads cannot exhaust the stack.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/str.h"
#include "core/message.h"
#include "core/thread_jwz.h"
#include "base/banned.h"

/* Outlook's Thread-Index: a 22-byte header (date and conversation GUID),
   then a 5-byte block per reply. */
#define TI_HEADER 22
#define TI_BLOCK  5

struct cont {
	struct jwz_node node; /* first: a node pointer is a cont pointer */
	size_t seq;	      /* input index, or n + creation order for placeholders */
	bool has_refs;	      /* the message had a usable reference */
	bool dead;	      /* pruned */
	unsigned char *ti;    /* decoded Thread-Index, or NULL */
	size_t tilen;
};

struct tab_slot {
	const char *key;
	struct cont *c;
};

/* Open addressing, linear probing; never resized: sized for the worst case. */
struct tab {
	struct tab_slot *slots;
	size_t mask;
};

struct build {
	struct arena *a;
	size_t n;
	struct cont **all; /* every container made, in creation order */
	size_t nall;
	struct tab ids;
};

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static void tab_init(struct tab *t, struct arena *a, size_t max)
{
	size_t cap = 16;
	while (cap < max * 2)
		cap *= 2;
	t->slots = arena_alloc(a, cap * sizeof(*t->slots));
	t->mask = cap - 1;
}

/* The slot for key: either holding it or the empty one where it belongs. */
static struct tab_slot *tab_slot(struct tab *t, const char *key)
{
	size_t i = (size_t)hash_str(key) & t->mask;
	while (t->slots[i].key && strcmp(t->slots[i].key, key) != 0)
		i = (i + 1) & t->mask;
	return &t->slots[i];
}

static struct cont *cont_new(struct build *b, const char *id, size_t seq)
{
	struct cont *c = arena_alloc(b->a, sizeof(*c));
	c->node.message_id = id;
	c->node.placeholder = true;
	c->seq = seq;
	b->all[b->nall++] = c;
	return c;
}

static struct cont *parent_of(struct cont *c)
{
	return (struct cont *)c->node.parent;
}

/* True if c is anc or below it. */
static bool is_under(struct cont *c, struct cont *anc)
{
	for (; c; c = parent_of(c))
		if (c == anc)
			return true;
	return false;
}

static void unlink_cont(struct cont *c)
{
	struct jwz_node *p = c->node.parent;
	if (!p)
		return;
	for (struct jwz_node **pp = &p->child; *pp; pp = &(*pp)->next) {
		if (*pp == &c->node) {
			*pp = c->node.next;
			break;
		}
	}
	c->node.parent = NULL;
	c->node.next = NULL;
}

/* Makes child a child of parent unless that would close a loop. */
static bool link_cont(struct cont *parent, struct cont *child)
{
	if (is_under(parent, child))
		return false;
	unlink_cont(child);
	child->node.parent = &parent->node;
	child->node.next = parent->node.child;
	parent->node.child = &child->node;
	return true;
}

/* The container for a referenced id, made as a placeholder if new. */
static struct cont *ref_cont(struct build *b, const char *id)
{
	struct tab_slot *s = tab_slot(&b->ids, id);
	if (!s->key) {
		s->key = id;
		s->c = cont_new(b, id, b->n + b->nall);
	}
	return s->c;
}

/* Step 1B for one reference: links prev -> it unless it has a parent already. */
static struct cont *link_ref(struct build *b, struct cont *prev, const char *ref, const char *self)
{
	if (!ref || !*ref || (self && strcmp(ref, self) == 0))
		return prev;
	struct cont *rc = ref_cont(b, ref);
	if (prev && rc != prev && !rc->node.parent)
		link_cont(prev, rc);
	return rc;
}

static bool in_refs(const struct jwz_msg *m, size_t first, const char *id)
{
	for (size_t i = first; i < m->nrefs; i++)
		if (m->references[i] && strcmp(m->references[i], id) == 0)
			return true;
	return false;
}

/* Step 1 for one message. */
static void add_message(struct build *b, const struct jwz_msg *m, size_t seq)
{
	const char *id = m->message_id && *m->message_id ? m->message_id : NULL;
	struct cont *c = NULL;

	if (id) {
		struct tab_slot *s = tab_slot(&b->ids, id);
		if (!s->key) {
			s->key = id;
			s->c = cont_new(b, id, seq);
		}
		if (!s->c->node.msg)
			c = s->c;
	}
	if (!c) /* no id, or a duplicate: a container of its own */
		c = cont_new(b, id, seq);
	c->node.msg = m;
	c->node.user = m->user;
	c->node.placeholder = false;
	c->seq = seq;

	struct cont *prev = NULL;
	size_t first = m->nrefs > JWZ_MAX_REFS ? m->nrefs - JWZ_MAX_REFS : 0;
	for (size_t i = first; i < m->nrefs; i++)
		prev = link_ref(b, prev, m->references[i], id);
	if (m->in_reply_to && *m->in_reply_to && !in_refs(m, first, m->in_reply_to))
		prev = link_ref(b, prev, m->in_reply_to, id);
	c->has_refs = prev != NULL;

	/* the message's own word on its parent beats any guess */
	unlink_cont(c);
	if (prev && prev != c)
		link_cont(prev, c);
}

static int b64_value(unsigned char ch)
{
	if (ch >= 'A' && ch <= 'Z')
		return ch - 'A';
	if (ch >= 'a' && ch <= 'z')
		return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9')
		return ch - '0' + 52;
	if (ch == '+' || ch == '-')
		return 62;
	if (ch == '/' || ch == '_')
		return 63;
	return -1;
}

/* Lenient base64: skips anything outside the alphabet, stops at '='. */
static unsigned char *b64_decode(struct arena *a, const char *s, size_t *len_r)
{
	size_t n = strlen(s), k = 0;
	unsigned char *out = arena_alloc(a, n * 3 / 4 + 3);
	uint32_t acc = 0;
	int bits = 0;

	for (; *s && *s != '='; s++) {
		int v = b64_value((unsigned char)*s);
		if (v < 0)
			continue;
		acc = (acc << 6) | (uint32_t)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[k++] = (unsigned char)(acc >> bits);
		}
	}
	*len_r = k;
	return out;
}

static char *hex_key(struct arena *a, const unsigned char *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	char *s = arena_alloc(a, n * 2 + 1);
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = digits[p[i] >> 4];
		s[2 * i + 1] = digits[p[i] & 15];
	}
	return s;
}

/* Step 1b: Outlook's Thread-Index for messages without references. */
static void link_thread_index(struct build *b)
{
	struct tab full, head;
	size_t nti = 0;

	for (size_t i = 0; i < b->nall; i++) {
		struct cont *c = b->all[i];
		if (c->node.msg && c->node.msg->thread_index) {
			c->ti = b64_decode(b->a, c->node.msg->thread_index, &c->tilen);
			nti += c->tilen >= TI_HEADER;
		}
	}
	if (nti < 2)
		return;
	tab_init(&full, b->a, nti);
	tab_init(&head, b->a, nti);
	for (size_t i = 0; i < b->nall; i++) { /* b->all is in processing order */
		struct cont *c = b->all[i];
		if (!c->ti || c->tilen < TI_HEADER)
			continue;
		struct tab_slot *s = tab_slot(&full, hex_key(b->a, c->ti, c->tilen));
		if (!s->key)
			*s = (struct tab_slot){hex_key(b->a, c->ti, c->tilen), c};
		s = tab_slot(&head, hex_key(b->a, c->ti, TI_HEADER));
		if (!s->key)
			*s = (struct tab_slot){hex_key(b->a, c->ti, TI_HEADER), c};
		else if (c->tilen < s->c->tilen)
			s->c = c;
	}
	for (size_t i = 0; i < b->nall; i++) {
		struct cont *c = b->all[i], *p = NULL;
		if (!c->ti || c->tilen < TI_HEADER || c->has_refs || c->node.parent)
			continue;
		for (size_t len = c->tilen; len >= TI_HEADER + TI_BLOCK && !p; len -= TI_BLOCK) {
			struct tab_slot *s = tab_slot(&full, hex_key(b->a, c->ti, len - TI_BLOCK));
			p = s->key ? s->c : NULL;
		}
		if (!p) {
			struct cont *h = tab_slot(&head, hex_key(b->a, c->ti, TI_HEADER))->c;
			/* h: the shortest index of the conversation, the first met on ties */
			if (h != c && h->tilen <= c->tilen)
				p = h;
		}
		if (p && p != c)
			link_cont(p, c);
	}
}

/* Steps 2-4 for one placeholder, once its children are pruned. */
static void prune_one(struct cont *c)
{
	struct jwz_node *kids = c->node.child;
	struct cont *parent = parent_of(c);

	if (kids && !parent && kids->next) /* a root with two or more children stays */
		return;
	unlink_cont(c);
	c->dead = true;
	c->node.child = NULL;
	while (kids) {
		struct jwz_node *next = kids->next;
		kids->parent = NULL;
		kids->next = NULL;
		if (parent)
			link_cont(parent, (struct cont *)kids);
		kids = next;
	}
}

/* Prunes placeholders children first: a node comes after all its descendants
   in the reverse of a pre-order walk. */
static void prune(struct build *b)
{
	struct cont **order = arena_alloc(b->a, (b->nall + 1) * sizeof(*order));
	struct cont **stack = arena_alloc(b->a, (b->nall + 1) * sizeof(*stack));
	size_t norder = 0;

	for (size_t i = 0; i < b->nall; i++) {
		if (b->all[i]->node.parent)
			continue;
		size_t top = 0;
		stack[top++] = b->all[i];
		while (top > 0) {
			struct cont *c = stack[--top];
			order[norder++] = c;
			for (struct jwz_node *k = c->node.child; k; k = k->next)
				stack[top++] = (struct cont *)k;
		}
	}
	while (norder > 0) {
		struct cont *c = order[--norder];
		if (c->node.placeholder)
			prune_one(c);
	}
}

/* The message a thread is known by: the root's, or its earliest child's. */
static const struct jwz_msg *root_msg(struct cont *r)
{
	const struct jwz_msg *best = r->node.msg;
	if (best)
		return best;
	for (struct jwz_node *k = r->node.child; k; k = k->next)
		if (k->msg && (!best || k->msg->date < best->date))
			best = k->msg;
	return best;
}

static int64_t cont_date(const struct cont *c)
{
	const struct jwz_msg *m = root_msg((struct cont *)c);
	return m ? m->date : 0;
}

/* Date, then Message-ID (none first), then input order. */
static int cont_cmp(const void *pa, const void *pb)
{
	const struct cont *a = *(struct cont *const *)pa, *b = *(struct cont *const *)pb;
	int64_t da = cont_date(a), db = cont_date(b);
	if (da != db)
		return da < db ? -1 : 1;
	const char *ia = a->node.message_id, *ib = b->node.message_id;
	if (ia != ib) {
		if (!ia || !ib)
			return ia ? 1 : -1;
		int r = strcmp(ia, ib);
		if (r)
			return r;
	}
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

/* Reply and forward prefixes, before an optional counter and the colon. */
static const char *const subject_prefixes[] = {
    "re",    "fwd",    "fw",	 "aw",	   "wg",   "sv",   "vs",   "antw",  "rif",
    "odp",   "tr",     "ynt",	 "ref",	   "отв",  "Отв",  "ОТВ",  "ответ", "Ответ",
    "ОТВЕТ", "пересл", "Пересл", "ПЕРЕСЛ", "回复", "转发", "答复", NULL,
};

/* Skips one prefix ("Re:", "RE [2]:", "Fwd(3):", "回复：") at p; NULL if none. */
static const char *skip_prefix(const char *p)
{
	for (const char *const *pre = subject_prefixes; *pre; pre++) {
		size_t n = strlen(*pre);
		if (strncasecmp(p, *pre, n) != 0)
			continue;
		const char *q = p + n;
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '[' || *q == '(' || *q == '^') {
			const char *d = q + 1;
			while (*d >= '0' && *d <= '9')
				d++;
			if (d > q + 1 && (*q == '^' || *d == (*q == '[' ? ']' : ')')))
				q = d + (*q != '^');
		}
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == ':')
			return q + 1;
		if (strncmp(q, "\xEF\xBC\x9A", 3) == 0) /* full-width colon */
			return q + 3;
	}
	return NULL;
}

char *thread_jwz_subject(struct arena *a, const char *subject, bool *reply_r)
{
	const char *p = subject ? subject : "", *q;
	bool reply = false;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
			p++;
		if (!(q = skip_prefix(p)))
			break;
		p = q;
		reply = true;
	}
	char *out = arena_alloc(a, strlen(p) + 1), *o = out;
	bool space = false;
	for (; *p; p++) {
		if (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n') {
			space = o > out;
			continue;
		}
		if (space)
			*o++ = ' ';
		space = false;
		*o++ = (*p >= 'A' && *p <= 'Z') ? (char)(*p - 'A' + 'a') : *p;
	}
	*o = '\0';
	if (reply_r)
		*reply_r = reply;
	return out;
}

/* A root as step 5 sees it. */
struct subj_root {
	struct cont *c;
	char *key;
	bool eligible;
	bool have_parts;
	const char **parts; /* lower-case addresses, sorted, unique */
	size_t nparts;
};

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static bool is_own(const struct jwz_opts *opts, const char *addr)
{
	for (size_t i = 0; opts && i < opts->nown; i++)
		if (opts->own_addresses[i] && strcasecmp(opts->own_addresses[i], addr) == 0)
			return true;
	return false;
}

/* Collects the participants of r's whole thread; stack has room for every node. */
static void thread_parts(struct build *b, struct subj_root *r, const struct jwz_opts *opts,
			 struct cont **stack)
{
	size_t top = 0, cap = 0, k = 0;
	for (int pass = 0; pass < 2; pass++) {
		top = 0;
		stack[top++] = r->c;
		while (top > 0) {
			struct cont *c = stack[--top];
			const struct jwz_msg *m = c->node.msg;
			for (size_t i = 0; m && i < m->nparticipants; i++) {
				const char *addr = m->participants[i];
				if (!addr || !*addr || is_own(opts, addr))
					continue;
				if (pass == 0)
					cap++;
				else
					r->parts[k++] = str_lower(b->a, addr);
			}
			for (struct jwz_node *kid = c->node.child; kid; kid = kid->next)
				stack[top++] = (struct cont *)kid;
		}
		if (pass == 0)
			r->parts = arena_alloc(b->a, (cap + 1) * sizeof(*r->parts));
	}
	qsort(r->parts, k, sizeof(*r->parts), str_cmp);
	size_t u = 0;
	for (size_t i = 0; i < k; i++)
		if (u == 0 || strcmp(r->parts[u - 1], r->parts[i]) != 0)
			r->parts[u++] = r->parts[i];
	r->nparts = u;
	r->have_parts = true;
}

static bool parts_share(const struct subj_root *x, const struct subj_root *y)
{
	size_t i = 0, j = 0;
	while (i < x->nparts && j < y->nparts) {
		int r = strcmp(x->parts[i], y->parts[j]);
		if (r == 0)
			return true;
		if (r < 0)
			i++;
		else
			j++;
	}
	return false;
}

/* x's participants become the union of x's and y's. */
static void parts_merge(struct arena *a, struct subj_root *x, const struct subj_root *y)
{
	const char **u = arena_alloc(a, (x->nparts + y->nparts + 1) * sizeof(*u));
	size_t i = 0, j = 0, k = 0;
	while (i < x->nparts || j < y->nparts) {
		int r = i == x->nparts ? 1 : j == y->nparts ? -1 : strcmp(x->parts[i], y->parts[j]);
		u[k++] = r <= 0 ? x->parts[i] : y->parts[j];
		i += r <= 0;
		j += r >= 0;
	}
	x->parts = u;
	x->nparts = k;
}

static int subj_cmp(const void *pa, const void *pb)
{
	const struct subj_root *a = pa, *b = pb;
	int r = strcmp(a->key, b->key);
	return r ? r : cont_cmp(&a->c, &b->c);
}

/* Step 5 within one run of roots with the same subject, in date order. */
static void group_run(struct build *b, struct subj_root *run, size_t n, const struct jwz_opts *opts,
		      struct cont **stack)
{
	struct subj_root **anchors = arena_alloc(b->a, n * sizeof(*anchors));
	size_t nanchors = 0;

	for (size_t i = 0; i < n; i++) {
		struct subj_root *r = &run[i];
		bool joined = false;
		if (r->eligible) {
			thread_parts(b, r, opts, stack);
			for (size_t k = 0; k < nanchors && !joined; k++) {
				struct subj_root *an = anchors[k];
				if (!an->have_parts)
					thread_parts(b, an, opts, stack);
				if (parts_share(an, r) && link_cont(an->c, r->c)) {
					parts_merge(b->a, an, r);
					joined = true;
				}
			}
		}
		if (!joined)
			anchors[nanchors++] = r;
	}
}

static void group_subjects(struct build *b, const struct jwz_opts *opts)
{
	struct subj_root *roots = arena_alloc(b->a, (b->nall + 1) * sizeof(*roots));
	struct cont **stack = arena_alloc(b->a, (b->nall + 1) * sizeof(*stack));
	size_t nroots = 0;

	for (size_t i = 0; i < b->nall; i++) {
		struct cont *c = b->all[i];
		if (c->dead || c->node.parent)
			continue;
		const struct jwz_msg *m = root_msg(c);
		struct subj_root *r = &roots[nroots++];
		r->c = c;
		bool reply = false;
		r->key = thread_jwz_subject(b->a, m ? m->subject : NULL, &reply);
		/* only a reply (by its subject's marker) may be placed by its subject */
		r->eligible = c->node.msg && !c->has_refs && reply && *r->key;
	}
	qsort(roots, nroots, sizeof(*roots), subj_cmp);
	for (size_t i = 0, j; i < nroots; i = j) {
		for (j = i + 1; j < nroots && strcmp(roots[i].key, roots[j].key) == 0; j++)
			;
		if (j - i > 1 && *roots[i].key)
			group_run(b, roots + i, j - i, opts, stack);
	}
}

/* Step 6: sorts every child list and the roots; returns the first root. */
static struct jwz_node *sort_all(struct build *b)
{
	struct cont **tmp = arena_alloc(b->a, (b->nall + 1) * sizeof(*tmp));
	struct jwz_node *first = NULL, **tail = &first;
	size_t k;

	for (size_t i = 0; i < b->nall; i++) {
		struct cont *c = b->all[i];
		if (c->dead || !c->node.child)
			continue;
		k = 0;
		for (struct jwz_node *kid = c->node.child; kid; kid = kid->next)
			tmp[k++] = (struct cont *)kid;
		qsort(tmp, k, sizeof(*tmp), cont_cmp);
		struct jwz_node **link = &c->node.child;
		for (size_t j = 0; j < k; j++) {
			*link = &tmp[j]->node;
			link = &tmp[j]->node.next;
		}
		*link = NULL;
	}
	k = 0;
	for (size_t i = 0; i < b->nall; i++)
		if (!b->all[i]->dead && !b->all[i]->node.parent)
			tmp[k++] = b->all[i];
	qsort(tmp, k, sizeof(*tmp), cont_cmp);
	for (size_t j = 0; j < k; j++) {
		*tail = &tmp[j]->node;
		tail = &tmp[j]->node.next;
	}
	*tail = NULL;
	return first;
}

/* Processing order: date, Message-ID (none first), input index. */
static int msg_cmp(const void *pa, const void *pb)
{
	const struct jwz_msg *a = *(const struct jwz_msg *const *)pa;
	const struct jwz_msg *b = *(const struct jwz_msg *const *)pb;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	const char *ia = a->message_id ? a->message_id : "",
		   *ib = b->message_id ? b->message_id : "";
	int r = strcmp(ia, ib);
	if (r)
		return r;
	return a < b ? -1 : a > b;
}

struct jwz_node *thread_jwz_build(const struct jwz_msg *msgs, size_t n, const struct jwz_opts *opts,
				  struct arena *a)
{
	if (n == 0)
		return NULL;
	size_t max = n;
	for (size_t i = 0; i < n; i++)
		max += (msgs[i].nrefs < JWZ_MAX_REFS ? msgs[i].nrefs : JWZ_MAX_REFS) + 1;

	struct build b = {.a = a, .n = n, .all = arena_alloc(a, max * sizeof(struct cont *))};
	const struct jwz_msg **order = arena_alloc(a, n * sizeof(*order));
	tab_init(&b.ids, a, max);
	for (size_t i = 0; i < n; i++)
		order[i] = &msgs[i];
	qsort(order, n, sizeof(*order), msg_cmp);
	for (size_t i = 0; i < n; i++)
		add_message(&b, order[i], (size_t)(order[i] - msgs));
	link_thread_index(&b);
	prune(&b);
	if (!opts || !(opts->flags & JWZ_NO_SUBJECT))
		group_subjects(&b, opts);
	return sort_all(&b);
}

void thread_jwz_msg_init(struct jwz_msg *jm, const struct message *m, void *user, struct arena *a)
{
	size_t np = 0, nall = m->from.len + m->to.len + m->cc.len;
	const struct address_list *lists[] = {&m->from, &m->to, &m->cc};
	const char **refs = arena_alloc(a, (m->nreferences + 1) * sizeof(*refs));
	const char **parts = arena_alloc(a, (nall + 1) * sizeof(*parts));

	for (size_t i = 0; i < m->nreferences; i++)
		refs[i] = arena_strdup(a, m->references[i]);
	for (size_t l = 0; l < 3; l++)
		for (size_t i = 0; i < lists[l]->len; i++)
			if (lists[l]->items[i].address && *lists[l]->items[i].address)
				parts[np++] = arena_strdup(a, lists[l]->items[i].address);
	*jm = (struct jwz_msg){
	    .message_id = arena_strdup(a, m->message_id),
	    .references = refs,
	    .nrefs = m->nreferences,
	    .in_reply_to = arena_strdup(a, m->in_reply_to),
	    .subject = arena_strdup(a, m->subject),
	    .date = m->has_date ? m->date : 0,
	    .participants = parts,
	    .nparticipants = np,
	    .thread_index = arena_strdup(a, m->thread_index),
	    .user = user,
	};
}
