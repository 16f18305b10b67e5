/* The HTML sanitiser: parse with gumbo, re-serialise only allowlisted
   elements and attributes, with URLs and inline CSS checked. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/vec.h"
#include "mail/mime/mime_html.h"
#include "mail/mime/mime_html_int.h"
#include "base/banned.h"

/*
 * Design notes.
 *
 * The output is built from the parsed tree, never from input bytes: element
 * and attribute names come from our tables, attribute values are always in
 * double quotes with & < > " escaped, text has & < > escaped. So nothing in the
 * output can start markup that is not ours.
 *
 * Elements (rules[] below) are kept with their allowed attributes, dropped with
 * everything inside, or (anything unlisted) unwrapped: the element goes, its
 * content stays. Every element outside the HTML namespace (svg, math and all
 * inside) is dropped, so the output never enters foreign content where the
 * parser reads text differently (the root of mutation XSS); no raw text element
 * (script, style, textarea, title, xmp, noscript...) is ever written either.
 * Comments are dropped. <style> elements are dropped rather than parsed: inline
 * style attributes are sanitised by mime_html_css.c. id, name and class are
 * dropped (DOM clobbering, spoofing the UI's own classes).
 *
 * URLs: links may be http(s), mailto, tel or "#fragment" and get
 * rel="noopener noreferrer nofollow" target="_blank". Images may be cid: (sent
 * through opts->cid_url_prefix), data:image/{png,gif,jpeg,webp};base64, or
 * http(s) when opts->allow_remote; a blocked remote image keeps its URL in
 * data-remote-src. background attributes follow the image rules.
 *
 * <body> attributes (bgcolor, text, background, style) become a wrapping
 * <div style=...> so dark newsletters stay readable.
 *
 * Idempotence: removing or unwrapping elements can leave a tree the HTML
 * parser would build differently (a <div> directly inside a <p> once a <button>
 * between them is unwrapped), so the output is parsed and sanitised again until
 * it no longer changes (at most MIME_HTML_MAX_PASSES times). Each pass is safe
 * on its own; the repetition only makes sanitize(sanitize(x)) == sanitize(x).
 * Elements nested deeper than MIME_HTML_MAX_DEPTH are unwrapped.
 */

enum html_action {
	HTML_UNWRAP = 0, /* the default for every element not in rules[] */
	HTML_KEEP,
	HTML_DROP,
};

struct html_rule {
	enum html_action action;
	const char *attrs; /* allowed besides common_attrs, separated by spaces */
};

/* Attributes every kept element may have. */
static const char common_attrs[] = "style title dir lang align";

static const char table_attrs[] = "width height border cellpadding cellspacing bgcolor "
				  "background frame rules summary";
static const char img_attrs[] = "src alt width height border hspace vspace data-remote-src";
static const char cell_attrs[] = "colspan rowspan width height bgcolor background valign "
				 "nowrap scope abbr";

/*
 * What happens to each HTML element. To add one: make sure neither it nor any
 * attribute you allow can run script, load anything, submit anything or change
 * how the parser reads its content; for URL attributes add a case to
 * put_checked_attr(); then add a line.
 */
