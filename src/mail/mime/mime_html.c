/* What mime_html_sanitize.c and mime_html_text.c share: parsing hostile HTML
   with gumbo within bounds of time and memory, walking the tree without
   recursion, and reading URL attributes the way browsers do. */
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/time.h"
#include "mail/mime/mime_html.h"
#include "mail/mime/mime_html_int.h"
#include "base/banned.h"

/*
 * Design notes.
 *
 * Gumbo implements the HTML5 tree builder faithfully, including its costly
 * corners: "has an element in scope" walks the whole stack of open elements (so
 * 100k nested <div>s take minutes) and reconstructing the list of active
 * formatting elements clones elements (so <p><b id=N>x</p> repeated needs memory
 * quadratic in the input). Three guards:
 *
 *  - Every gumbo allocation comes from a pool with a byte budget
 *    (MIME_HTML_PARSE_MEM_*) and a deadline in the thread's CPU time, so a
 *    loaded machine fails no mail (MIME_HTML_PARSE_MAX_MS, checked
 *    every few allocations: gumbo allocates for every element). When either
 *    runs out, the allocator longjmp()s back to mime_html_tree_parse(), which
 *    frees the whole pool and fails with ERR_TOOBIG. Gumbo holds no other
 *    resources and no global state, so abandoning its frames is safe. These
 *    two are the hard bounds.
 *  - So that merely deep mail still renders instead of failing, depth_cap()
 *    first estimates nesting from the raw bytes and removes start tags past
 *    MIME_HTML_MAX_PARSE_DEPTH (and as many later end tags). The estimate errs
 *    on the deep side: start tags count wherever they appear, end tags are
 *    ignored inside what might be a comment, raw text or an attribute value.
 *    Removing tags only changes the tree; safety never depends on this scan,
 *    only on the sanitiser's walk over whatever tree comes out.
 */

/* Each gumbo allocation is prefixed by a header linking it into the pool. */
struct pool_hdr {
	struct pool_hdr *prev, *next;
	size_t size;
};

union pool_block {
	struct pool_hdr h;
	max_align_t align;
};

struct mime_html_pool {
	union pool_block head; /* sentinel of the circular list */
	size_t used, max;
	unsigned long allocs;
	int64_t deadline_ns; /* time_cpu_ns() past which the parse is abandoned */
	jmp_buf escape;
};

static void *pool_alloc(void *userdata, size_t size)
{
	struct mime_html_pool *pool = userdata;
	size_t total = sizeof(union pool_block) + size;
	if (size > pool->max || total > pool->max - pool->used)
		longjmp(pool->escape, 1);
	if (++pool->allocs % 64 == 0 && time_cpu_ns() > pool->deadline_ns)
		longjmp(pool->escape, 1);
	union pool_block *b = xmalloc(total);
	struct pool_hdr *head = &pool->head.h;
	b->h.size = total;
	b->h.prev = head;
	b->h.next = head->next;
	head->next->prev = &b->h;
	head->next = &b->h;
	pool->used += total;
	return b + 1;
}

static void pool_free(void *userdata, void *ptr)
{
	struct mime_html_pool *pool = userdata;
	if (!ptr)
		return;
	union pool_block *b = (union pool_block *)ptr - 1;
	b->h.prev->next = b->h.next;
	b->h.next->prev = b->h.prev;
	pool->used -= b->h.size;
	free(b);
}

static struct mime_html_pool *pool_new(size_t max)
{
	struct mime_html_pool *pool = xcalloc(1, sizeof(*pool));
	pool->head.h.prev = pool->head.h.next = &pool->head.h;
	pool->max = max;
	pool->deadline_ns = time_cpu_ns() + (int64_t)MIME_HTML_PARSE_MAX_MS * 1000000;
	return pool;
}

static void pool_free_all(struct mime_html_pool **poolp)
{
	struct mime_html_pool *pool = *poolp;
	if (!pool)
		return;
	struct pool_hdr *h = pool->head.h.next;
	while (h != &pool->head.h) {
		struct pool_hdr *next = h->next;
		free(h);
		h = next;
	}
	free(pool);
	*poolp = NULL;
}

/* Kept apart so that nothing in the caller's frame changes between setjmp()
   and the longjmp() from pool_alloc(). NULL if the budget ran out. */
static GumboOutput *parse_guarded(struct mime_html_pool *pool, const GumboOptions *opts,
				  struct slice html)
{
	if (setjmp(pool->escape) != 0)
		return NULL;
	return gumbo_parse_with_options(opts, html.ptr, html.len);
}

