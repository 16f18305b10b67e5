/* mime_parse(): GMime 3 turns the raw bytes of one message into a struct message.
 *
 * Design notes:
 *  - GMime is initialised once (pthread_once). Parser options are made per
 *    call, so the warning callback and the fallback charsets belong to one
 *    message and parses may run in parallel.
 *  - GMime objects live until arena_free() (arena_defer); everything the
 *    struct message points to is copied into the arena and is valid UTF-8.
 *  - Nothing is dropped: parser warnings become problems, a multipart whose
 *    boundary never shows keeps its text as the body, and the walk stops at
 *    MIME_MAX_PARTS / MIME_MAX_DEPTH with a problem instead of failing.
 *  - The text body is the first text/plain and the html body the first
 *    text/html that are not attachments, in document order. Every other
 *    leaf, and a message/rfc822 part as a whole, is an attachment.
 *  - It does not verify signatures, decrypt, or unwrap TNEF (winmail.dat).
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include <gmime/gmime.h>
#include <sodium.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "base/time.h"
#include "base/vec.h"
#include "core/message.h"
#include "mail/mime/mime_int.h"
#include "mail/mime/mime_parse.h"
#include "base/banned.h"

/* Longest piece of a header or parser item quoted in a problem. */
#define PROBLEM_QUOTE_MAX 60

struct mime_ctx {
	struct arena *a;
	struct message *m;
	GMimeParserOptions *opts;
	const char *header_charset; /* what undeclared 8-bit headers are read as */
	size_t nparts;
	bool parts_over;
	bool depth_over;
	VEC(struct attachment) atts;
};

static pthread_once_t mime_once = PTHREAD_ONCE_INIT;
static bool mime_ready;

static void mime_init_once(void)
{
	g_mime_init();
	/* crypto_hash_sha256() works without it, but initialise libsodium anyway */
	if (sodium_init() < 0)
		abort();
	mime_ready = true;
}

void mime_init(void)
{
	pthread_once(&mime_once, mime_init_once);
}

void mime_shutdown(void)
{
	if (mime_ready) {
		g_mime_shutdown();
		mime_ready = false;
	}
}

/* GMime parser warnings and how a problem describes each; NULL: not a problem here. */
static const struct {
	GMimeParserWarning code;
	const char *text;
} warnings[] = {
    {GMIME_WARN_DUPLICATED_HEADER, "duplicated header"},
    {GMIME_WARN_DUPLICATED_PARAMETER, "duplicated parameter"},
    {GMIME_WARN_UNENCODED_8BIT_HEADER, NULL}, /* UTF-8 is allowed: see read_headers() */
    {GMIME_WARN_INVALID_CONTENT_TYPE, "invalid Content-Type"},
    {GMIME_WARN_INVALID_RFC2047_HEADER_VALUE, "invalid RFC 2047 encoded word"},
    {GMIME_WARN_MALFORMED_MULTIPART, "multipart without parts"},
    {GMIME_WARN_TRUNCATED_MESSAGE, "message is truncated"},
    {GMIME_WARN_MALFORMED_MESSAGE, "malformed message"},
    {GMIME_CRIT_INVALID_HEADER_NAME, "invalid header name"},
    {GMIME_CRIT_CONFLICTING_HEADER, "conflicting header"},
    {GMIME_CRIT_CONFLICTING_PARAMETER, "conflicting parameter"},
    {GMIME_CRIT_MULTIPART_WITHOUT_BOUNDARY, "multipart without boundary"},
    {GMIME_WARN_INVALID_PARAMETER, "invalid header parameter"},
    {GMIME_WARN_INVALID_ADDRESS_LIST, "invalid address list"},
    {GMIME_CRIT_NESTING_OVERFLOW, "MIME nesting too deep for GMime"},
    {GMIME_WARN_PART_WITHOUT_CONTENT, "part without content"},
    {GMIME_CRIT_PART_WITHOUT_HEADERS_OR_CONTENT, "part without headers or content"},
};

/* A short, clean quote of s for a problem text. */
static char *quote(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	char *q = arena_strndup(a, s, n < PROBLEM_QUOTE_MAX ? n : PROBLEM_QUOTE_MAX);
	for (char *p = q; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7F)
			*p = ' ';
	return mime_utf8_clean(a, q);
}

