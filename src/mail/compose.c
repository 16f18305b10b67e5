/* Drafts to MIME: address lists, bodies (Markdown through cmark), base64
 * attachments, reply headers; mime_build() does the encoding and refuses
 * header injection. */
#include <sodium.h>
#include <string.h>

#include "core/markdown.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "mail/compose.h"
#include "mail/mime/mime_build.h"
#include "mail/mime/mime_html.h"
#include "base/banned.h"

static int string_list(const json_t *d, const char *key, struct arena *a, const char *const **out,
		       size_t *n, struct err *err)
{
	const json_t *v = json_object_get(d, key);
	*out = NULL;
	*n = 0;
	if (!v || json_is_null(v))
		return 0;
	if (!json_is_array(v))
		return err_set_field(err, ERR_INVALID, key, "'%s' must be an array of addresses",
				     key);
	const char **list = arena_alloc(a, (json_array_size(v) + 1) * sizeof(*list));
	size_t i;
	const json_t *el;
	json_array_foreach(v, i, el)
	{
		if (!json_is_string(el))
			return err_set_field(err, ERR_INVALID, key, "'%s' must hold strings", key);
		list[i] = json_string_value(el);
	}
	*out = list;
	*n = json_array_size(v);
	return 0;
}

static int attachments(const json_t *d, struct arena *a, struct mime_draft *m, struct err *err)
{
	const json_t *v = json_object_get(d, "attachments");
	if (!v)
		return 0;
	if (!json_is_array(v) || json_array_size(v) > MIME_BUILD_MAX_ATTACHMENTS)
		return err_set_field(err, ERR_INVALID, "attachments",
				     "'attachments' must be an array of {filename, content_type, "
				     "content}");
	struct mime_attachment_in *at = arena_alloc(a, (json_array_size(v) + 1) * sizeof(*at));
	size_t i;
	const json_t *el;
	json_array_foreach(v, i, el)
	{
		const char *b64 = json_get_str(el, "content");
		size_t len = b64 ? strlen(b64) : 0, out = 0;
		unsigned char *bin = arena_alloc(a, len + 1);
		if (!b64 || len > COMPOSE_MAX_ATTACHMENT_JSON ||
		    sodium_base642bin(bin, len + 1, b64, len, " \r\n\t", &out, NULL,
				      sodium_base64_VARIANT_ORIGINAL) != 0)
			return err_set_field(err, ERR_INVALID, "attachments",
					     "attachment %zu: 'content' must be base64", i);
		at[i] = (struct mime_attachment_in){json_get_str(el, "filename"),
						    json_get_str(el, "content_type"),
						    bin,
						    out,
						    json_get_str(el, "content_id"),
						    false};
	}
	m->attachments = at;
	m->nattachments = json_array_size(v);
	return 0;
}

/* text / markdown / html into the draft's two bodies. */
static int bodies(const json_t *d, struct arena *a, struct mime_draft *m, struct err *err)
{
	const char *md = json_get_str(d, "markdown"), *html = json_get_str(d, "html");
	const char *text = json_get_str(d, "text");
	char *h = NULL, *t = NULL;
	if (md) {
		if (markdown_render((struct slice){md, strlen(md)}, a, &h, &t, err) < 0)
			return err->field[0]
				   ? -1
				   : err_set_field(err, err->code, "markdown", "%s", err->msg);
		html = h;
		text = text && *text ? text : t;
	}
	if (html && (!text || !*text)) {
		if (mime_html_to_text((struct slice){html, strlen(html)}, a, &t, err) < 0)
			return -1;
		text = t;
	}
	m->text = text && *text ? text : NULL;
	m->html = html && *html ? html : NULL;
	return 0;
}

static const char *header_line(struct arena *a, const char *name, const char *value)
{
	return value ? arena_printf(a, "%s: %s", name, value) : NULL;
}

int mail_compose(const json_t *d, const char *message_id, struct arena *a, char **raw_r,
		 size_t *len_r, const char ***rcpts_r, size_t *nrcpts_r, struct err *err)
{
	struct mime_draft m = {0};
	if (!json_is_object(d))
		return err_set(err, ERR_INVALID, "the message must be a JSON object");
	/* a display name from before names were checked may hold a line break: strip it
	   here rather than refuse every mail of that user */
	m.from_name = str_no_ctl(a, json_get_str(d, "from_name"));
	m.from_addr = json_get_str(d, "from_addr");
	m.subject = json_get_str(d, "subject");
	m.message_id = message_id;
	m.in_reply_to = json_get_str(d, "in_reply_to");
	m.date = json_integer_value(json_object_get(d, "date")); /* 0: now */
	if (string_list(d, "to", a, &m.to, &m.nto, err) < 0 ||
	    string_list(d, "cc", a, &m.cc, &m.ncc, err) < 0 ||
	    string_list(d, "bcc", a, &m.bcc, &m.nbcc, err) < 0 ||
	    string_list(d, "references", a, &m.references, &m.nreferences, err) < 0 ||
	    attachments(d, a, &m, err) < 0 || bodies(d, a, &m, err) < 0)
		return -1;
	const char **extra = arena_alloc(a, 3 * sizeof(*extra));
	const char *auto_sub = header_line(a, "Auto-Submitted", json_get_str(d, "auto_submitted"));
	const char *unsub = header_line(a, "List-Unsubscribe", json_get_str(d, "list_unsubscribe"));
	if (auto_sub)
		extra[m.nextra++] = auto_sub;
	if (unsub)
		extra[m.nextra++] = unsub;
	m.extra_headers = extra;
	if (mime_build(&m, a, raw_r, len_r, err) < 0 ||
	    mime_draft_recipients(&m, a, rcpts_r, nrcpts_r, err) < 0)
		return -1;
	return 0;
}