/* clang-format off */
static const struct html_rule rules[GUMBO_TAG_LAST] = {
	/* element                    action      attributes besides common_attrs */
	[GUMBO_TAG_A]            = { HTML_KEEP,  "href" },
	[GUMBO_TAG_ABBR]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_ACRONYM]      = { HTML_KEEP,  "" },
	[GUMBO_TAG_ADDRESS]      = { HTML_KEEP,  "" },
	[GUMBO_TAG_ARTICLE]      = { HTML_KEEP,  "" },
	[GUMBO_TAG_ASIDE]        = { HTML_KEEP,  "" },
	[GUMBO_TAG_B]            = { HTML_KEEP,  "" },
	[GUMBO_TAG_BDI]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_BDO]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_BIG]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_BLOCKQUOTE]   = { HTML_KEEP,  "type" },
	[GUMBO_TAG_BR]           = { HTML_KEEP,  "clear" },
	[GUMBO_TAG_CAPTION]      = { HTML_KEEP,  "" },
	[GUMBO_TAG_CENTER]       = { HTML_KEEP,  "" },
	[GUMBO_TAG_CITE]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_CODE]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_COL]          = { HTML_KEEP,  "span width valign" },
	[GUMBO_TAG_COLGROUP]     = { HTML_KEEP,  "span width valign" },
	[GUMBO_TAG_DD]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_DEL]          = { HTML_KEEP,  "datetime" },
	[GUMBO_TAG_DETAILS]      = { HTML_KEEP,  "" },
	[GUMBO_TAG_DFN]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_DIV]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_DL]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_DT]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_EM]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_FIGCAPTION]   = { HTML_KEEP,  "" },
	[GUMBO_TAG_FIGURE]       = { HTML_KEEP,  "" },
	[GUMBO_TAG_FONT]         = { HTML_KEEP,  "color face size" },
	[GUMBO_TAG_FOOTER]       = { HTML_KEEP,  "" },
	[GUMBO_TAG_H1]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_H2]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_H3]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_H4]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_H5]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_H6]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_HEADER]       = { HTML_KEEP,  "" },
	[GUMBO_TAG_HGROUP]       = { HTML_KEEP,  "" },
	[GUMBO_TAG_HR]           = { HTML_KEEP,  "width size noshade color" },
	[GUMBO_TAG_I]            = { HTML_KEEP,  "" },
	[GUMBO_TAG_IMG]          = { HTML_KEEP,  img_attrs },
	[GUMBO_TAG_INS]          = { HTML_KEEP,  "datetime" },
	[GUMBO_TAG_KBD]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_LI]           = { HTML_KEEP,  "type value" },
	[GUMBO_TAG_MAIN]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_MARK]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_NAV]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_NOBR]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_OL]           = { HTML_KEEP,  "start type reversed" },
	[GUMBO_TAG_P]            = { HTML_KEEP,  "" },
	[GUMBO_TAG_PRE]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_Q]            = { HTML_KEEP,  "" },
	[GUMBO_TAG_RP]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_RT]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_RUBY]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_S]            = { HTML_KEEP,  "" },
	[GUMBO_TAG_SAMP]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_SECTION]      = { HTML_KEEP,  "" },
	[GUMBO_TAG_SMALL]        = { HTML_KEEP,  "" },
	[GUMBO_TAG_SPAN]         = { HTML_KEEP,  "" },
	[GUMBO_TAG_STRIKE]       = { HTML_KEEP,  "" },
	[GUMBO_TAG_STRONG]       = { HTML_KEEP,  "" },
	[GUMBO_TAG_SUB]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_SUMMARY]      = { HTML_KEEP,  "" },
	[GUMBO_TAG_SUP]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_TABLE]        = { HTML_KEEP,  table_attrs },
	[GUMBO_TAG_TBODY]        = { HTML_KEEP,  "valign bgcolor" },
	[GUMBO_TAG_TD]           = { HTML_KEEP,  cell_attrs },
	[GUMBO_TAG_TFOOT]        = { HTML_KEEP,  "valign bgcolor" },
	[GUMBO_TAG_TH]           = { HTML_KEEP,  cell_attrs },
	[GUMBO_TAG_THEAD]        = { HTML_KEEP,  "valign bgcolor" },
	[GUMBO_TAG_TIME]         = { HTML_KEEP,  "datetime" },
	[GUMBO_TAG_TR]           = { HTML_KEEP,  "bgcolor valign height background" },
	[GUMBO_TAG_TT]           = { HTML_KEEP,  "" },
	[GUMBO_TAG_U]            = { HTML_KEEP,  "" },
	[GUMBO_TAG_UL]           = { HTML_KEEP,  "type" },
	[GUMBO_TAG_VAR]          = { HTML_KEEP,  "" },
	[GUMBO_TAG_WBR]          = { HTML_KEEP,  "" },

	[GUMBO_TAG_APPLET]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_AREA]         = { HTML_DROP,  NULL },
	[GUMBO_TAG_AUDIO]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_BASE]         = { HTML_DROP,  NULL },
	[GUMBO_TAG_BASEFONT]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_BGSOUND]      = { HTML_DROP,  NULL },
	[GUMBO_TAG_CANVAS]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_DATALIST]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_EMBED]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_FRAME]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_FRAMESET]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_HEAD]         = { HTML_DROP,  NULL },
	[GUMBO_TAG_IFRAME]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_INPUT]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_ISINDEX]      = { HTML_DROP,  NULL },
	[GUMBO_TAG_KEYGEN]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_LINK]         = { HTML_DROP,  NULL },
	[GUMBO_TAG_MAP]          = { HTML_DROP,  NULL },
	[GUMBO_TAG_MATH]         = { HTML_DROP,  NULL },
	[GUMBO_TAG_MENUITEM]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_META]         = { HTML_DROP,  NULL },
	[GUMBO_TAG_NOEMBED]      = { HTML_DROP,  NULL },
	[GUMBO_TAG_NOFRAMES]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_NOSCRIPT]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_OBJECT]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_OPTGROUP]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_OPTION]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_PARAM]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_SCRIPT]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_SELECT]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_SOURCE]       = { HTML_DROP,  NULL },
	[GUMBO_TAG_STYLE]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_SVG]          = { HTML_DROP,  NULL },
	[GUMBO_TAG_TEMPLATE]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_TEXTAREA]     = { HTML_DROP,  NULL },
	[GUMBO_TAG_TITLE]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_TRACK]        = { HTML_DROP,  NULL },
	[GUMBO_TAG_VIDEO]        = { HTML_DROP,  NULL },
};
/* clang-format on */