enum depth_flags {
	DEPTH_FREE = 1 << 0, /* not counted: void, raw text or closed implicitly */
	RAW_TEXT = 1 << 1,   /* the tokenizer reads the content as text */
};

/*
 * How the depth estimate treats elements; all others count one level. To add
 * one: only elements that cannot pile up on gumbo's stack of open elements.
 */
/* clang-format off */
static const unsigned char depth_flags[GUMBO_TAG_LAST] = {
	[GUMBO_TAG_AREA] = DEPTH_FREE,     [GUMBO_TAG_BASE] = DEPTH_FREE,
	[GUMBO_TAG_BASEFONT] = DEPTH_FREE, [GUMBO_TAG_BGSOUND] = DEPTH_FREE,
	[GUMBO_TAG_BR] = DEPTH_FREE,       [GUMBO_TAG_COL] = DEPTH_FREE,
	[GUMBO_TAG_EMBED] = DEPTH_FREE,    [GUMBO_TAG_FRAME] = DEPTH_FREE,
	[GUMBO_TAG_HR] = DEPTH_FREE,       [GUMBO_TAG_IMAGE] = DEPTH_FREE,
	[GUMBO_TAG_IMG] = DEPTH_FREE,      [GUMBO_TAG_INPUT] = DEPTH_FREE,
	[GUMBO_TAG_KEYGEN] = DEPTH_FREE,   [GUMBO_TAG_LINK] = DEPTH_FREE,
	[GUMBO_TAG_META] = DEPTH_FREE,     [GUMBO_TAG_PARAM] = DEPTH_FREE,
	[GUMBO_TAG_SOURCE] = DEPTH_FREE,   [GUMBO_TAG_TRACK] = DEPTH_FREE,
	[GUMBO_TAG_WBR] = DEPTH_FREE,      [GUMBO_TAG_P] = DEPTH_FREE,
	[GUMBO_TAG_LI] = DEPTH_FREE,       [GUMBO_TAG_DD] = DEPTH_FREE,
	[GUMBO_TAG_DT] = DEPTH_FREE,       [GUMBO_TAG_TD] = DEPTH_FREE,
	[GUMBO_TAG_TH] = DEPTH_FREE,       [GUMBO_TAG_TR] = DEPTH_FREE,
	[GUMBO_TAG_TBODY] = DEPTH_FREE,    [GUMBO_TAG_THEAD] = DEPTH_FREE,
	[GUMBO_TAG_TFOOT] = DEPTH_FREE,    [GUMBO_TAG_CAPTION] = DEPTH_FREE,
	[GUMBO_TAG_COLGROUP] = DEPTH_FREE, [GUMBO_TAG_OPTION] = DEPTH_FREE,
	[GUMBO_TAG_HTML] = DEPTH_FREE,     [GUMBO_TAG_HEAD] = DEPTH_FREE,
	[GUMBO_TAG_BODY] = DEPTH_FREE,     [GUMBO_TAG_PLAINTEXT] = DEPTH_FREE,
	[GUMBO_TAG_SCRIPT] = DEPTH_FREE | RAW_TEXT,
	[GUMBO_TAG_STYLE] = DEPTH_FREE | RAW_TEXT,
	[GUMBO_TAG_XMP] = DEPTH_FREE | RAW_TEXT,
	[GUMBO_TAG_IFRAME] = DEPTH_FREE | RAW_TEXT,
	[GUMBO_TAG_NOEMBED] = DEPTH_FREE | RAW_TEXT,
	[GUMBO_TAG_NOFRAMES] = DEPTH_FREE | RAW_TEXT,
	[GUMBO_TAG_TEXTAREA] = DEPTH_FREE | RAW_TEXT,
	[GUMBO_TAG_TITLE] = DEPTH_FREE | RAW_TEXT,
};
/* clang-format on */

