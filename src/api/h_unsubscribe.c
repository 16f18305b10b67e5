/* The unsubscribe link in mail Parley sends: GET shows a page and unsubscribes
 * (the contact gets the tag "unsubscribed", which sending respects), POST does
 * the same for one-click List-Unsubscribe-Post (RFC 8058). No login: the link's
 * signature is the authority. */
#include <inttypes.h>
#include <string.h>

#include "api/handlers.h"
#include "api/req.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/json.h"
#include "core/entity.h"
#include "core/mail_link.h"
#include "store/store.h"
#include "base/banned.h"

static const char page[] =
    "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" "
    "content=\"width=device-width, initial-scale=1\"><title>Unsubscribed</title><style>body{"
    "font:16px/1.5 system-ui,sans-serif;max-width:32em;margin:4em auto;padding:0 1em}</style>"
    "</head><body><h1>You are unsubscribed</h1><p>You will get no more mailings from us. Mail "
    "you exchange with your contact person is not affected.</p></body></html>\\n";

int h_unsubscribe(struct req *rq)
{
	char *secret;
	json_t *contact, *out;
	const char *token = rq->nparams ? rq->params[0] : "";
	if (store_secret(rq->store, "unsubscribe.secret", rq->arena, &secret, &rq->err) < 0)
		return -1;
	int64_t id = mail_unsubscribe_contact(secret, token);
	int r =
	    id ? store_record_get(rq->store, &contact_def, id, rq->arena, &contact, &rq->err) : 0;
	if (r < 0)
		return -1;
	if (r == 0)
		return err_set(&rq->err, ERR_NOTFOUND, "this unsubscribe link is not valid");
	json_t *tags = json_in_arena(rq->arena, json_deep_copy(json_object_get(contact, "tags")));
	size_t i;
	json_t *t;
	bool has = false;
	json_array_foreach(tags, i, t) has |=
	    json_is_string(t) && strcmp(json_string_value(t), "unsubscribed") == 0;
	if (!has) {
		json_array_append_new(tags, json_string("unsubscribed"));
		json_t *ch = json_in_arena(rq->arena, json_pack("{s:O}", "tags", tags));
		json_t *p = json_in_arena(rq->arena, json_pack("{s:I}", "id", (json_int_t)id));
		if (store_record_update(rq->store, &contact_def, id, ch, 0, rq->arena, &out,
					&rq->err) < 0 ||
		    store_event_add(rq->store, "contact.unsubscribed", "contact", id, 0, p,
				    &rq->err) < 0)
			return -1;
	}
	rq->status = 200;
	rq->content_type = "text/html; charset=utf-8";
	req_add_header(rq, "Content-Security-Policy",
		       "default-src 'none'; style-src 'unsafe-inline'");
	buf_puts(&rq->resp, page);
	return 0;
}