/* What LEAVE of a walked node writes. */
enum html_leave {
	LEAVE_NOTHING,
	LEAVE_END_TAG, /* the element's own end tag */
	LEAVE_DIV,     /* </div> of the <body> wrapper */
};

struct san {
	const struct mime_html_opts *opts;
	struct arena *a;
	struct buf out;
	int blocked;
	unsigned depth;		  /* elements open in the output */
	VEC(unsigned char) leave; /* an enum html_leave per open node of the walk */
	bool after_pre;		  /* the last thing written was <pre> */
	bool href_kept;		  /* per element, while writing attributes */
	bool remote_src_kept;
};

static void put_escaped(struct buf *b, const char *s, bool attr)
{
	const char *run = s;
	for (; *s; s++) {
		const char *rep;
		switch (*s) {
		case '&':
			rep = "&amp;";
			break;
		case '<':
			rep = "&lt;";
			break;
		case '>':
			rep = "&gt;";
			break;
		case '"':
			rep = attr ? "&quot;" : NULL;
			break;
		default:
			rep = NULL;
		}
		if (!rep)
			continue;
		buf_append(b, run, (size_t)(s - run));
		buf_puts(b, rep);
		run = s + 1;
	}
	buf_append(b, run, (size_t)(s - run));
}

static void put_attr(struct san *s, const char *name, const char *value)
{
	buf_putc(&s->out, ' ');
	buf_puts(&s->out, name);
	buf_puts(&s->out, "=\"");
	put_escaped(&s->out, value, true);
	buf_putc(&s->out, '"');
}

static bool pct_path_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~' || c == '@';
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* The length of the path character or %XX escape at s, 0 if neither. */
static size_t pct_path_len(const char *s)
{
	if (pct_path_char(*s))
		return 1;
	if (s[0] == '%' && is_hex(s[1]) && is_hex(s[2]))
		return 3;
	return 0;
}

/* True for "." and ".." (also spelled %2e): browsers would resolve such a
   segment out of the cid prefix, to the message or beyond. */
static bool dot_segment(const char *seg)
{
	int dots = 0;
	while (*seg) {
		if (*seg == '.')
			seg++;
		else if (seg[0] == '%' && seg[1] == '2' && (seg[2] == 'e' || seg[2] == 'E'))
			seg += 3;
		else
			return false;
		dots++;
	}
	return dots > 0 && dots <= 2;
}

/* True if seg is a path segment cid_url() could have written. */
static bool cid_segment_ok(const char *seg)
{
	size_t n;
	if (!*seg || dot_segment(seg))
		return false;
	for (; *seg; seg += n)
		if ((n = pct_path_len(seg)) == 0)
			return false;
	return true;
}

/* "cid:X" as opts->cid_url_prefix followed by X percent-encoded as one path
   segment; NULL if that segment would not stay under the prefix. */
static char *cid_url(struct san *s, char *cid)
{
	const char *prefix = s->opts->cid_url_prefix;
	if (!prefix)
		return cid;
	struct buf b;
	buf_init(&b, s->a, MIME_HTML_MAX_OUTPUT);
	buf_puts(&b, prefix);
	for (const char *p = cid + strlen("cid:"); *p;) {
		size_t n = pct_path_len(p);
		if (n)
			buf_append(&b, p, n);
		else
			buf_printf(&b, "%%%02X", (unsigned char)*p);
		p += n ? n : 1;
	}
	char *url = buf_take(&b, NULL);
	return cid_segment_ok(url + strlen(prefix)) ? url : NULL;
}