static void on_warning(gint64 offset, GMimeParserWarning code, const gchar *item, gpointer data)
{
	struct mime_ctx *c = data;
	const char *text = "parser warning";

	for (size_t i = 0; i < sizeof(warnings) / sizeof(warnings[0]); i++) {
		if (warnings[i].code == code) {
			text = warnings[i].text;
			break;
		}
	}
	if (!text)
		return;
	if (item && *item)
		message_add_problem(c->m, c->a, "%s '%s'", text, quote(c->a, item));
	else
		message_add_problem(c->m, c->a, "%s", text);
}

static void options_free_cb(void *obj)
{
	g_mime_parser_options_free(obj);
}

/* Fallback charsets for unencoded 8-bit headers: UTF-8, then a guess from the
   header block. Static, as GMime may keep the pointer. */
static const char *fallback_1251[] = {"UTF-8", "windows-1251", NULL};
static const char *fallback_koi8[] = {"UTF-8", "koi8-r", NULL};
static const char *fallback_1252[] = {"UTF-8", "windows-1252", NULL};

static void options_init(struct mime_ctx *c, struct slice raw)
{
	GMimeParserOptions *o = g_mime_parser_options_new();
	arena_defer(c->a, options_free_cb, o);
	g_mime_parser_options_set_rfc2047_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_address_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);
	g_mime_parser_options_set_parameter_compliance_mode(o, GMIME_RFC_COMPLIANCE_LOOSE);

	/* the header block ends at the first empty line */
	size_t end = raw.len;
	for (size_t i = 0; i + 1 < raw.len; i++) {
		if (raw.ptr[i] == '\n' && (raw.ptr[i + 1] == '\n' || raw.ptr[i + 1] == '\r')) {
			end = i;
			break;
		}
	}
	const char *guess = mime_charset_guess(raw.ptr, end);
	const char **fallback = fallback_1252;
	if (strcmp(guess, "windows-1251") == 0)
		fallback = fallback_1251;
	else if (strcmp(guess, "koi8-r") == 0)
		fallback = fallback_koi8;
	c->header_charset = fallback[1];
	g_mime_parser_options_set_fallback_charsets(o, fallback);
	g_mime_parser_options_set_warning_callback(o, on_warning, c);
	c->opts = o;
}

/* A clean copy of s, or NULL if s is NULL or blank. */
static char *clean_nonempty(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	char *t = str_trim(a, s);
	return *t ? mime_utf8_clean(a, t) : NULL;
}

static char *lower_mime_type(struct arena *a, GMimeContentType *ct)
{
	if (!ct)
		return arena_strdup(a, "application/octet-stream");
	char *s = g_mime_content_type_get_mime_type(ct);
	char *r = mime_utf8_clean(a, str_lower(a, s));
	g_free(s);
	return r;
}

/* What VEC_PUSH needs, with a name so it can be passed around. */
struct address_vec {
	struct address *items;
	size_t len;
	size_t cap;
};

static void add_addresses(struct mime_ctx *c, InternetAddressList *list, struct address_vec *out,
			  int depth)
{
	int n = list ? internet_address_list_length(list) : 0;
	for (int i = 0; i < n; i++) {
		InternetAddress *ia = internet_address_list_get_address(list, i);
		if (INTERNET_ADDRESS_IS_GROUP(ia)) {
			/* groups are flattened; RFC 5322 forbids nesting, so 2 is plenty */
			if (depth < 2)
				add_addresses(
				    c,
				    internet_address_group_get_members(INTERNET_ADDRESS_GROUP(ia)),
				    out, depth + 1);
			continue;
		}
		if (!INTERNET_ADDRESS_IS_MAILBOX(ia))
			continue;
		const char *addr = internet_address_mailbox_get_addr(INTERNET_ADDRESS_MAILBOX(ia));
		struct address ad = {
		    .name = clean_nonempty(c->a, internet_address_get_name(ia)),
		    .address = clean_nonempty(c->a, addr),
		};
		if (!ad.address)
			ad.address = arena_strdup(c->a, "");
		VEC_PUSH(*out, ad);
	}
}

/* The raw value of the first header called name, or NULL. */
static const char *raw_header(GMimeObject *obj, const char *name)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	GMimeHeader *h = hl ? g_mime_header_list_get_header(hl, name) : NULL;
	return h ? g_mime_header_get_raw_value(h) : NULL;
}