bool mime_html_word_in(const char *list, const char *word)
{
	size_t n = strlen(word);
	for (const char *p = list; *p;) {
		size_t len = strcspn(p, " ");
		if (len == n && memcmp(p, word, n) == 0)
			return true;
		p += len;
		p += *p == ' ';
	}
	return false;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* Reads the tag name at p into *name_r (a slice of the input). */
static const char *scan_tag_name(const char *p, const char *end, struct slice *name_r)
{
	name_r->ptr = p;
	while (p < end && !mime_html_is_space((unsigned char)*p) && *p != '/' && *p != '>')
		p++;
	name_r->len = (size_t)(p - name_r->ptr);
	return p;
}

static unsigned char tag_depth_flags(struct slice name)
{
	if (name.len > 16)
		return 0; /* longer than any known tag name */
	return depth_flags[gumbo_tagn_enum(name.ptr, (unsigned)name.len)];
}

/* Where a start tag whose attributes begin at p ends if its quotes are real. */
static const char *scan_tag_end(const char *p, const char *end)
{
	char prev = 0;
	while (p < end && *p != '>') {
		if ((*p == '"' || *p == '\'') && prev == '=') {
			const char *q = memchr(p + 1, *p, (size_t)(end - p - 1));
			p = q ? q : end - 1;
		}
		if (!mime_html_is_space((unsigned char)*p))
			prev = *p;
		p++;
	}
	return p < end ? p + 1 : end;
}

/* Just past the first needle at or after p, or end. */
static const char *scan_past(const char *p, const char *end, const char *needle)
{
	size_t n = strlen(needle);
	const char *q = memmem(p, (size_t)(end - p), needle, n);
	return q ? q + n : end;
}

/* Where "</name" closing a raw text element starts, or end. In a script,
   "<!--" may start an escape in which "</script" does not count: skip to its
   "-->" (erring long, as the depth scan must). */
static const char *scan_raw_text(const char *p, const char *end, struct slice name)
{
	size_t n = name.len;
	bool script = n == 6 && strncasecmp(name.ptr, "script", 6) == 0;
	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if ((size_t)(end - p) > n + 2 && p[1] == '/' &&
		    strncasecmp(p + 2, name.ptr, n) == 0 &&
		    (mime_html_is_space((unsigned char)p[n + 2]) || p[n + 2] == '>' ||
		     p[n + 2] == '/'))
			return p;
		if (script && end - p >= 4 && memcmp(p, "<!--", 4) == 0)
			p = scan_past(p + 4, end, "-->") - 1;
		p++;
	}
	return end;
}

/* Where a comment starting at p ("<!--") ends: after "-->" or "--!>". */
static const char *scan_comment(const char *p, const char *end)
{
	for (p += 2; (p = memchr(p, '-', (size_t)(end - p))) != NULL; p++) {
		if (end - p >= 3 && memcmp(p, "-->", 3) == 0)
			return p + 3;
		if (end - p >= 4 && memcmp(p, "--!>", 4) == 0)
			return p + 4;
	}
	return end;
}

struct depth_scan {
	struct slice in;
	struct buf out; /* the input without removed tags, once one is removed */
	const char *copied;
	const char *quiet; /* end tags before this may be text: ignored */
	const char *gt;	   /* just past the last '>' found, for depth_remove() */
	size_t depth, dropped;
	bool removing;
};

/* Leaves the tag at p (up to the first '>' after q) out of the copy and
   returns its end. Searches for '>' start past the last one found: the scan
   stays linear even when no '>' follows. */
static const char *depth_remove(struct depth_scan *ds, const char *p, const char *q,
				const char *end)
{
	if (ds->gt <= q) {
		const char *gt = memchr(q, '>', (size_t)(end - q));
		ds->gt = gt ? gt + 1 : end;
	}
	if (!ds->removing) {
		ds->removing = true;
		ds->copied = ds->in.ptr;
	}
	buf_append(&ds->out, ds->copied, (size_t)(p - ds->copied));
	ds->copied = ds->gt;
	return ds->gt;
}

/* Handles the tag at p ('<' then a letter, or "</" then a letter); returns
   where scanning goes on: right after the name, so that tags inside what may
   be an attribute value still count. The quiet range only grows from past its
   end, so every byte is searched at most once. */
static const char *depth_tag(struct depth_scan *ds, const char *p, const char *end)
{
	bool closing = p[1] == '/';
	struct slice name;
	const char *q = scan_tag_name(p + (closing ? 2 : 1), end, &name);
	unsigned char flags = tag_depth_flags(name);
	if (closing) {
		if (p < ds->quiet || (flags & DEPTH_FREE))
			return q;
		if (ds->dropped > 0) {
			ds->dropped--;
			return depth_remove(ds, p, q, end);
		}
		if (ds->depth > 0)
			ds->depth--;
		return q;
	}
	if (q >= ds->quiet) {
		ds->quiet = scan_tag_end(q, end);
		if (flags & RAW_TEXT)
			ds->quiet = scan_raw_text(ds->quiet, end, name);
	}
	if (flags & DEPTH_FREE)
		return q;
	if (ds->depth < MIME_HTML_MAX_PARSE_DEPTH) {
		ds->depth++;
		return q;
	}
	ds->dropped++;
	return depth_remove(ds, p, q, end);
}