/* src of an <img> or a background attribute: what loads an image. */
static void put_image_url(struct san *s, const char *name, const char *value, bool is_img)
{
	const char *prefix = s->opts->cid_url_prefix;
	if (prefix && *prefix && strncmp(value, prefix, strlen(prefix)) == 0 &&
	    cid_segment_ok(value + strlen(prefix))) {
		put_attr(s, name, value); /* already rewritten by an earlier pass */
		return;
	}
	char *url;
	switch (mime_html_url_parse(value, s->a, &url)) {
	case MIME_HTML_URL_CID:
		url = cid_url(s, url);
		if (url)
			put_attr(s, name, url);
		break;
	case MIME_HTML_URL_DATA_IMAGE:
		put_attr(s, name, url);
		break;
	case MIME_HTML_URL_HTTP:
		if (s->opts->allow_remote) {
			put_attr(s, name, url);
			break;
		}
		s->blocked++;
		if (is_img && !s->remote_src_kept) {
			s->remote_src_kept = true;
			put_attr(s, "data-remote-src", url);
		}
		break;
	default:
		break;
	}
}

/* Writes one attribute of a kept element if it is allowed and safe. */
static void put_checked_attr(struct san *s, GumboTag tag, const GumboAttribute *attr)
{
	const char *name = attr->name, *value = attr->value;
	char *url;
	if (attr->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE)
		return;
	if (!mime_html_word_in(common_attrs, name) && !mime_html_word_in(rules[tag].attrs, name))
		return;
	if (strcmp(name, "href") == 0) {
		enum mime_html_url_kind kind = mime_html_url_parse(value, s->a, &url);
		if (kind == MIME_HTML_URL_HTTP || kind == MIME_HTML_URL_MAILTO ||
		    kind == MIME_HTML_URL_TEL || kind == MIME_HTML_URL_FRAGMENT) {
			put_attr(s, name, url);
			s->href_kept = true;
		}
	} else if (strcmp(name, "src") == 0 || strcmp(name, "background") == 0) {
		put_image_url(s, name, value, tag == GUMBO_TAG_IMG);
	} else if (strcmp(name, "data-remote-src") == 0) {
		if (!s->remote_src_kept &&
		    mime_html_url_parse(value, s->a, &url) == MIME_HTML_URL_HTTP) {
			s->remote_src_kept = true;
			put_attr(s, name, url);
		}
	} else if (strcmp(name, "style") == 0) {
		const char *css = mime_html_css_sanitize(value, s->opts, s->a, &s->blocked);
		if (*css)
			put_attr(s, name, css);
	} else {
		put_attr(s, name, value);
	}
}

static bool is_void(GumboTag tag)
{
	return tag == GUMBO_TAG_BR || tag == GUMBO_TAG_COL || tag == GUMBO_TAG_HR ||
	       tag == GUMBO_TAG_IMG || tag == GUMBO_TAG_WBR;
}

static void put_start_tag(struct san *s, const GumboElement *el)
{
	buf_putc(&s->out, '<');
	buf_puts(&s->out, gumbo_normalized_tagname(el->tag));
	s->after_pre = false;
	s->href_kept = s->remote_src_kept = false;
	for (unsigned i = 0; i < el->attributes.length; i++)
		put_checked_attr(s, el->tag, el->attributes.data[i]);
	if (el->tag == GUMBO_TAG_A && s->href_kept)
		buf_puts(&s->out, " rel=\"noopener noreferrer nofollow\" target=\"_blank\"");
	buf_putc(&s->out, '>');
}

/* The CSS for the <div> standing in for <body>, "" if none. */
static const char *body_style(struct san *s, const GumboElement *body)
{
	static const struct {
		const char *attr, *css_prefix, *css_suffix;
	} map[] = {
	    {"bgcolor", "background-color:", ";"},
	    {"text", "color:", ";"},
	    {"background", "background-image:url(\"", "\");"},
	    {"style", "", ""},
	};
	struct buf css;
	buf_init(&css, s->a, MIME_HTML_MAX_OUTPUT);
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		const GumboAttribute *attr = gumbo_get_attribute(&body->attributes, map[i].attr);
		if (!attr || attr->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE)
			continue;
		buf_puts(&css, map[i].css_prefix);
		buf_puts(&css, attr->value);
		buf_puts(&css, map[i].css_suffix);
	}
	return mime_html_css_sanitize(css.data, s->opts, s->a, &s->blocked);
}