/* Unstructured header text decoded by GMime (see mime_rfc2047_merge()). */
static char *decode_text(struct mime_ctx *c, const char *raw)
{
	char *unfolded = g_mime_utils_header_unfold(raw);
	char *dec = g_mime_utils_header_decode_text(c->opts, unfolded);
	char *r = str_trim(c->a, mime_utf8_clean(c->a, dec ? dec : ""));
	g_free(unfolded);
	g_free(dec);
	return r;
}

/* An address header; parsed again from the raw value when split encoded
   words had to be merged first. */
static void read_addresses(struct mime_ctx *c, GMimeObject *obj, const char *name,
			   InternetAddressList *parsed, struct address_list *l)
{
	struct address_vec v = {0};
	char *merged = mime_rfc2047_merge(c->a, raw_header(obj, name));
	InternetAddressList *own = NULL;

	if (merged) {
		char *unfolded = g_mime_utils_header_unfold(merged);
		own = internet_address_list_parse(c->opts, unfolded);
		g_free(unfolded);
	}
	add_addresses(c, own ? own : parsed, &v, 0);
	if (own)
		g_object_unref(own);
	l->len = v.len;
	l->items = arena_memdup(c->a, v.items, v.len * sizeof(*v.items));
	VEC_FREE(v);
}

static void read_date(struct mime_ctx *c, GMimeMessage *gm)
{
	const char *raw = g_mime_object_get_header(GMIME_OBJECT(gm), "Date");
	GDateTime *dt = g_mime_message_get_date(gm);
	if (dt) {
		c->m->date = time_clamp(g_date_time_to_unix(dt));
		c->m->has_date = true;
	} else if (raw) {
		message_add_problem(c->m, c->a, "unparseable Date '%s'", quote(c->a, raw));
	} else {
		message_add_problem(c->m, c->a, "missing Date header");
	}
}

/* Message-IDs of a References-like header, without brackets; NULL-terminated
   array allocated in a, or NULL if the header is absent. */
static char **parse_ids(struct mime_ctx *c, GMimeObject *obj, const char *name, size_t *n_r)
{
	const char *v = g_mime_object_get_header(obj, name);
	GMimeReferences *refs = v ? g_mime_references_parse(c->opts, v) : NULL;
	int n = refs ? g_mime_references_length(refs) : 0;
	char **ids = arena_alloc(c->a, ((size_t)n + 1) * sizeof(*ids));
	size_t k = 0;

	for (int i = 0; i < n; i++) {
		char *id = clean_nonempty(c->a, g_mime_references_get_message_id(refs, i));
		if (id)
			ids[k++] = id;
	}
	if (refs)
		g_mime_references_free(refs);
	if (v && k == 0 && clean_nonempty(c->a, v))
		message_add_problem(c->m, c->a, "no Message-ID in %s '%s'", name, quote(c->a, v));
	*n_r = k;
	return ids;
}

static void read_header_list(struct mime_ctx *c, GMimeObject *obj)
{
	GMimeHeaderList *hl = g_mime_object_get_header_list(obj);
	int n = hl ? g_mime_header_list_get_count(hl) : 0;
	struct message *m = c->m;

	m->headers = arena_alloc(c->a, (size_t)n * sizeof(*m->headers) + 1);
	for (int i = 0; i < n; i++) {
		GMimeHeader *h = g_mime_header_list_get_header_at(hl, i);
		const char *name = g_mime_header_get_name(h);
		const char *value = g_mime_header_get_value(h);
		const char *raw = g_mime_header_get_raw_value(h);
		struct header *out = &m->headers[m->nheaders++];
		out->name = mime_utf8_clean(c->a, name ? name : "");
		char *merged = mime_rfc2047_merge(c->a, raw);
		out->value = merged ? decode_text(c, merged)
				    : str_trim(c->a, mime_utf8_clean(c->a, value ? value : ""));
		/* RFC 6532 allows raw UTF-8; any other 8-bit header is a guess */
		if (raw && !str_valid_utf8(raw, strlen(raw)))
			message_add_problem(m, c->a, "unencoded 8-bit header '%s' read as '%s'",
					    out->name, c->header_charset);
	}
}

