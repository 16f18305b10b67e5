/* mime_build(): a struct mime_draft becomes RFC 5322 bytes through GMime 3;
 * mime_draft_recipients(): the envelope of the same draft.
 *
 * Design notes:
 *  - Two steps. check_draft() validates every field and parses the addresses
 *    into arena memory, refusing with the field's name; only then are GMime
 *    objects made, and from there nothing can fail but the final write.
 *  - Header values are checked here, in the setter, for CR, LF and other
 *    control characters (and invalid UTF-8); GMime does the RFC 2047 and
 *    RFC 2231 encoding and the folding, always with charset UTF-8.
 *  - Text is given to GMime with LF line ends and written with CRLF through
 *    its DOS newline format; text that goes base64 is made CRLF first, the
 *    canonical form RFC 2045 asks for.
 *  - Bcc is never given to GMime: the envelope is the only place it goes.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <gmime/gmime.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/str.h"
#include "base/time.h"
#include "mail/mime/mime_build.h"
#include "mail/mime/mime_int.h"
#include "base/banned.h"

/* RFC 5321 4.5.3.1: 64 bytes of local part, 255 of domain (253 in DNS). */
#define LOCAL_MAX	64
#define DOMAIN_MAX	253
#define LABEL_MAX	63
#define HEADER_NAME_MAX 76
#define DATE_MAX	253402300799LL /* 9999-12-31T23:59:59Z */

struct mbox {
	const char *name; /* NULL if none */
	const char *addr;
};

/* What check_draft() parsed, allocated in the arena. */
struct checked {
	struct mbox from;
	struct mbox *to, *cc;
	const char **extra_names, **extra_values;
};

static bool value_ok(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7F)
			return false;
	return str_valid_utf8(s, strlen(s));
}

static int bad_value(struct err *err, const char *field)
{
	return err_set_field(err, ERR_INVALID, field,
			     "'%s' holds a line break, a control character or invalid UTF-8",
			     field);
}

/* NULL is fine (the field is absent). */
static int check_value(const char *s, const char *field, struct err *err)
{
	return s && !value_ok(s) ? bad_value(err, field) : 0;
}

bool mime_msgid_ok(const char *id)
{
	size_t n = id ? strlen(id) : 0;
	if (n == 0 || n > MIME_MSGID_MAX)
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)id[i];
		if (c <= ' ' || c >= 0x7F || c == '<' || c == '>' || c == '"')
			return false;
	}
	return true;
}

