/* Sanitise once, keep the result: the view of a message must not re-parse a
 * hostile multi-megabyte HTML part each time. The variant with remote loads
 * blocked is made when the message is stored (or, for mail stored before, on
 * its first view); the variant with them allowed on the first view that asks,
 * and only when the blocked one removed something (else both are the same). */
#include <stdatomic.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/log.h"
#include "base/str.h"
#include "base/time.h"
#include "mail/html_safe.h"
#include "mail/mime/mime_html.h"
#include "store/store.h"
#include "base/banned.h"

static atomic_long sanitised;

long mail_html_safe_count(void)
{
	return atomic_load(&sanitised);
}

/* A note and the text, escaped, within MAIL_HTML_SAFE_MAX bytes. */
static const char *text_instead(const char *raw, const char *text, struct arena *a)
{
	struct err e;
	char *derived = NULL;
	if (!text || !*text)
		text = mime_html_to_text((struct slice){raw, strlen(raw)}, a, &derived, &e) == 0
			   ? derived
			   : "";
	struct buf b;
	buf_init(&b, a, MAIL_HTML_SAFE_MAX);
	buf_puts(&b, "<p><em>This message's formatting is too large or too complex to show; "
		     "here is its text.</em></p><pre>");
	size_t room = MAIL_HTML_SAFE_MAX - sizeof("</pre>") - 8;
	for (const char *p = text; *p && b.len < room; p++) {
		/* stop before a multi-byte character that would not fit whole */
		if (((unsigned char)*p & 0xC0) == 0xC0 && b.len + 4 >= room)
			break;
		if (*p == '<')
			buf_puts(&b, "&lt;");
		else if (*p == '>')
			buf_puts(&b, "&gt;");
		else if (*p == '&')
			buf_puts(&b, "&amp;");
		else
			buf_putc(&b, *p);
	}
	buf_puts(&b, "</pre>");
	return b.data;
}

static int sanitise(int64_t id, const char *raw, const char *text, bool remote, struct arena *a,
		    struct mail_html_safe *out, struct err *err)
{
	struct mime_html_opts o = {
	    .cid_url_prefix = arena_printf(a, MAIL_HTML_CID_FMT, id),
	    .allow_remote = remote,
	};
	struct mime_html_result res;
	struct err e2 = {0};
	int64_t t0 = time_mono_ns();
	atomic_fetch_add(&sanitised, 1);
	int r = mime_html_sanitize_result((struct slice){raw, strlen(raw)}, &o, a, &res, &e2);
	if (r < 0 && e2.code != ERR_TOOBIG) {
		*err = e2;
		return -1;
	}
	bool fits = r == 0 && strlen(res.html) <= MAIL_HTML_SAFE_MAX;
	out->html = fits ? res.html : text_instead(raw, text, a);
	out->remote_blocked = r == 0 ? res.remote_blocked : 0;
	long long ms = (long long)((time_mono_ns() - t0) / 1000000);
	log_msg(ms >= 100 || !fits ? LOG_INFO : LOG_DEBUG,
		"mail: message %" PRId64 ": HTML sanitised once%s (%zu bytes in %lld ms)%s", id,
		remote ? " with remote loads" : "", strlen(raw), ms, fits ? "" : ", kept as text");
	return 0;
}

int mail_html_safe(struct store *st, int64_t id, const char *raw, const char *text, bool remote,
		   struct arena *a, struct mail_html_safe *out, struct err *err)
{
	char *kept;
	int blocked = 0;
	int r = store_message_html_safe(st, id, remote, a, &kept, &blocked, err);
	if (r < 0)
		return -1;
	if (r == 1) {
		*out = (struct mail_html_safe){kept, remote ? 0 : blocked};
		return 0;
	}
	if (remote) { /* nothing was blocked: the blocked variant is the same */
		r = store_message_html_safe(st, id, false, a, &kept, &blocked, err);
		if (r < 0)
			return -1;
		if (r == 1 && blocked == 0) {
			*out = (struct mail_html_safe){kept, 0};
			return 0;
		}
	}
	if (sanitise(id, raw, text, remote, a, out, err) < 0)
		return -1;
	if (store_message_set_html_safe(st, id, remote, out->html, out->remote_blocked, err) < 0)
		return -1;
	if (remote)
		out->remote_blocked = 0;
	return 0;
}