static void read_headers(struct mime_ctx *c, GMimeMessage *gm)
{
	struct message *m = c->m;
	GMimeObject *obj = GMIME_OBJECT(gm);
	size_t n;

	read_header_list(c, obj);
	m->message_id = clean_nonempty(c->a, g_mime_message_get_message_id(gm));
	for (size_t i = 0; i < m->nheaders && !m->subject; i++)
		if (str_eq_ci(m->headers[i].name, "Subject"))
			m->subject = m->headers[i].value;
	read_addresses(c, obj, "From", g_mime_message_get_from(gm), &m->from);
	read_addresses(c, obj, "To", g_mime_message_get_to(gm), &m->to);
	read_addresses(c, obj, "Cc", g_mime_message_get_cc(gm), &m->cc);
	read_addresses(c, obj, "Bcc", g_mime_message_get_bcc(gm), &m->bcc);
	read_addresses(c, obj, "Reply-To", g_mime_message_get_reply_to(gm), &m->reply_to);
	read_date(c, gm);
	m->references = parse_ids(c, obj, "References", &m->nreferences);
	char **irt = parse_ids(c, obj, "In-Reply-To", &n);
	m->in_reply_to = n ? irt[0] : NULL;
	m->thread_index = clean_nonempty(c->a, g_mime_object_get_header(obj, "Thread-Index"));

	if (!g_mime_object_get_header(obj, "From"))
		message_add_problem(m, c->a, "missing From header");
	if (!m->message_id)
		message_add_problem(m, c->a, "missing Message-ID header");
}

/* Base64 content with characters outside the alphabet, or cut short. */
static void check_base64(struct mime_ctx *c, GMimeDataWrapper *w)
{
	GMimeStream *raw = g_mime_data_wrapper_get_stream(w);
	char buf[4096];
	ssize_t r;
	size_t bad = 0, quads = 0;

	if (!raw || g_mime_data_wrapper_get_encoding(w) != GMIME_CONTENT_ENCODING_BASE64)
		return;
	g_mime_stream_reset(raw);
	while ((r = g_mime_stream_read(raw, buf, sizeof(buf))) > 0) {
		for (ssize_t i = 0; i < r; i++) {
			unsigned char ch = (unsigned char)buf[i];
			if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') ||
			    (ch >= '0' && ch <= '9') || ch == '+' || ch == '/' || ch == '=')
				quads++;
			else if (ch != '\r' && ch != '\n' && ch != ' ' && ch != '\t')
				bad++;
		}
	}
	g_mime_stream_reset(raw);
	if (bad)
		message_add_problem(c->m, c->a, "%zu invalid characters in base64 content skipped",
				    bad);
	else if (quads % 4)
		message_add_problem(c->m, c->a, "base64 content is cut short");
}

/* The decoded content of a leaf part, allocated in a (NUL-terminated). */
static char *decode_part(struct mime_ctx *c, GMimePart *part, size_t *len_r)
{
	GMimeDataWrapper *w = g_mime_part_get_content(part);
	*len_r = 0;
	if (!w)
		return arena_alloc(c->a, 1);
	check_base64(c, w);
	GMimeStream *out = g_mime_stream_mem_new();
	g_mime_data_wrapper_write_to_stream(w, out);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	char *p = arena_alloc(c->a, ba->len + 1);
	if (ba->len)
		memcpy(p, ba->data, ba->len);
	*len_r = ba->len;
	g_object_unref(out);
	return p;
}

static char *part_text(struct mime_ctx *c, GMimeObject *obj, const char *data, size_t len,
		       bool html, const char *what)
{
	char *problem;
	const char *cs = g_mime_object_get_content_type_parameter(obj, "charset");
	if (!cs && html)
		cs = mime_charset_from_html(c->a, data, len);
	char *s = mime_charset_to_utf8(c->a, cs, data, len, &problem);
	if (problem)
		message_add_problem(c->m, c->a, "%s: %s", what, problem);
	return s;
}

static void add_attachment(struct mime_ctx *c, GMimeObject *obj, const char *filename,
			   const char *data, size_t len)
{
	const char *disp = g_mime_object_get_disposition(obj);
	unsigned char h[crypto_hash_sha256_BYTES];
	struct attachment at = {
	    .filename = clean_nonempty(c->a, filename),
	    .content_type = lower_mime_type(c->a, g_mime_object_get_content_type(obj)),
	    .content_id = clean_nonempty(c->a, g_mime_object_get_content_id(obj)),
	    .size = len,
	    .data = (const unsigned char *)data,
	};
	/* without a disposition, a part referred to by Content-ID is shown inline */
	if (disp ? str_eq_ci(disp, "inline") : at.content_id != NULL)
		at.disposition = ATTACHMENT_INLINE;
	crypto_hash_sha256(h, (const unsigned char *)data, len);
	sodium_bin2hex(at.sha256, sizeof(at.sha256), h, sizeof(h));
	VEC_PUSH(c->atts, at);
}