/* Decides what to do with an element and writes its start tag if kept. */
static enum html_leave enter_element(struct san *s, struct mime_html_iter *it,
				     const GumboNode *node)
{
	const GumboElement *el = &node->v.element;
	enum html_action action = rules[el->tag].action;
	if (node->type == GUMBO_NODE_TEMPLATE || el->tag_namespace != GUMBO_NAMESPACE_HTML)
		action = HTML_DROP;
	if (action == HTML_DROP) {
		mime_html_iter_skip(it);
		return LEAVE_NOTHING;
	}
	if (el->tag == GUMBO_TAG_BODY && s->depth < MIME_HTML_MAX_DEPTH) {
		const char *css = body_style(s, el);
		if (!*css)
			return LEAVE_NOTHING;
		buf_puts(&s->out, "<div");
		put_attr(s, "style", css);
		buf_putc(&s->out, '>');
		s->after_pre = false;
		s->depth++;
		return LEAVE_DIV;
	}
	if (action == HTML_UNWRAP || s->depth >= MIME_HTML_MAX_DEPTH)
		return LEAVE_NOTHING;
	put_start_tag(s, el);
	if (is_void(el->tag)) {
		mime_html_iter_skip(it);
		return LEAVE_NOTHING;
	}
	s->after_pre = el->tag == GUMBO_TAG_PRE;
	s->depth++;
	return LEAVE_END_TAG;
}

static void leave_element(struct san *s, const GumboNode *node, enum html_leave leave)
{
	if (leave == LEAVE_NOTHING)
		return;
	s->depth--;
	s->after_pre = false;
	if (leave == LEAVE_DIV) {
		buf_puts(&s->out, "</div>");
		return;
	}
	buf_puts(&s->out, "</");
	buf_puts(&s->out, gumbo_normalized_tagname(node->v.element.tag));
	buf_putc(&s->out, '>');
}

static void put_text(struct san *s, const GumboNode *node)
{
	const char *text = node->v.text.text;
	if (!*text)
		return;
	/* The parser drops a newline right after <pre>: write one more. */
	if (s->after_pre && text[0] == '\n')
		buf_putc(&s->out, '\n');
	s->after_pre = false;
	put_escaped(&s->out, text, false);
}

/* One pass: parse html and write the allowed part of its tree to *out_r. */
static int sanitize_pass(struct slice html, const struct mime_html_opts *opts, struct arena *a,
			 char **out_r, int *blocked_r, struct err *err)
{
	struct mime_html_tree tree;
	if (mime_html_tree_parse(&tree, html, a, err) < 0)
		return -1;
	struct san s = {.opts = opts, .a = a};
	buf_init(&s.out, a, MIME_HTML_MAX_OUTPUT);
	struct mime_html_iter it;
	const GumboNode *node;
	enum mime_html_ev ev;
	mime_html_iter_init(&it, tree.out->document);
	while ((ev = mime_html_iter_next(&it, &node)) != MIME_HTML_EV_END) {
		if (ev == MIME_HTML_EV_TEXT) {
			put_text(&s, node);
		} else if (ev == MIME_HTML_EV_ENTER) {
			unsigned char leave = node->type == GUMBO_NODE_DOCUMENT
						  ? LEAVE_NOTHING
						  : (unsigned char)enter_element(&s, &it, node);
			VEC_PUSH(s.leave, leave);
		} else {
			leave_element(&s, node, s.leave.items[--s.leave.len]);
		}
	}
	mime_html_iter_deinit(&it);
	VEC_FREE(s.leave);
	mime_html_tree_release(&tree);
	if (buf_finish(&s.out) < 0)
		return err_set(err, ERR_TOOBIG, "sanitised html is larger than %d bytes",
			       MIME_HTML_MAX_OUTPUT);
	*out_r = buf_take(&s.out, NULL);
	*blocked_r = s.blocked;
	return 0;
}

int mime_html_sanitize_result(struct slice html, const struct mime_html_opts *opts, struct arena *a,
			      struct mime_html_result *res_r, struct err *err)
{
	static const struct mime_html_opts defaults;
	char *out, *again;
	int blocked, ignored;
	if (!opts)
		opts = &defaults;
	if (html.len > MIME_HTML_MAX_INPUT)
		return err_set(err, ERR_TOOBIG, "html is larger than %d bytes",
			       MIME_HTML_MAX_INPUT);
	if (sanitize_pass(html, opts, a, &out, &blocked, err) < 0)
		return -1;
	for (int i = 0; i < MIME_HTML_MAX_PASSES; i++) {
		if (sanitize_pass(SLICE_STR(out), opts, a, &again, &ignored, err) < 0)
			return -1;
		if (strcmp(again, out) == 0)
			break;
		out = again;
	}
	res_r->html = out;
	res_r->remote_blocked = blocked;
	return 0;
}

int mime_html_sanitize(struct slice html, const struct mime_html_opts *opts, struct arena *a,
		       char **out_r, struct err *err)
{
	struct mime_html_result res;
	if (mime_html_sanitize_result(html, opts, a, &res, err) < 0)
		return -1;
	*out_r = res.html;
	return 0;
}