static bool atext(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-/=?^_`{|}~", c));
}

static bool dot_atom_ok(const char *s, size_t n)
{
	if (n == 0 || s[0] == '.' || s[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '.' ? s[i + 1] == '.' : !atext((unsigned char)s[i]))
			return false;
	}
	return true;
}

/* Labels of letters, digits, '-' and UTF-8 (IDNA-encoded when written). */
static bool domain_ok(const char *s, size_t n)
{
	size_t label = 0;
	if (n == 0 || n > DOMAIN_MAX)
		return false;
	for (size_t i = 0; i <= n; i++) {
		unsigned char c = i < n ? (unsigned char)s[i] : '.';
		if (c == '.') {
			if (label == 0 || label > LABEL_MAX || s[i - 1] == '-' ||
			    s[i - label] == '-')
				return false;
			label = 0;
		} else if (isalnum(c) || c == '-' || c >= 0x80) {
			label++;
		} else {
			return false;
		}
	}
	return true;
}

static bool addr_ok(const char *addr)
{
	const char *at = strrchr(addr, '@');
	if (!at || at - addr > LOCAL_MAX)
		return false;
	return dot_atom_ok(addr, (size_t)(at - addr)) && domain_ok(at + 1, strlen(at + 1));
}

/* The display name without its quotes and backslash escapes; NULL if empty. */
static const char *unquote(struct arena *a, char *s)
{
	size_t n = strlen(s);
	if (n >= 2 && s[0] == '"' && s[n - 1] == '"') {
		char *w = s;
		s[n - 1] = '\0';
		for (const char *r = s + 1; *r; r++) {
			if (*r == '\\' && r[1])
				r++;
			*w++ = *r;
		}
		*w = '\0';
		s = str_trim(a, s);
	}
	return *s ? s : NULL;
}

/* Parses "addr", "Name <addr>" or "\"Name\" <addr>" into mb (allocated in a). */
static int parse_mailbox(struct arena *a, const char *s, const char *field, struct mbox *mb,
			 struct err *err)
{
	if (!s || !*s)
		return err_set_field(err, ERR_INVALID, field, "'%s' is empty", field);
	if (!value_ok(s))
		return bad_value(err, field);
	char *t = str_trim(a, s);
	size_t n = strlen(t);
	char *lt = n && t[n - 1] == '>' ? strrchr(t, '<') : NULL;
	mb->name = NULL;
	mb->addr = t;
	if (lt) {
		t[n - 1] = '\0';
		*lt = '\0';
		mb->addr = str_trim(a, lt + 1);
		mb->name = unquote(a, str_trim(a, t));
	}
	if (!addr_ok(mb->addr))
		return err_set_field(err, ERR_INVALID, field, "'%s' is not an e-mail address",
				     field);
	return 0;
}

/* Parses n addresses into *out_r (allocated in a); fields are named what[i]. */
static int parse_list(struct arena *a, const char *const *v, size_t n, const char *what,
		      struct mbox **out_r, struct err *err)
{
	struct mbox *out = arena_alloc(a, (n + 1) * sizeof(*out));
	if (n && !v)
		return err_set_field(err, ERR_INVALID, what, "'%s' is missing", what);
	for (size_t i = 0; i < n; i++)
		if (parse_mailbox(a, v[i], arena_printf(a, "%s[%zu]", what, i), &out[i], err) < 0)
			return -1;
	*out_r = out;
	return 0;
}

static int check_counts(const struct mime_draft *d, struct err *err)
{
	size_t nrcpt = d->nto + d->ncc + d->nbcc;
	if (nrcpt == 0)
		return err_set_field(err, ERR_INVALID, "to",
				     "no recipient: 'to', 'cc' and 'bcc' are all empty");
	if (nrcpt > MIME_BUILD_MAX_RECIPIENTS)
		return err_set_field(err, ERR_TOOBIG, "to", "%zu recipients, over the limit of %d",
				     nrcpt, MIME_BUILD_MAX_RECIPIENTS);
	if (d->nattachments > MIME_BUILD_MAX_ATTACHMENTS)
		return err_set_field(err, ERR_TOOBIG, "attachments",
				     "%zu attachments, over the limit of %d", d->nattachments,
				     MIME_BUILD_MAX_ATTACHMENTS);
	if (d->nextra > MIME_BUILD_MAX_EXTRA)
		return err_set_field(err, ERR_TOOBIG, "extra_headers",
				     "%zu extra headers, over the limit of %d", d->nextra,
				     MIME_BUILD_MAX_EXTRA);
	return 0;
}

static int check_body(const struct mime_draft *d, struct err *err)
{
	size_t total = 0;
	const char *bodies[] = {d->text, d->html}, *names[] = {"text", "html"};

	if (!d->text && !d->html && d->nattachments == 0)
		return err_set_field(err, ERR_INVALID, "text", "no text, html or attachment");
	if (d->nattachments && !d->attachments)
		return err_set_field(err, ERR_INVALID, "attachments", "'attachments' is missing");
	for (size_t i = 0; i < 2; i++) {
		size_t n = bodies[i] ? strlen(bodies[i]) : 0;
		if (n > MIME_BUILD_MAX_SIZE - total)
			return err_set_field(err, ERR_TOOBIG, names[i],
					     "message is over the limit of %d MiB",
					     MIME_BUILD_MAX_SIZE / (1024 * 1024));
		if (n && !str_valid_utf8(bodies[i], n))
			return err_set_field(err, ERR_INVALID, names[i], "'%s' is not valid UTF-8",
					     names[i]);
		total += n;
	}
	for (size_t i = 0; i < d->nattachments; i++) {
		if (d->attachments[i].len > MIME_BUILD_MAX_SIZE - total)
			return err_set_field(err, ERR_TOOBIG, "attachments",
					     "message is over the limit of %d MiB",
					     MIME_BUILD_MAX_SIZE / (1024 * 1024));
		total += d->attachments[i].len;
	}
	return 0;
}

static int check_ids(struct arena *a, const struct mime_draft *d, struct err *err)
{
	if (!mime_msgid_ok(d->message_id))
		return err_set_field(err, ERR_INVALID, "message_id",
				     "'message_id' is missing or not a Message-ID");
	if (d->in_reply_to && !mime_msgid_ok(d->in_reply_to))
		return err_set_field(err, ERR_INVALID, "in_reply_to",
				     "'in_reply_to' is not a Message-ID");
	if (d->nreferences && !d->references)
		return err_set_field(err, ERR_INVALID, "references", "'references' is missing");
	for (size_t i = 0; i < d->nreferences; i++) {
		if (!mime_msgid_ok(d->references[i])) {
			char *f = arena_printf(a, "references[%zu]", i);
			return err_set_field(err, ERR_INVALID, f, "'%s' is not a Message-ID", f);
		}
	}
	return 0;
}

/* Characters of a MIME token (RFC 2045 5.1) at s. */
static size_t token_len(const char *s)
{
	size_t n = 0;
	while (s[n] > ' ' && s[n] < 0x7F && !strchr("()<>@,;:\\\"/[]?=", s[n]))
		n++;
	return n;
}

/* "type/subtype" with optional parameters; never a multipart or a message. */
static bool content_type_ok(const char *ct)
{
	size_t t = token_len(ct);
	if (t == 0 || ct[t] != '/' || token_len(ct + t + 1) == 0)
		return false;
	const char *rest = ct + t + 1 + token_len(ct + t + 1);
	while (*rest == ' ' || *rest == '\t')
		rest++;
	if (*rest && *rest != ';')
		return false;
	return strncasecmp(ct, "multipart/", 10) != 0 && strncasecmp(ct, "message/", 8) != 0;
}

static int check_attachment(struct arena *a, const struct mime_attachment_in *at, size_t i,
			    struct err *err)
{
	char *f = arena_printf(a, "attachments[%zu].filename", i);
	if (check_value(at->filename, f, err) < 0)
		return -1;
	f = arena_printf(a, "attachments[%zu].content_type", i);
	if (check_value(at->content_type, f, err) < 0)
		return -1;
	if (at->content_type && !content_type_ok(at->content_type))
		return err_set_field(err, ERR_INVALID, f,
				     "'%s' is not a type/subtype for an attachment", f);
	f = arena_printf(a, "attachments[%zu].content_id", i);
	if (at->content_id && !mime_msgid_ok(at->content_id))
		return err_set_field(err, ERR_INVALID, f, "'%s' is not a Content-ID", f);
	f = arena_printf(a, "attachments[%zu].data", i);
	if (at->len && !at->data)
		return err_set_field(err, ERR_INVALID, f, "'%s' is missing", f);
	return 0;
}

/* Headers mime_build() writes itself; an extra header must not replace them. */
static bool reserved_header(const char *name)
{
	static const char *const reserved[] = {
	    "From", "To",	  "Cc",		 "Bcc",	       "Subject",
	    "Date", "Message-ID", "In-Reply-To", "References", "MIME-Version",
	};
	for (size_t i = 0; i < sizeof(reserved) / sizeof(reserved[0]); i++)
		if (str_eq_ci(name, reserved[i]))
			return true;
	return strncasecmp(name, "Content-", 8) == 0;
}

static int check_extra(struct arena *a, const char *h, size_t i, struct checked *c, struct err *err)
{
	char *f = arena_printf(a, "extra_headers[%zu]", i);
	if (!h)
		return err_set_field(err, ERR_INVALID, f, "'%s' is missing", f);
	if (!value_ok(h))
		return bad_value(err, f);
	const char *colon = strchr(h, ':');
	size_t n = colon ? (size_t)(colon - h) : 0;
	if (n == 0 || n > HEADER_NAME_MAX)
		return err_set_field(err, ERR_INVALID, f, "'%s' is not 'Name: value'", f);
	for (size_t k = 0; k < n; k++)
		if ((unsigned char)h[k] <= ' ' || (unsigned char)h[k] >= 0x7F)
			return err_set_field(err, ERR_INVALID, f, "'%s' has a bad header name", f);
	c->extra_names[i] = arena_strndup(a, h, n);
	c->extra_values[i] = str_trim(a, colon + 1);
	if (reserved_header(c->extra_names[i]))
		return err_set_field(err, ERR_INVALID, f,
				     "'%s' sets '%s', which only mime_build() writes", f,
				     c->extra_names[i]);
	return 0;
}

static int check_headers(struct arena *a, const struct mime_draft *d, struct checked *c,
			 struct err *err)
{
	if (check_value(d->subject, "subject", err) < 0 ||
	    check_value(d->from_name, "from_name", err) < 0)
		return -1;
	if (!d->from_addr || !*d->from_addr)
		return err_set_field(err, ERR_INVALID, "from_addr", "'from_addr' is missing");
	if (!value_ok(d->from_addr))
		return bad_value(err, "from_addr");
	c->from.addr = str_trim(a, d->from_addr);
	c->from.name = d->from_name ? unquote(a, str_trim(a, d->from_name)) : NULL;
	if (!addr_ok(c->from.addr))
		return err_set_field(err, ERR_INVALID, "from_addr",
				     "'from_addr' is not an e-mail address");
	if (d->date < 0 || d->date > DATE_MAX)
		return err_set_field(err, ERR_INVALID, "date", "'date' is out of range");
	if (d->nextra && !d->extra_headers)
		return err_set_field(err, ERR_INVALID, "extra_headers",
				     "'extra_headers' is missing");
	c->extra_names = arena_alloc(a, (d->nextra + 1) * sizeof(*c->extra_names));
	c->extra_values = arena_alloc(a, (d->nextra + 1) * sizeof(*c->extra_values));
	for (size_t i = 0; i < d->nextra; i++)
		if (check_extra(a, d->extra_headers[i], i, c, err) < 0)
			return -1;
	return 0;
}

static int check_draft(struct arena *a, const struct mime_draft *d, struct checked *c,
		       struct err *err)
{
	struct mbox *bcc;
	if (check_counts(d, err) < 0 || check_body(d, err) < 0 || check_headers(a, d, c, err) < 0)
		return -1;
	if (parse_list(a, d->to, d->nto, "to", &c->to, err) < 0 ||
	    parse_list(a, d->cc, d->ncc, "cc", &c->cc, err) < 0 ||
	    parse_list(a, d->bcc, d->nbcc, "bcc", &bcc, err) < 0)
		return -1;
	if (check_ids(a, d, err) < 0)
		return -1;
	for (size_t i = 0; i < d->nattachments; i++)
		if (check_attachment(a, &d->attachments[i], i, err) < 0)
			return -1;
	return 0;
}

/* s with CRLF and lone CR made LF; s itself if it has no CR. */
static const char *to_lf(struct arena *a, const char *s, size_t *n_r)
{
	size_t n = strlen(s), k = 0;
	if (!memchr(s, '\r', n)) {
		*n_r = n;
		return s;
	}
	char *r = arena_alloc(a, n + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\r' && s[i + 1] == '\n')
			continue;
		r[k++] = s[i] == '\r' ? '\n' : s[i];
	}
	*n_r = k;
	return r;
}

static const char *to_crlf(struct arena *a, const char *s, size_t n, size_t *n_r)
{
	size_t lines = 0, k = 0;
	for (size_t i = 0; i < n; i++)
		lines += s[i] == '\n';
	char *r = arena_alloc(a, n + lines + 1);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '\n')
			r[k++] = '\r';
		r[k++] = s[i];
	}
	*n_r = k;
	return r;
}

static void set_content(GMimePart *p, const void *data, size_t n)
{
	GMimeStream *s = g_mime_stream_mem_new_with_buffer(n ? data : "", n);
	GMimeDataWrapper *w =
	    g_mime_data_wrapper_new_with_stream(s, GMIME_CONTENT_ENCODING_DEFAULT);
	g_mime_part_set_content(p, w);
	g_object_unref(w);
	g_object_unref(s);
}

static GMimeObject *text_part(struct arena *a, const char *subtype, const char *text)
{
	size_t n;
	const char *lf = to_lf(a, text, &n);
	GMimePart *p = g_mime_part_new_with_type("text", subtype);

	g_mime_object_set_content_type_parameter(GMIME_OBJECT(p), "charset", "utf-8");
	set_content(p, lf, n);
	GMimeContentEncoding enc =
	    g_mime_part_get_best_content_encoding(p, GMIME_ENCODING_CONSTRAINT_7BIT);
	if (enc == GMIME_CONTENT_ENCODING_BASE64) {
		size_t m;
		const char *crlf = to_crlf(a, lf, n, &m);
		set_content(p, crlf, m);
	}
	g_mime_part_set_content_encoding(p, enc);
	return GMIME_OBJECT(p);
}

/* RFC 2231 parameters in UTF-8, not whatever charset GMime finds smallest. */
static void params_utf8(GMimeParamList *pl)
{
	int n = pl ? g_mime_param_list_length(pl) : 0;
	for (int i = 0; i < n; i++) {
		GMimeParam *p = g_mime_param_list_get_parameter_at(pl, i);
		const char *name = g_mime_param_get_name(p);
		if (str_eq_ci(name, "filename") || str_eq_ci(name, "name"))
			g_mime_param_set_charset(p, "utf-8");
	}
}

static GMimeObject *attachment_part(const struct mime_attachment_in *at)
{
	GMimePart *p = g_mime_part_new();
	GMimeObject *obj = GMIME_OBJECT(p);
	GMimeContentType *ct = g_mime_content_type_parse(
	    NULL, at->content_type ? at->content_type : "application/octet-stream");

	g_mime_object_set_content_type(obj, ct);
	g_object_unref(ct);
	g_mime_object_set_disposition(obj, at->inline_ ? "inline" : "attachment");
	if (at->filename && *at->filename) {
		g_mime_part_set_filename(p, at->filename);
		params_utf8(
		    g_mime_content_type_get_parameters(g_mime_object_get_content_type(obj)));
		params_utf8(g_mime_content_disposition_get_parameters(
		    g_mime_object_get_content_disposition(obj)));
	}
	if (at->content_id)
		g_mime_part_set_content_id(p, at->content_id);
	set_content(p, at->data, at->len);
	g_mime_part_set_content_encoding(p, GMIME_CONTENT_ENCODING_BASE64);
	return obj;
}

/* An attachment that goes in multipart/related with the HTML. */
static bool related(const struct mime_draft *d, size_t i)
{
	return d->html && d->attachments[i].content_id;
}

/* Adds part to mp and drops the caller's reference. */
static void add_part(GMimeMultipart *mp, GMimeObject *part)
{
	g_mime_multipart_add(mp, part);
	g_object_unref(part);
}

static GMimeObject *html_related(const struct mime_draft *d, GMimeObject *html)
{
	GMimeMultipart *mp = NULL;
	for (size_t i = 0; i < d->nattachments; i++) {
		if (!related(d, i))
			continue;
		if (!mp) {
			mp = g_mime_multipart_new_with_subtype("related");
			g_mime_object_set_content_type_parameter(GMIME_OBJECT(mp), "type",
								 "text/html");
			add_part(mp, html);
		}
		add_part(mp, attachment_part(&d->attachments[i]));
	}
	return mp ? GMIME_OBJECT(mp) : html;
}

/* The MIME tree: text and/or html (alternative; html in related), in mixed
   with the other attachments. */
static GMimeObject *body_part(struct arena *a, const struct mime_draft *d)
{
	GMimeObject *text = d->text ? text_part(a, "plain", d->text) : NULL;
	GMimeObject *html = d->html ? html_related(d, text_part(a, "html", d->html)) : NULL;
	GMimeObject *body = text ? text : html;
	GMimeMultipart *mixed = NULL;

	if (text && html) {
		GMimeMultipart *alt = g_mime_multipart_new_with_subtype("alternative");
		add_part(alt, text);
		add_part(alt, html);
		body = GMIME_OBJECT(alt);
	}
	for (size_t i = 0; i < d->nattachments; i++) {
		if (related(d, i))
			continue;
		if (!mixed) {
			mixed = g_mime_multipart_new_with_subtype("mixed");
			if (body)
				add_part(mixed, body);
		}
		add_part(mixed, attachment_part(&d->attachments[i]));
	}
	return mixed ? GMIME_OBJECT(mixed) : body;
}

static void add_mailbox(GMimeMessage *m, GMimeAddressType type, const struct mbox *mb)
{
	InternetAddress *ia = internet_address_mailbox_new(mb->name, mb->addr);
	internet_address_set_charset(ia, "utf-8");
	internet_address_list_add(g_mime_message_get_addresses(m, type), ia);
	g_object_unref(ia);
}

static void set_ids(struct arena *a, GMimeMessage *m, const struct mime_draft *d)
{
	GMimeObject *obj = GMIME_OBJECT(m);
	g_mime_message_set_message_id(m, d->message_id);
	if (d->in_reply_to)
		g_mime_object_set_header(obj, "In-Reply-To",
					 arena_printf(a, "<%s>", d->in_reply_to), NULL);
	if (d->nreferences) {
		struct buf b;
		buf_init(&b, a, (MIME_MSGID_MAX + 3) * d->nreferences + 1);
		for (size_t i = 0; i < d->nreferences; i++)
			buf_printf(&b, "%s<%s>", i ? " " : "", d->references[i]);
		g_mime_object_set_header(obj, "References", b.data, NULL);
	}
}

static GMimeMessage *assemble(struct arena *a, const struct mime_draft *d, const struct checked *c)
{
	GMimeMessage *m = g_mime_message_new(FALSE);
	/* GDateTime covers years 1-9999 only; another date would be NULL */
	GDateTime *dt =
	    g_date_time_new_from_unix_utc(d->date && time_in_range(d->date) ? d->date : time_now());

	g_mime_message_set_date(m, dt);
	g_date_time_unref(dt);
	add_mailbox(m, GMIME_ADDRESS_TYPE_FROM, &c->from);
	for (size_t i = 0; i < d->nto; i++)
		add_mailbox(m, GMIME_ADDRESS_TYPE_TO, &c->to[i]);
	for (size_t i = 0; i < d->ncc; i++)
		add_mailbox(m, GMIME_ADDRESS_TYPE_CC, &c->cc[i]);
	if (d->subject)
		g_mime_message_set_subject(m, d->subject, "utf-8");
	set_ids(a, m, d);
	for (size_t i = 0; i < d->nextra; i++)
		g_mime_object_append_header(GMIME_OBJECT(m), c->extra_names[i], c->extra_values[i],
					    "utf-8");
	GMimeObject *body = body_part(a, d);
	g_mime_message_set_mime_part(m, body);
	g_object_unref(body);
	return m;
}

int mime_build(const struct mime_draft *d, struct arena *a, char **raw_r, size_t *len_r,
	       struct err *err)
{
	struct checked c = {0};
	if (check_draft(a, d, &c, err) < 0)
		return -1;
	mime_init();

	GMimeMessage *m = assemble(a, d, &c);
	GMimeFormatOptions *fo = g_mime_format_options_new();
	GMimeStream *out = g_mime_stream_mem_new();
	g_mime_format_options_set_newline_format(fo, GMIME_NEWLINE_FORMAT_DOS);
	ssize_t w = g_mime_object_write_to_stream(GMIME_OBJECT(m), fo, out);
	GByteArray *ba = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(out));
	int rc = 0;
	if (w < 0 || !ba) {
		rc = err_set(err, ERR_INTERNAL, "GMime could not write the message");
	} else {
		char *raw = arena_alloc(a, ba->len + 1);
		memcpy(raw, ba->data, ba->len);
		*raw_r = raw;
		*len_r = ba->len;
	}
	g_object_unref(out);
	g_mime_format_options_free(fo);
	g_object_unref(m);
	return rc;
}

/* addr with its domain lower-cased, IDNA-encoded if it is not ASCII. */
static const char *envelope_addr(struct arena *a, const char *addr)
{
	char *r = arena_strdup(a, addr);
	char *at = strrchr(r, '@');
	bool ascii = true;
	for (char *p = at + 1; *p; p++) {
		*p = (char)tolower((unsigned char)*p);
		ascii &= (unsigned char)*p < 0x80;
	}
	if (ascii)
		return r;
	mime_init();
	InternetAddress *ia = internet_address_mailbox_new(NULL, r);
	const char *idn = internet_address_mailbox_get_idn_addr(INTERNET_ADDRESS_MAILBOX(ia));
	r = arena_strdup(a, idn ? idn : r);
	g_object_unref(ia);
	at = strrchr(r, '@');
	for (char *p = at ? at + 1 : r + strlen(r); *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return r;
}

int mime_draft_recipients(const struct mime_draft *d, struct arena *a, const char ***rcpts_r,
			  size_t *n_r, struct err *err)
{
	const struct {
		const char *const *v;
		size_t n;
		const char *what;
	} lists[] = {{d->to, d->nto, "to"}, {d->cc, d->ncc, "cc"}, {d->bcc, d->nbcc, "bcc"}};
	size_t total = d->nto + d->ncc + d->nbcc, n = 0;
	struct mbox *mb;

	if (total == 0 || total > MIME_BUILD_MAX_RECIPIENTS)
		return check_counts(d, err);
	const char **out = arena_alloc(a, total * sizeof(*out));
	for (size_t l = 0; l < sizeof(lists) / sizeof(lists[0]); l++) {
		if (parse_list(a, lists[l].v, lists[l].n, lists[l].what, &mb, err) < 0)
			return -1;
		for (size_t i = 0; i < lists[l].n; i++) {
			const char *r = envelope_addr(a, mb[i].addr);
			size_t k = 0;
			while (k < n && strcmp(out[k], r) != 0)
				k++;
			if (k == n)
				out[n++] = r;
		}
	}
	*rcpts_r = out;
	*n_r = n;
	return 0;
}