static void add_leaf(struct mime_ctx *c, GMimePart *part)
{
	GMimeObject *obj = GMIME_OBJECT(part);
	GMimeContentType *ct = g_mime_object_get_content_type(obj);
	const char *disp = g_mime_object_get_disposition(obj);
	const char *filename = g_mime_part_get_filename(part);
	bool is_text = !ct || g_mime_content_type_is_type(ct, "text", "plain");
	bool is_html = ct && g_mime_content_type_is_type(ct, "text", "html");
	/* a named text part is a file unless it says inline */
	bool body = (is_text || is_html) && !(disp && str_eq_ci(disp, "attachment")) &&
		    (!filename || (disp && str_eq_ci(disp, "inline")));
	size_t len;
	char *data = decode_part(c, part, &len);

	if (body && is_text && !c->m->text)
		c->m->text = part_text(c, obj, data, len, false, "text body");
	else if (body && is_html && !c->m->html)
		c->m->html = part_text(c, obj, data, len, true, "html body");
	else
		add_attachment(c, obj, filename, data, len);
}

/* message/rfc822 (and message/global, message/news): one attachment, the
   message as GMime writes it back. */
static void add_message_part(struct mime_ctx *c, GMimeObject *obj)
{
	GMimeMessage *inner = g_mime_message_part_get_message(GMIME_MESSAGE_PART(obj));
	const char *name = g_mime_object_get_content_disposition_parameter(obj, "filename");
	GMimeStream *out = g_mime_stream_mem_new();

	if (!name)
		name = g_mime_object_get_content_type_parameter(obj, "name");
	if (inner)
		g_mime_object_write_to_stream(GMIME_OBJECT(inner), NULL, out);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	char *data = arena_memdup(c->a, ba->data, ba->len);
	add_attachment(c, obj, name, data, ba->len);
	g_object_unref(out);
}

/* A multipart whose boundary never appears has all its text in the prologue. */
static void salvage_prologue(struct mime_ctx *c, GMimeMultipart *mp)
{
	const char *pro = g_mime_multipart_get_prologue(mp);
	char *problem;
	if (c->m->text || !pro || !*pro)
		return;
	c->m->text = mime_charset_to_utf8(c->a, NULL, pro, strlen(pro), &problem);
	message_add_problem(c->m, c->a, "multipart without parts: its text kept as the body");
}

static void walk(struct mime_ctx *c, GMimeObject *obj, int depth)
{
	if (depth > MIME_MAX_DEPTH) {
		if (!c->depth_over)
			message_add_problem(
			    c->m, c->a, "MIME nesting deeper than %d levels: deeper parts skipped",
			    MIME_MAX_DEPTH);
		c->depth_over = true;
		return;
	}
	if (++c->nparts > MIME_MAX_PARTS) {
		if (!c->parts_over)
			message_add_problem(c->m, c->a, "more than %d MIME parts: the rest skipped",
					    MIME_MAX_PARTS);
		c->parts_over = true;
		return;
	}
	if (GMIME_IS_MULTIPART(obj)) {
		GMimeMultipart *mp = GMIME_MULTIPART(obj);
		int n = g_mime_multipart_get_count(mp);
		if (n == 0)
			salvage_prologue(c, mp);
		for (int i = 0; i < n && !c->parts_over; i++)
			walk(c, g_mime_multipart_get_part(mp, i), depth + 1);
	} else if (GMIME_IS_MESSAGE_PART(obj)) {
		add_message_part(c, obj);
	} else if (GMIME_IS_PART(obj)) {
		add_leaf(c, GMIME_PART(obj));
	}
}

static GMimeMessage *construct(struct mime_ctx *c, struct slice raw)
{
	GMimeStream *stream = g_mime_stream_mem_new_with_buffer(raw.ptr, raw.len);
	arena_defer(c->a, g_object_unref, stream);
	GMimeParser *parser = g_mime_parser_new_with_stream(stream);
	arena_defer(c->a, g_object_unref, parser);
	g_mime_parser_set_format(parser, GMIME_FORMAT_MESSAGE);
	GMimeMessage *gm = g_mime_parser_construct_message(parser, c->opts);
	if (gm)
		arena_defer(c->a, g_object_unref, gm);
	return gm;
}

