/* Unit tests for mail/mime/mime_html*.c: the sanitiser against public XSS
   vector lists, what it keeps, idempotence, limits, and HTML to text. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <strings.h>

#include <gumbo.h>

#include "test.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/time.h"
#include "mail/mime/mime_html.h"
#include "base/banned.h"

#define CID_PREFIX "/api/v1/mail/messages/42/cid/"

struct vec {
	const char *s;
	size_t n;
};

#define V(lit)                                                                                     \
	{                                                                                          \
		(lit), sizeof(lit) - 1                                                             \
	}

/*
 * XSS vectors, mostly from the OWASP XSS filter evasion cheat sheet,
 * html5sec.org and published mutation XSS (DOMPurify bypasses). Each must come
 * out harmless: see check_safe().
 */
/* clang-format off */
static const struct vec vectors[] = {
	/* script tags, casings, encodings */
	V("<script>alert(1)</script>"),
	V("<SCRIPT>alert(1)</SCRIPT>"),
	V("<ScRiPt>alert(1)</sCrIpT>"),
	V("<script src=http://xss.rocks/xss.js></script>"),
	V("<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>"),
	V("<SCRIPT/SRC=\"http://xss.rocks/xss.js\"></SCRIPT>"),
	V("<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>"),
	V("<SCRIPT SRC=http://xss.rocks/xss.js?< B >"),
	V("<SCRIPT SRC=//xss.rocks/.j>"),
	V("<SCRIPT a=\">\" SRC=\"httx://xss.rocks/xss.js\"></SCRIPT>"),
	V("<scr<script>ipt>alert(1)</scr</script>ipt>"),
	V("<scr\0ipt>alert(1)</scr\0ipt>"),
	V("</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>"),
	V("\"><script>alert(1)</script>"),
	V("'';!--\"<XSS>=&{()}"),
	V("<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\">"),
	V("+ADw-script+AD4-alert(1)+ADw-/script+AD4-"),
	/* event handlers */
	V("<img src=x onerror=alert(1)>"),
	V("<IMG SRC=# onmouseover=\"alert('xxs')\">"),
	V("<IMG SRC= onmouseover=\"alert('xxs')\">"),
	V("<IMG onmouseover=\"alert('xxs')\">"),
	V("<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>"),
	V("<img src=x:alert(alt) onerror=eval(src) alt=0>"),
	V("<img/src/onerror=alert(1)>"),
	V("<img src=`x` onerror=`alert(1)`>"),
	V("<img src=x onerror\x0b=alert(1)>"),
	V("<img src=x onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114"
	  "&#0000105&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116"
	  "&#0000040&#0000039&#0000088&#0000083&#0000083&#0000039&#0000041\">"),
	V("<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>"),
	V("<BODY ONLOAD=alert('XSS')>"),
	V("<body onscroll=alert(1)><br><br><br><input autofocus>"),
	V("<div/onmouseover='alert(1)'>x</div>"),
	V("<a href=\"https://example.com\" onclick=\"alert(1)\">x</a>"),
	V("<details open ontoggle=alert(1)>"),
	V("<marquee onstart=alert(1)>x</marquee>"),
	V("<input onfocus=alert(1) autofocus>"),
	V("<select onfocus=alert(1) autofocus>"),
	V("<textarea onfocus=alert(1) autofocus>"),
	V("<keygen onfocus=alert(1) autofocus>"),
	V("<video><source onerror=\"alert(1)\">"),
	V("<audio src=x onerror=alert(1)>"),
	V("<img src=1 href=1 onerror=\"javascript:alert(1)\"></img>"),
	V("<button form=test onformchange=alert(2)>X</button>"),
	V("<form id=\"test\" onforminput=alert(1)><input></form>"),
	V("<a\"onmouseover=alert(1)>x</a>"),
	/* javascript: and friends in URLs */
	V("<IMG SRC=javascript:alert('XSS')>"),
	V("<IMG SRC=JaVaScRiPt:alert('XSS')>"),
	V("<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>"),
	V("<IMG SRC=\"jav\tascript:alert('XSS');\">"),
	V("<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">"),
	V("<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">"),
	V("<IMG SRC=\"jav&#x0D;ascript:alert('XSS');\">"),
	V("<IMG SRC=\" &#14;  javascript:alert('XSS');\">"),
	V("<a href=\"jav&#x09;ascript:alert(1)\">x</a>"),
	V("<a href=\"java\0script:alert(1)\">x</a>"),
	V("<a href=\"\x01javascript:alert(1)\">x</a>"),
	V("<a href=\" javascript:alert(1)\">x</a>"),
	V("<a href=\"JaVaScRiPt&colon;alert(1)\">x</a>"),
	V("<a href=\"javascript&#58alert(1)\">x</a>"),
	V("<a href=\"&#106;avascript:alert(1)\">x</a>"),
	V("<a "
	  "href=\"&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)\">x</a>"),
	V("<a href=\"javas\ncript:alert(1)\">x</a>"),
	V("<a href=\"javascript://%0aalert(1)\">x</a>"),
	V("<a href=javascript:alert(1)>x</a>"),
	V("<a href=\"\\u006aavascript:alert(1)\">x</a>"),
	V("<A HREF=\"javascript:document.location='http://www.google.com/'\">XSS</A>"),
	V("<A HREF=\"//www.google.com/\">XSS</A>"),
	V("<a href=\"vbscript:msgbox(1)\">x</a>"),
	V("<IMG SRC='vbscript:msgbox(\"XSS\")'>"),
	V("<IMG SRC=\"livescript:[code]\">"),
	V("<a href=\"  mocha:alert(1)\">x</a>"),
	V("<a href=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">x</a>"),
	V("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>"),
	V("<img src=\"data:image/svg+xml,<svg onload=alert(1)>\">"),
	V("<img src=\"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+\">"),
	V("<img src=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\">"),
	V("<img src=\"data:image/png;base64,iVBOR<script>\">"),
	V("<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">"),
	V("<IMG DYNSRC=\"javascript:alert('XSS')\">"),
	V("<IMG LOWSRC=\"javascript:alert('XSS')\">"),
	V("<img srcset=\"javascript:alert(1)\">"),
	V("<BGSOUND SRC=\"javascript:alert('XSS');\">"),
	V("<BR SIZE=\"&{alert('XSS')}\">"),
	V("<BODY BACKGROUND=\"javascript:alert('XSS')\">"),
	V("<TABLE BACKGROUND=\"javascript:alert('XSS')\">"),
	V("<TABLE><TD BACKGROUND=\"javascript:alert('XSS')\">"),
	V("<isindex action=javascript:alert(1) type=image>"),
	V("<form><button formaction=javascript:alert(1)>X</button></form>"),
	V("<FORM ACTION=\"javascript:alert(1)\"><INPUT TYPE=SUBMIT></FORM>"),
	/* style sheets and CSS */
	V("<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>"),
	V("<STYLE>@import'http://xss.rocks/xss.css';</STYLE>"),
	V("<STYLE>@im\\port'\\ja\\vasc\\ript:alert(\"XSS\")';</STYLE>"),
	V("<STYLE>BODY{-moz-binding:url(\"http://xss.rocks/xssmoz.xml#xss\")}</STYLE>"),
	V("<STYLE TYPE=\"text/javascript\">alert('XSS');</STYLE>"),
	V("<STYLE>.XSS{background-image:url(\"javascript:alert('XSS')\");}</STYLE><A CLASS=XSS></A>"),
	V("<IMG STYLE=\"xss:expr/*XSS*/ession(alert('XSS'))\">"),
	V("<XSS STYLE=\"xss:expression(alert('XSS'))\">"),
	V("<XSS STYLE=\"behavior: url(xss.htc);\">"),
	V("<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">"),
	V("<DIV STYLE=\"background-image:\\0075\\0072\\006C\\0028'\\006a\\0061\\0076\\0061\\0073"
	  "\\0063\\0072\\0069\\0070\\0074\\003a\\0061\\006c\\0065\\0072\\0074\\0028\\0027\\0058"
	  "\\0029'\\0029\">"),
	V("<DIV STYLE=\"background-image: url(&#1;javascript:alert('XSS'))\">"),
	V("<DIV STYLE=\"width: expression(alert('XSS'));\">"),
	V("<div style=\"x:\\65xpression(alert(1))\">x</div>"),
	V("<div style=\"width:ｅｘｐｒｅｓｓｉｏｎ(alert(1))\">x</div>"),
	V("<div style=\"background:url(&quot;javascript:alert(1)&quot;)\">x</div>"),
	V("<div style=\"-moz-binding:url(http://x/x.xml#x)\">x</div>"),
	V("<div style=\"color:red;background:url(http://evil/x.png)\">x</div>"),
	V("<div style=\"color:red/*;background:url(javascript:alert(1))*/\">x</div>"),
	V("<div style=\"font-family:'a;background:url(javascript:alert(1))'\">x</div>"),
	V("<div style=\"background:url(javascript:alert(1)\">x</div>"),
	V("<a style=\"position:fixed;top:0;left:0;width:100%;height:100%\" "
	  "href=\"http://evil\">x</a>"),
	/* meta, link, base, frames, objects */
	V("<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">"),
	V("<LINK REL=\"stylesheet\" HREF=\"http://xss.rocks/xss.css\">"),
	V("<META HTTP-EQUIV=\"Link\" Content=\"<http://xss.rocks/xss.css>; REL=stylesheet\">"),
	V("<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=javascript:alert('XSS');\">"),
	V("<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html base64,"
	  "PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">"),
	V("<meta charset=\"x-imap4-modified-utf7\">&ADz&AGn&AG0&AEf&ACA&AHM&AHI&AGO&AD0&AGn"),
	V("<BASE HREF=\"javascript:alert('XSS');//\">"),
	V("<base href=\"http://evil/\"><a href=\"x\">x</a>"),
	V("<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>"),
	V("<IFRAME SRC=# onmouseover=\"alert(document.cookie)\"></IFRAME>"),
	V("<iframe src=http://xss.rocks/scriptlet.html <"),
	V("<iframe srcdoc=\"&lt;script&gt;alert(1)&lt;/script&gt;\"></iframe>"),
	V("<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>"),
	V("<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>"),
	V("<object data=\"javascript:alert(1)\">"),
	V("<object data=\"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==\"></object>"),
	V("<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH\" "
	  "type=\"image/svg+xml\" AllowScriptAccess=\"always\"></EMBED>"),
	V("<embed src=\"javascript:alert(1)\">"),
	V("<applet code=\"javascript:confirm(document.cookie);\">"),
	/* svg and math */
	V("<svg/onload=alert('XSS')>"),
	V("<svg><script>alert(1)</script></svg>"),
	V("<svg><a xlink:href=\"javascript:alert(1)\"><rect width=100 height=100 /></a></svg>"),
	V("<svg><animate onbegin=alert(1) attributeName=x dur=1s>"),
	V("<svg><set attributeName=href to=javascript:alert(1)>"),
	V("<svg><style><img src=x onerror=alert(1)></style></svg>"),
	V("<svg></p><style><a id=\"</style><img src=1 onerror=alert(1)>\">"),
	V("<svg><![CDATA[><img src=x onerror=alert(1)>]]></svg>"),
	V("<svg><foreignObject><img src=x onerror=alert(1)></foreignObject></svg>"),
	V("<math href=\"javascript:javascript:alert(1)\">CLICKME</math>"),
	V("<math><a xlink:href=\"javascript:alert(1)\">click</a></math>"),
	V("<math><maction actiontype=\"statusline#http://google.com\" "
	  "xlink:href=\"javascript:alert(2)\">CLICKME</maction></math>"),
	V("<math><mtext><table><mglyph><style><!--</style><img title=\"--&gt;&lt;/mglyph&gt;"
	  "&lt;img&Tab;src=1&Tab;onerror=alert(1)&gt;\">"),
	V("<form><math><mtext></form><form><mglyph><style></math><img src onerror=alert(1)>"),
	V("<math><mi><table><mglyph><svg><mtext><style><path id=\"</style><img onerror=alert(1) "
	  "src>\">"),
	/* parsing differentials: raw text, comments, CDATA */
	V("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>"),
	V("<noembed><img title=\"</noembed><img src onerror=alert(1)>\"></noembed>"),
	V("<noframes><img title=\"</noframes><img src onerror=alert(1)>\"></noframes>"),
	V("<title><img title=\"</title><img src onerror=alert(1)>\"></title>"),
	V("<textarea><img title=\"</textarea><img src onerror=alert(1)>\"></textarea>"),
	V("<xmp><img title=\"</xmp><img src onerror=alert(1)>\"></xmp>"),
	V("<xmp><img src=x onerror=alert(1)></xmp>"),
	V("<listing>&lt;img onerror=alert(1) src=x&gt;</listing>"),
	V("<plaintext><script>alert(1)</script>"),
	V("<template><script>alert(1)</script></template>"),
	V("<template><img src=x onerror=alert(1)></template>"),
	V("<!--<img src=x onerror=alert(1)>-->"),
	V("<!--[if]><script>alert(1)</script -->"),
	V("<!--[if<img src=x onerror=alert(1)//]> -->"),
	V("<!-- --!><img src=x onerror=alert(1)> -->"),
	V("<![CDATA[<img src=x onerror=alert(1)>]]>"),
	V("<?xml version=\"1.0\"?><img src=x onerror=alert(1)>"),
	V("<a href=\"x\" title=\"<script>alert(1)</script>\">x</a>"),
	V("<img src=\"x` `<script>alert(1)</script>\"` `>"),
	V("<p id=\"</p><script>alert(1)</script>\">x</p>"),
	V("<div title=\"&quot;><script>alert(1)</script>\">x</div>"),
	V("<img alt=\"\"\"><script>alert(1)</script>\">"),
	/* unclosed tags, unquoted attributes */
	V("<img src=x onerror=alert(1)"),
	V("<img src=x onerror=alert(1)//"),
	V("<a href=javascript:alert(1)"),
	V("<script>alert(1)"),
	V("<div><script>alert(1)</div>"),
	V("<table><tr><td><script>alert(1)</script></td></tr></table>"),
	V("<table><img src=x onerror=alert(1)>"),
	V("<table><form><input type=hidden onfocus=alert(1)></form></table>"),
	/* DOM clobbering */
	V("<a id=\"x\" name=\"x\">x</a><img src=x id=cookie name=cookie>"),
	V("<form name=\"body\"><img name=\"attributes\"></form>"),
};
/* clang-format on */

/*
 * The independent allowlist the output is checked against: what the
 * sanitiser may emit, written again here rather than taken from its tables.
 */
static const char ok_elements[] =
    "a abbr acronym address article aside b bdi bdo big blockquote br caption center cite "
    "code col colgroup dd del details dfn div dl dt em figcaption figure font footer h1 h2 "
    "h3 h4 h5 h6 header hgroup hr i img ins kbd li main mark nav nobr ol p pre q rp rt ruby "
    "s samp section small span strike strong sub summary sup table tbody td tfoot th thead "
    "time tr tt u ul var wbr";

static const char ok_attrs[] =
    "href src alt title style dir lang align width height border cellpadding cellspacing "
    "bgcolor background valign colspan rowspan nowrap scope abbr color face size noshade "
    "clear span start type reversed value datetime hspace vspace frame rules summary rel "
    "target data-remote-src";

/* True if word is one of the space-separated words of list. */
static bool in_list(const char *list, const char *word)
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

static bool starts_ci(const char *s, const char *prefix)
{
	return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

static bool contains_ci(const char *s, const char *needle)
{
	for (; *s; s++)
		if (starts_ci(s, needle))
			return true;
	return false;
}

static bool image_url_ok(const char *v, bool allow_remote)
{
	if (starts_ci(v, "cid:") || starts_ci(v, CID_PREFIX))
		return true;
	if (allow_remote && (starts_ci(v, "http://") || starts_ci(v, "https://")))
		return true;
	return starts_ci(v, "data:image/png;base64,") || starts_ci(v, "data:image/gif;base64,") ||
	       starts_ci(v, "data:image/jpeg;base64,") || starts_ci(v, "data:image/webp;base64,");
}

/* Why the attribute is unsafe, or NULL. */
static const char *attr_problem(const GumboAttribute *at, bool allow_remote)
{
	const char *n = at->name, *v = at->value;
	if (at->attr_namespace != GUMBO_ATTR_NAMESPACE_NONE)
		return "namespaced attribute";
	if (starts_ci(n, "on"))
		return "event handler";
	if (!in_list(ok_attrs, n))
		return "attribute not allowed";
	if (strcmp(n, "href") == 0 && !starts_ci(v, "http://") && !starts_ci(v, "https://") &&
	    !starts_ci(v, "mailto:") && !starts_ci(v, "tel:") && v[0] != '#')
		return "bad href";
	if ((strcmp(n, "src") == 0 || strcmp(n, "background") == 0) &&
	    !image_url_ok(v, allow_remote))
		return "bad image url";
	if (strcmp(n, "data-remote-src") == 0 && !starts_ci(v, "http://") &&
	    !starts_ci(v, "https://"))
		return "bad data-remote-src";
	if (strcmp(n, "rel") == 0 && strcmp(v, "noopener noreferrer nofollow") != 0)
		return "bad rel";
	if (strcmp(n, "target") == 0 && strcmp(v, "_blank") != 0)
		return "bad target";
	if (contains_ci(v, "javascript:") && strcmp(n, "title") != 0 && strcmp(n, "alt") != 0)
		return "javascript: in a value";
	if (strcmp(n, "style") == 0) {
		static const char *const bad[] = {"expression", "javascript", "vbscript", "\\",
						  "@",		"behavior",   "binding",  "/*",
						  "position",	"<"};
		for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
			if (contains_ci(v, bad[i]))
				return "bad style";
		for (const char *u = v; (u = strstr(u, "url(")) != NULL; u += 4)
			if (!allow_remote ||
			    (!starts_ci(u + 4, "http://") && !starts_ci(u + 4, "https://")))
				return "url() in style";
	}
	return NULL;
}

/* Why the tree under node is unsafe, or NULL (recursion: output depth is capped). */
static const char *tree_problem(const GumboNode *node, bool allow_remote, int depth)
{
	if (node->type == GUMBO_NODE_TEXT || node->type == GUMBO_NODE_WHITESPACE)
		return NULL;
	if (node->type != GUMBO_NODE_ELEMENT)
		return "comment, CDATA or template in the output";
	const GumboElement *el = &node->v.element;
	const char *name = gumbo_normalized_tagname(el->tag);
	if (depth > MIME_HTML_MAX_DEPTH + 3)
		return "nested too deep";
	if (el->tag_namespace != GUMBO_NAMESPACE_HTML)
		return "foreign element";
	if (depth < 3 &&
	    (el->tag == GUMBO_TAG_HTML || el->tag == GUMBO_TAG_HEAD || el->tag == GUMBO_TAG_BODY)) {
		if (el->attributes.length)
			return "attributes on html/head/body";
		if (el->tag == GUMBO_TAG_HEAD && el->children.length)
			return "content in head";
	} else if (!in_list(ok_elements, name)) {
		return "element not allowed";
	}
	for (unsigned i = 0; i < el->attributes.length; i++) {
		const char *p = attr_problem(el->attributes.data[i], allow_remote);
		if (p)
			return p;
	}
	for (unsigned i = 0; i < el->children.length; i++) {
		const char *p = tree_problem(el->children.data[i], allow_remote, depth + 1);
		if (p)
			return p;
	}
	return NULL;
}

/* Raw checks on the bytes: in every tag, no forbidden name and no on*= attribute. */
static const char *bytes_problem(const char *html)
{
	static const char *const bad_tags[] = {"script", "iframe", "object", "embed",	"svg",
					       "math",	 "base",   "meta",   "link",	"form",
					       "style",	 "frame",  "applet", "template"};
	for (const char *p = html; (p = strchr(p, '<')) != NULL; p++) {
		const char *end = strchr(p, '>');
		if (!end)
			return "unterminated tag";
		const char *name = p[1] == '/' ? p + 2 : p + 1;
		size_t n = 0;
		while (isalnum((unsigned char)name[n]))
			n++;
		for (size_t i = 0; i < sizeof(bad_tags) / sizeof(bad_tags[0]); i++)
			if (n == strlen(bad_tags[i]) && strncasecmp(name, bad_tags[i], n) == 0)
				return "forbidden tag";
		for (const char *q = p; q < end; q++) {
			if (q[0] == '"') { /* values are quoted and have no raw '"' */
				q = strchr(q + 1, '"');
				if (!q || q > end)
					return "unbalanced quotes";
				continue;
			}
			if (isspace((unsigned char)q[0]) && starts_ci(q + 1, "on")) {
				const char *r = q + 3;
				while (isalpha((unsigned char)*r))
					r++;
				if (*r == '=')
					return "event handler attribute";
			}
		}
		p = end;
	}
	return NULL;
}

/* Checks out (sanitised from case idx) byte-wise and through gumbo. */
static void check_safe(const char *out, bool allow_remote, size_t idx)
{
	const char *p = bytes_problem(out);
	CHECK_MSG(!p, "case %zu: %s in %s", idx, p, out);
	GumboOutput *g = gumbo_parse(out);
	p = tree_problem(g->root, allow_remote, 0);
	CHECK_MSG(!p, "case %zu: %s in %s", idx, p, out);
	gumbo_destroy_output(&kGumboDefaultOptions, g);
}

/* Sanitises, checks safety and idempotence; returns the output (in a). */
static char *sanitize_checked(struct slice in, const struct mime_html_opts *opts, struct arena *a,
			      size_t idx)
{
	struct err err = {0};
	char *out = NULL, *again = NULL;
	if (!CHECK_MSG(mime_html_sanitize(in, opts, a, &out, &err) == 0, "case %zu: %s", idx,
		       err.msg))
		return NULL;
	check_safe(out, opts && opts->allow_remote, idx);
	if (CHECK_MSG(mime_html_sanitize(SLICE_STR(out), opts, a, &again, &err) == 0,
		      "case %zu again: %s", idx, err.msg))
		CHECK_MSG(strcmp(out, again) == 0, "case %zu not idempotent:\n#   %s\n#   %s", idx,
			  out, again);
	return out;
}

static void test_mime_html__xss_vectors(void)
{
	CHECK(sizeof(vectors) / sizeof(vectors[0]) >= 80);
	struct arena *a = arena_new();
	for (int remote = 0; remote <= 1; remote++) {
		struct mime_html_opts opts = {.cid_url_prefix = CID_PREFIX, .allow_remote = remote};
		for (size_t i = 0; i < sizeof(vectors) / sizeof(vectors[0]); i++) {
			char *out = sanitize_checked((struct slice){vectors[i].s, vectors[i].n},
						     &opts, a, i);
			CHECK_MSG(!out || !contains_ci(out, "<script"), "case %zu", i);
		}
	}
	arena_free(&a);
}

static void test_mime_html__keeps(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"<p>Hello <b>world</b></p>", "<p>Hello <b>world</b></p>"},
	    {"<table width=\"600\" cellpadding=\"0\" bgcolor=\"#ffffff\" class=\"x\"><tr>"
	     "<td style=\"color:#333333; font-family: Arial, sans-serif; font-size:14px\">Hi"
	     "</td></tr></table>",
	     "<table width=\"600\" cellpadding=\"0\" bgcolor=\"#ffffff\"><tbody><tr><td "
	     "style=\"color:#333333;font-family:Arial, sans-serif;font-size:14px\">Hi</td>"
	     "</tr></tbody></table>"},
	    {"<a href=\"https://example.com/?a=1&amp;b=2\" title=\"t\" target=\"_self\">go</a>",
	     "<a href=\"https://example.com/?a=1&amp;b=2\" title=\"t\" rel=\"noopener "
	     "noreferrer nofollow\" target=\"_blank\">go</a>"},
	    {"<a href=\" MAILTO:bob@example.com\">Bob</a>",
	     "<a href=\"MAILTO:bob@example.com\" rel=\"noopener noreferrer nofollow\" "
	     "target=\"_blank\">Bob</a>"},
	    {"<a href=\"#top\">up</a><a href=\"tel:+4930123\">call</a><a>plain</a>",
	     "<a href=\"#top\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">up</a>"
	     "<a href=\"tel:+4930123\" rel=\"noopener noreferrer nofollow\" "
	     "target=\"_blank\">call</a><a>plain</a>"},
	    {"<img src=\"cid:logo@example.com\" alt=\"Logo\" width=\"100\">",
	     "<img src=\"" CID_PREFIX "logo@example.com\" alt=\"Logo\" width=\"100\">"},
	    {"<img src=\"cid:a b/c%41\">", "<img src=\"" CID_PREFIX "a%20b%2Fc%41\">"},
	    {"<img src=\"cid:..\" alt=1><img src=\"cid:%2e%2E\" alt=2><img src=\"cid:.\" alt=3>"
	     "<img src=\"" CID_PREFIX "..\" alt=4><img src=\"cid:...\" alt=5>",
	     "<img alt=\"1\"><img alt=\"2\"><img alt=\"3\"><img alt=\"4\"><img src=\"" CID_PREFIX
	     "...\" alt=\"5\">"},
	    {"<img src=\"data:image/png;base64,iVBORw0KGgo=\">",
	     "<img src=\"data:image/png;base64,iVBORw0KGgo=\">"},
	    {"<font face=\"Arial\" color=\"red\" size=\"2\">x</font>",
	     "<font face=\"Arial\" color=\"red\" size=\"2\">x</font>"},
	    {"<ul><li>a</li><li>b</ul>", "<ul><li>a</li><li>b</li></ul>"},
	    {"<ol start=\"3\" type=\"a\"><li>x</ol>", "<ol start=\"3\" type=\"a\"><li>x</li></ol>"},
	    {"<custom-tag>x</custom-tag><o:p>y</o:p>", "xy"},
	    {"a &lt; b &amp; c &gt; d &quot; &eacute;", "a &lt; b &amp; c &gt; d \" \xc3\xa9"},
	    {"<center><h1 align=\"center\">T</h1></center>",
	     "<center><h1 align=\"center\">T</h1></center>"},
	    {"<blockquote type=\"cite\" cite=\"http://x\">q</blockquote>",
	     "<blockquote type=\"cite\">q</blockquote>"},
	    {"<pre>code\n  x</pre>", "<pre>code\n  x</pre>"},
	    {"<pre>\n\nx</pre>", "<pre>\n\nx</pre>"},
	    {"a<br/>b<hr>c<wbr>", "a<br>b<hr>c<wbr>"},
	    {"<span style=\"COLOR: Red !important\">x</span>",
	     "<span style=\"color:Red !important\">x</span>"},
	    {"<span style=\"color: rgb( 1, 2, 3 );;font-family:'Helvetica Neue', "
	     "&quot;\xe5\xbe\xae\xe8\xbd\xaf&quot;\">x</span>",
	     "<span style=\"color:rgb(1, 2, 3);font-family:'Helvetica Neue', "
	     "&quot;\xe5\xbe\xae\xe8\xbd\xaf&quot;\">x</span>"},
	    {"<span style=\"position:absolute;color:blue\">x</span>",
	     "<span style=\"color:blue\">x</span>"},
	    {"<span style=\"position:absolute\">x</span>", "<span>x</span>"},
	    {"<body bgcolor=\"#000000\" text=\"#ffffff\"><p>dark</p></body>",
	     "<div style=\"background-color:#000000;color:#ffffff\"><p>dark</p></div>"},
	    {"<html><head><title>t</title><style>p{}</style></head><body>hi</body></html>", "hi"},
	    {"<dl><dt>t</dt><dd>d</dd></dl>", "<dl><dt>t</dt><dd>d</dd></dl>"},
	    {"<p>one<p>two", "<p>one</p><p>two</p>"},
	    {"<b><i>x</b>y</i>", "<b><i>x</i></b><i>y</i>"},
	    {"<td>stray</td><tr>", "stray"},
	    {"", ""},
	};
	struct arena *a = arena_new();
	struct mime_html_opts opts = {.cid_url_prefix = CID_PREFIX};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = sanitize_checked(SLICE_STR(cases[i].in), &opts, a, i);
		CHECK_MSG(out && strcmp(out, cases[i].out) == 0, "case %zu:\n#   %s\n#   %s", i,
			  out ? out : "(null)", cases[i].out);
	}
	arena_free(&a);
}

static void test_mime_html__remote(void)
{
	static const char in[] =
	    "<img src=\"http://t.example/p.gif\" width=1>"
	    "<img src=\"https://x.example/y.png\" data-remote-src=\"http://z\">"
	    "<table background=\"http://x.example/bg.png\"><tr><td style=\""
	    "color:red;background-image:url('http://x.example/z.png')\">t</td>"
	    "</tr></table>";
	struct arena *a = arena_new();
	struct err err = {0};
	struct mime_html_result res;
	struct mime_html_opts opts = {0};
	CHECK(mime_html_sanitize_result(SLICE_LIT(in), &opts, a, &res, &err) == 0);
	CHECK_INT(res.remote_blocked, 4);
	CHECK_STR(res.html, "<img data-remote-src=\"http://t.example/p.gif\" width=\"1\">"
			    "<img data-remote-src=\"https://x.example/y.png\"><table><tbody><tr>"
			    "<td style=\"color:red\">t</td></tr></tbody></table>");
	check_safe(res.html, false, 0);
	opts.allow_remote = true;
	CHECK(mime_html_sanitize_result(SLICE_LIT(in), &opts, a, &res, &err) == 0);
	CHECK_INT(res.remote_blocked, 0);
	CHECK_STR(res.html, "<img src=\"http://t.example/p.gif\" width=\"1\">"
			    "<img src=\"https://x.example/y.png\" data-remote-src=\"http://z\">"
			    "<table background=\"http://x.example/bg.png\"><tbody><tr><td style=\""
			    "color:red;background-image:url(http://x.example/z.png)\">t</td></tr>"
			    "</tbody></table>");
	check_safe(res.html, true, 1);
	CHECK(mime_html_sanitize_result(SLICE_LIT(in), NULL, a, &res, &err) == 0);
	CHECK_INT(res.remote_blocked, 4);
	arena_free(&a);
}

/* Inputs whose first pass leaves a tree the parser would rebuild differently. */
static void test_mime_html__idempotent(void)
{
	static const char *const cases[] = {
	    "<p>a<button><div>b</div></button>c</p>",
	    "<li>a<fieldset><li>b</li></fieldset></li>",
	    "<a href=\"http://a\">1<marquee><a href=\"http://b\">2</a></marquee></a>",
	    "<a href=\"http://a\">1<object><a href=\"http://b\">2</a></object></a>",
	    "<table><tr><td>a<table><caption><div>x</table></td></tr></table>",
	    "<pre><span>\nx</span></pre>",
	    "<pre><custom>\n\nx</custom></pre>",
	    "<p><svg><p>in svg</p></svg>after</p>",
	    "<dl><dt>a<form><dd>b</dd></form></dl>",
	    "<h1>a<label><h2>b</h2></label></h1>",
	    "<table><tr><td>x</td><form><td>y</td></form></tr></table>",
	    "<ul><li>a<select><li>b</select></ul>",
	    "<p>x<listing>\ny</listing>",
	    "<b><table><tr><td>in</td></tr></table>out</b>",
	    "<!DOCTYPE html><p><table><tr><td>x</td></tr></table>",
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		sanitize_checked(SLICE_STR(cases[i]), NULL, a, i);
	arena_free(&a);
}

/* A tiny deterministic PRNG so failures reproduce. */
static uint32_t rng_next(uint32_t *state)
{
	*state = *state * 1103515245u + 12345u;
	return *state >> 8;
}

/* Random tag soup from dangerous pieces, checked like the vectors. */
static void test_mime_html__random_soup(void)
{
	/* clang-format off */
	static const char *const pieces[] = {
		"<p>", "</p>", "<div>", "</div>", "<table>", "<tr>", "<td>", "</table>",
		"<svg>", "</svg>", "<math>", "<mtext>", "<mglyph>", "<style>", "</style>",
		"<script>", "</script>", "<img src=x onerror=alert(1)>",
		"<a href=javascript:alert(1)>", "<a href=http://x>", "</a>", "<b>", "</b>",
		"<i>", "<!--", "-->", "<![CDATA[", "]]>", "<noscript>", "</noscript>",
		"<textarea>", "</textarea>", "<title>", "<xmp>", "<template>", "</template>",
		"<form>", "</form>", "<button>", "<select>", "<option>", "<li>", "<ul>",
		"<pre>", "\n", "text", "&lt;", "&amp;", "\"", "'", "<", ">", "=",
		"<foreignObject>", "<desc>", "<plaintext>", "<iframe>", "<object>",
		"<marquee>", "<font color=red>", "<span style=\"color:red\">",
		"<img src=cid:x>", "<body onload=alert(1)>", "<frameset>",
	};
	/* clang-format on */
	struct arena *a = arena_new();
	uint32_t seed = 12345;
	size_t n = sizeof(pieces) / sizeof(pieces[0]);
	for (size_t i = 0; i < 1500; i++) {
		struct buf b;
		buf_init(&b, a, 1 << 16);
		size_t len = 1 + rng_next(&seed) % 30;
		for (size_t k = 0; k < len; k++)
			buf_puts(&b, pieces[rng_next(&seed) % n]);
		struct mime_html_opts opts = {.allow_remote = i % 2};
		sanitize_checked((struct slice){b.data, b.len}, &opts, a, i);
		if (i % 100 == 99) {
			arena_free(&a);
			a = arena_new();
		}
	}
	arena_free(&a);
}

static void test_mime_html__text(void)
{
	static const struct {
		const char *in, *out;
	} cases[] = {
	    {"<p>Hello  <b>world</b></p><p>Second\n para</p>", "Hello world\n\nSecond para"},
	    {"a<br>b<br><br><br>c", "a\nb\n\nc"},
	    {"<ul><li>one</li><li>two<ul><li>inner</li></ul></li></ul>after",
	     "- one\n- two\n  - inner\n\nafter"},
	    {"<ol start=\"3\"><li>x</li><li>y</li></ol>", "3. x\n4. y"},
	    {"<a href=\"https://example.com/x\">Click</a> here",
	     "Click (https://example.com/x) here"},
	    {"<a href=\"https://example.com/\">https://example.com</a>", "https://example.com"},
	    {"<a href=\"http://www.example.com\">example.com</a>", "example.com"},
	    {"<a href=\"mailto:bob@example.com?subject=hi\">bob@example.com</a>",
	     "bob@example.com"},
	    {"<a href=\"mailto:bob@example.com\">Bob</a>", "Bob (bob@example.com)"},
	    {"<a href=\"javascript:alert(1)\">x</a>", "x"},
	    {"<ul><li><a href=\"http://x.example\">x.example</a></li></ul>"
	     "<blockquote><a href=\"https://y.example/p\"><b>Y</b></a></blockquote>",
	     "- x.example\n\n> Y (https://y.example/p)"},
	    {"<a href=\"https://x.example/\"><img src=\"cid:a\"></a>", ""},
	    {"<head><title>T</title><style>p{}</style></head><body><script>x()</script>Body"
	     "<noscript>ns</noscript><template>t</template></body>",
	     "Body"},
	    {"<blockquote>quoted<br>text</blockquote>reply", "> quoted\n> text\n\nreply"},
	    {"<pre>  a\n    b  </pre>tail", "a\n    b\n\ntail"},
	    {"<table><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>",
	     "a b\nc d"},
	    {"&nbsp;&nbsp;x&zwnj;&#847;y&shy;z &#8203; w", "xyz w"},
	    {"<p>one</p>\n\n<p></p><p></p><div><br></div><p>two</p>", "one\n\ntwo"},
	    {"<h1>Title</h1>text", "Title\n\ntext"},
	    {"caf&eacute; &amp; &lt;tag&gt;", "caf\xc3\xa9 & <tag>"},
	    {"<div>a</div><div>b</div>", "a\nb"},
	    {"<svg><text>hidden</text></svg>shown", "shown"},
	    {"   \n\t ", ""},
	    {"", ""},
	};
	struct arena *a = arena_new();
	struct err err = {0};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *out = NULL;
		CHECK_MSG(mime_html_to_text(SLICE_STR(cases[i].in), a, &out, &err) == 0, "case %zu",
			  i);
		CHECK_MSG(out && strcmp(out, cases[i].out) == 0, "case %zu:\n#   [%s]\n#   [%s]", i,
			  out ? out : "(null)", cases[i].out);
	}
	arena_free(&a);
}

/* Input that is n copies of unit (then n of close), for deep nesting. */
static struct slice repeat(struct arena *a, const char *unit, const char *close, size_t n)
{
	struct buf b;
	buf_init(&b, a, MIME_HTML_MAX_INPUT);
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, unit, (unsigned)i);
	buf_puts(&b, "deep");
	for (size_t i = 0; i < n; i++)
		buf_puts(&b, close);
	return (struct slice){b.data, b.len};
}

/* CPU seconds this thread used since t0 (time_cpu_ns()): the work done, which
   a machine busy with other tests does not inflate. */
static double seconds_since(int64_t t0)
{
	return (double)(time_cpu_ns() - t0) / 1e9;
}

/* 100k levels of nesting, including tricks that hide end tags from the
   depth estimate: each must render, fast. */
static void test_mime_html__deep_nesting(void)
{
	static const struct {
		const char *unit, *close;
	} cases[] = {
	    {"<div>", ""},
	    {"<div>", "</div>"},
	    {"<b>", ""},
	    {"<span>", "</span>"},
	    {"<table><tr><td>", ""},
	    {"<a href=\"http://x\">", ""},
	    {"<font color=red>", ""},
	    {"<ul><li>", ""},
	    {"<blockquote>", ""},
	    {"<svg><g>", ""},
	    {"<button>", ""},
	    {"<select><option>", ""},
	    {"<x-%u>", ""},
	    {"<div><script><!--<script></script></div>--></script>", ""},
	    {"<div><svg><![CDATA[</div>]]></svg>", ""},
	    {"<div><?x </div> >", ""},
	    {"<div><title></div></title>", ""},
	    {"<div><a title=\"x></div>\">", ""},
	    {"<div><!--</div>-->", ""},
	    {"<a title=\"", ""},
	    {"<!--", ""},
	    {"<a<a", ""},
	    {"<style>", ""},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct slice in = repeat(a, cases[i].unit, cases[i].close, 100000);
		struct err err = {0};
		char *out = NULL;
		int64_t t0 = time_cpu_ns();
		CHECK_MSG(mime_html_sanitize(in, NULL, a, &out, &err) == 0, "case %zu: %s", i,
			  err.msg);
		if (out)
			check_safe(out, false, i);
		CHECK_MSG(mime_html_to_text(in, a, &out, &err) == 0, "case %zu: %s", i, err.msg);
		double secs = seconds_since(t0);
		CHECK_MSG(secs < 10, "case %zu took %.1f s", i, secs);
		arena_free(&a);
		a = arena_new();
	}
	arena_free(&a);
}

/* Input that makes gumbo itself quadratic ends in ERR_TOOBIG, in bounded
   memory (formatting elements cloned) or time (attributes compared). */
static void test_mime_html__parse_budget(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	char *out;
	struct slice in = repeat(a, "<p><b id=%u>x</p>", "", 100000);
	CHECK(mime_html_sanitize(in, NULL, a, &out, &err) < 0);
	CHECK_INT(err.code, ERR_TOOBIG);
	err.code = ERR_OK;
	CHECK(mime_html_to_text(in, a, &out, &err) < 0);
	CHECK_INT(err.code, ERR_TOOBIG);

	struct buf b;
	buf_init(&b, a, MIME_HTML_MAX_INPUT);
	buf_puts(&b, "<div");
	for (unsigned i = 0; i < 300000; i++)
		buf_printf(&b, " a%u", i);
	buf_puts(&b, ">x</div>");
	int64_t t0 = time_cpu_ns();
	err.code = ERR_OK;
	CHECK(mime_html_sanitize((struct slice){b.data, b.len}, NULL, a, &out, &err) < 0);
	CHECK_INT(err.code, ERR_TOOBIG);
	double secs = seconds_since(t0);
	/* Bounded, not fast: a loaded CI machine may be slow, a hang is the bug. */
	CHECK_MSG(secs < MIME_HTML_PARSE_MAX_MS / 1000.0 + 30, "took %.1f s", secs);
	arena_free(&a);
}

static void test_mime_html__limits(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	char *out;
	size_t n = MIME_HTML_MAX_INPUT + 1;
	char *big = arena_alloc(a, n);
	memset(big, 'x', n);
	CHECK(mime_html_sanitize((struct slice){big, n}, NULL, a, &out, &err) < 0);
	CHECK_INT(err.code, ERR_TOOBIG);
	err.code = ERR_OK;
	CHECK(mime_html_to_text((struct slice){big, n}, a, &out, &err) < 0);
	CHECK_INT(err.code, ERR_TOOBIG);
	/* Just under the limit: plain text goes through. */
	CHECK(mime_html_to_text((struct slice){big, n - 1}, a, &out, &err) == 0);
	CHECK_INT(strlen(out), n - 1);
	arena_free(&a);
}

void test_mime_html(void)
{
	TEST_RUN(test_mime_html__xss_vectors);
	TEST_RUN(test_mime_html__keeps);
	TEST_RUN(test_mime_html__remote);
	TEST_RUN(test_mime_html__idempotent);
	TEST_RUN(test_mime_html__random_soup);
	TEST_RUN(test_mime_html__text);
	TEST_RUN(test_mime_html__deep_nesting);
	TEST_RUN(test_mime_html__parse_budget);
	TEST_RUN(test_mime_html__limits);
}