/* The input with start tags past MIME_HTML_MAX_PARSE_DEPTH removed (see the
   design notes); the input itself if none are. */
static struct slice depth_cap(struct slice in, struct arena *a)
{
	struct depth_scan ds = {.in = in, .quiet = in.ptr, .gt = in.ptr};
	const char *p = in.ptr, *end = in.ptr + in.len;
	buf_init(&ds.out, a, in.len);
	while (p < end && (p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		if (end - p >= 4 && memcmp(p, "<!--", 4) == 0) {
			if (p >= ds.quiet)
				ds.quiet = scan_comment(p, end);
			p += 4;
		} else if (end - p >= 9 && memcmp(p, "<![CDATA[", 9) == 0) {
			if (p >= ds.quiet)
				ds.quiet = scan_past(p + 9, end, "]]>");
			p += 9;
		} else if (end - p >= 3 &&
			   (p[1] == '!' || p[1] == '?' || (p[1] == '/' && !is_alpha(p[2])))) {
			/* a bogus comment, up to the next '>' */
			if (p >= ds.quiet)
				ds.quiet = scan_past(p + 2, end, ">");
			p += 2;
		} else if (end - p >= 3 && (is_alpha(p[1]) || (p[1] == '/' && is_alpha(p[2])))) {
			p = depth_tag(&ds, p, end);
		} else {
			p++;
		}
	}
	if (!ds.removing)
		return in;
	buf_append(&ds.out, ds.copied, (size_t)(end - ds.copied));
	return (struct slice){ds.out.data, ds.out.len};
}

int mime_html_tree_parse(struct mime_html_tree *tree, struct slice html, struct arena *a,
			 struct err *err)
{
	tree->out = NULL;
	tree->pool = NULL;
	if (html.len > MIME_HTML_MAX_OUTPUT)
		return err_set(err, ERR_TOOBIG, "html is larger than %d bytes",
			       MIME_HTML_MAX_OUTPUT);
	/* gumbo's tree points into the input it parsed: capped must live on. */
	struct slice capped = depth_cap(html, a);
	struct mime_html_pool *pool =
	    pool_new(MIME_HTML_PARSE_MEM_MIN + html.len * MIME_HTML_PARSE_MEM_FACTOR);
	GumboOptions opts = kGumboDefaultOptions;
	opts.allocator = pool_alloc;
	opts.deallocator = pool_free;
	opts.userdata = pool;
	opts.max_errors = 0; /* each recorded error copies the stack of open elements */
	GumboOutput *out = parse_guarded(pool, &opts, capped);
	if (!out) {
		pool_free_all(&pool);
		return err_set(err, ERR_TOOBIG, "html is too complex to parse");
	}
	tree->out = out;
	tree->pool = pool;
	return 0;
}

void mime_html_tree_release(struct mime_html_tree *tree)
{
	/* Freeing the pool frees the whole output; gumbo_destroy_output() would
	   only walk it recursively. */
	pool_free_all(&tree->pool);
	tree->out = NULL;
}

/* The children of an element, template or document node; NULL for others. */
static const GumboVector *node_children(const GumboNode *node)
{
	switch (node->type) {
	case GUMBO_NODE_DOCUMENT:
		return &node->v.document.children;
	case GUMBO_NODE_ELEMENT:
	case GUMBO_NODE_TEMPLATE:
		return &node->v.element.children;
	default:
		return NULL;
	}
}

void mime_html_iter_init(struct mime_html_iter *it, const GumboNode *root)
{
	it->cap = 64;
	it->stack = xmalloc(it->cap * sizeof(*it->stack));
	it->stack[0] = (struct mime_html_iter_frame){root, 0, false};
	it->depth = 1;
}

static void iter_push(struct mime_html_iter *it, const GumboNode *node)
{
	if (it->depth == it->cap) {
		it->cap *= 2;
		it->stack = xrealloc(it->stack, it->cap * sizeof(*it->stack));
	}
	it->stack[it->depth++] = (struct mime_html_iter_frame){node, 0, false};
}

enum mime_html_ev mime_html_iter_next(struct mime_html_iter *it, const GumboNode **node_r)
{
	while (it->depth > 0) {
		struct mime_html_iter_frame *top = &it->stack[it->depth - 1];
		const GumboVector *children = node_children(top->node);
		*node_r = top->node;
		if (!top->entered) {
			top->entered = true;
			if (children)
				return MIME_HTML_EV_ENTER;
			it->depth--;
			if (top->node->type == GUMBO_NODE_COMMENT)
				continue;
			return MIME_HTML_EV_TEXT;
		}
		if (top->next < children->length) {
			iter_push(it, children->data[top->next++]);
			continue;
		}
		it->depth--;
		return MIME_HTML_EV_LEAVE;
	}
	return MIME_HTML_EV_END;
}

void mime_html_iter_skip(struct mime_html_iter *it)
{
	struct mime_html_iter_frame *top = &it->stack[it->depth - 1];
	const GumboVector *children = node_children(top->node);
	if (children)
		top->next = children->length;
}

void mime_html_iter_deinit(struct mime_html_iter *it)
{
	free(it->stack);
	it->stack = NULL;
	it->depth = it->cap = 0;
}

/* clang-format off */
static const struct {
	const char *name;
	enum mime_html_url_kind kind;
} url_schemes[] = {
	{ "http",   MIME_HTML_URL_HTTP },
	{ "https",  MIME_HTML_URL_HTTP },
	{ "mailto", MIME_HTML_URL_MAILTO },
	{ "tel",    MIME_HTML_URL_TEL },
	{ "cid",    MIME_HTML_URL_CID },
	{ "data",   MIME_HTML_URL_DATA_IMAGE },
};

static const char *const data_images[] = {
	"image/png;base64,",
	"image/gif;base64,",
	"image/jpeg;base64,",
	"image/webp;base64,",
};
/* clang-format on */

/* True if s (after "data:") is a base64 image of an allowed type. */
static bool data_image_ok(const char *s)
{
	size_t i, n = sizeof(data_images) / sizeof(data_images[0]);
	for (i = 0; i < n; i++)
		if (strncasecmp(s, data_images[i], strlen(data_images[i])) == 0)
			break;
	if (i == n)
		return false;
	s += strlen(data_images[i]);
	if (!*s)
		return false;
	for (; *s; s++)
		if (!is_alpha(*s) && !(*s >= '0' && *s <= '9') && *s != '+' && *s != '/' &&
		    *s != '=')
			return false;
	return true;
}

static enum mime_html_url_kind url_kind(const char *url)
{
	if (url[0] == '#')
		return MIME_HTML_URL_FRAGMENT;
	if (!is_alpha(url[0]))
		return MIME_HTML_URL_BAD;
	size_t n = 1;
	while (is_alpha(url[n]) || (url[n] >= '0' && url[n] <= '9') || url[n] == '+' ||
	       url[n] == '-' || url[n] == '.')
		n++;
	if (url[n] != ':')
		return MIME_HTML_URL_BAD; /* relative: there is no base to resolve it against */
	for (size_t i = 0; i < sizeof(url_schemes) / sizeof(url_schemes[0]); i++) {
		if (strlen(url_schemes[i].name) != n || strncasecmp(url, url_schemes[i].name, n))
			continue;
		if (url_schemes[i].kind == MIME_HTML_URL_DATA_IMAGE && !data_image_ok(url + n + 1))
			return MIME_HTML_URL_BAD;
		if (url_schemes[i].kind == MIME_HTML_URL_CID && !url[n + 1])
			return MIME_HTML_URL_BAD;
		return url_schemes[i].kind;
	}
	return MIME_HTML_URL_BAD;
}

enum mime_html_url_kind mime_html_url_parse(const char *value, struct arena *a, char **clean_r)
{
	size_t n = strlen(value);
	*clean_r = NULL;
	while (n > 0 && (unsigned char)value[n - 1] <= 0x20)
		n--;
	while (n > 0 && (unsigned char)value[0] <= 0x20) {
		value++;
		n--;
	}
	char *clean = arena_alloc(a, n + 1);
	size_t len = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (c < 0x20 || c == 0x7f)
			return MIME_HTML_URL_BAD;
		clean[len++] = (char)c;
	}
	clean[len] = '\0';
	enum mime_html_url_kind kind = url_kind(clean);
	if (kind != MIME_HTML_URL_BAD)
		*clean_r = clean;
	return kind;
}