int mime_parse(struct slice raw, struct arena *a, struct message **msg_r, struct err *err)
{
	if (raw.len == 0)
		return err_set(err, ERR_INVALID, "empty message");
	if (raw.len > MIME_MAX_SIZE)
		return err_set(err, ERR_TOOBIG, "message is %zu bytes, over the limit of %d MB",
			       raw.len, MIME_MAX_SIZE / (1024 * 1024));
	mime_init();

	struct mime_ctx c = {.a = a, .m = message_new(a)};
	options_init(&c, raw);
	GMimeMessage *gm = construct(&c, raw);
	if (gm) {
		read_headers(&c, gm);
		GMimeObject *top = g_mime_message_get_mime_part(gm);
		if (top)
			walk(&c, top, 0);
	} else {
		char *problem;
		message_add_problem(c.m, a, "not a MIME message: kept as text");
		c.m->text = mime_charset_to_utf8(a, NULL, raw.ptr, raw.len, &problem);
	}
	/* the callback points at c, which is about to go */
	g_mime_parser_options_set_warning_callback(c.opts, NULL, NULL);
	c.m->nattachments = c.atts.len;
	c.m->attachments = arena_memdup(a, c.atts.items, c.atts.len * sizeof(*c.atts.items));
	VEC_FREE(c.atts);
	*msg_r = c.m;
	return 0;
}

static json_t *json_str_or_null(const char *s)
{
	json_t *j = s ? json_string(s) : NULL;
	return j ? j : json_null();
}

static json_t *json_addresses(const struct address_list *l)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < l->len; i++) {
		json_t *o = json_object();
		json_object_set_new(o, "name", json_str_or_null(l->items[i].name));
		json_object_set_new(o, "address", json_str_or_null(l->items[i].address));
		json_array_append_new(arr, o);
	}
	return arr;
}

static json_t *json_strings(char *const *v, size_t n)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, json_str_or_null(v[i]));
	return arr;
}

static json_t *json_attachments(const struct message *m)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < m->nattachments; i++) {
		const struct attachment *at = &m->attachments[i];
		json_t *o = json_object();
		json_object_set_new(o, "filename", json_str_or_null(at->filename));
		json_object_set_new(o, "content_type", json_str_or_null(at->content_type));
		json_object_set_new(o, "size", json_integer((json_int_t)at->size));
		json_object_set_new(o, "sha256", json_string(at->sha256));
		json_array_append_new(arr, o);
	}
	return arr;
}

int mime_message_to_json(const struct message *m, json_t **json_r)
{
	char date[TIME_ISO_MAX];
	json_t *o = json_object();
	if (!o)
		return -1;
	if (m->has_date)
		time_format_iso(m->date, date);
	json_object_set_new(o, "message_id", json_str_or_null(m->message_id));
	json_object_set_new(o, "subject", json_str_or_null(m->subject));
	json_object_set_new(o, "from", json_addresses(&m->from));
	json_object_set_new(o, "to", json_addresses(&m->to));
	json_object_set_new(o, "cc", json_addresses(&m->cc));
	json_object_set_new(o, "date", json_str_or_null(m->has_date ? date : NULL));
	json_object_set_new(o, "in_reply_to", json_str_or_null(m->in_reply_to));
	json_object_set_new(o, "references", json_strings(m->references, m->nreferences));
	json_object_set_new(o, "text", json_str_or_null(m->text));
	json_object_set_new(o, "html", json_str_or_null(m->html));
	json_object_set_new(o, "attachments", json_attachments(m));
	json_object_set_new(o, "bcc", json_addresses(&m->bcc));
	json_object_set_new(o, "reply_to", json_addresses(&m->reply_to));
	json_object_set_new(o, "thread_index", json_str_or_null(m->thread_index));
	json_object_set_new(o, "malformed", json_boolean(m->malformed));
	json_t *problems = json_strings(m->problems, m->nproblems);
	if (m->nproblems_dropped) {
		char more[64];
		snprintf(more, sizeof(more), "%zu more problems not listed", m->nproblems_dropped);
		json_array_append_new(problems, json_string(more));
	}
	json_object_set_new(o, "problems", problems);
	*json_r = o;
	return 0;
}
