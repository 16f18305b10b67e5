/*
 * Every action a rule can take. To add one: write <name>_validate() (checks
 * the action's JSON when the rule is saved) and <name>_run() (does it once for
 * a fired rule; it must be safe to repeat with the same job key), and add a
 * line to actions[].
 */
#include <curl/curl.h>
#include <inttypes.h>
#include <sodium.h>
#include <string.h>

#include "automation/automation.h"
#include "automation/automation_int.h"
#include "automation/scenarios.h"
#include "automation/tmpl/email_template.h"
#include "automation/tmpl/mustache.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/log.h"
#include "base/str.h"
#include "base/time.h"
#include "core/entity.h"
#include "core/mail_account.h"
#include "core/mail_link.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define WEBHOOK_TIMEOUT_S 10
#define WEBHOOK_MAX_URL	  2000

char *automation_render_text(struct automation_ctx *c, const char *tmpl)
{
	struct err e;
	struct buf b;
	buf_init(&b, c->a, 64 * 1024);
	struct mustache_tmpl *t = mustache_parse(c->a, tmpl, strlen(tmpl), &e);
	struct mustache_opts o = {.no_escape = true};
	if (!t || mustache_render(t, c->ctx, &o, &b, &e) < 0)
		return arena_strdup(c->a, tmpl);
	return b.data;
}

/* The admin who made the fired rule, 0 if unknown. */
static int64_t rule_author(struct automation_ctx *c)
{
	struct err e;
	int64_t creator = 0;
	store_query_int(c->st, "SELECT created_by FROM rules WHERE id = ?", &creator, &e, 1,
			(int64_t)json_integer_value(json_object_get(c->rule, "id")));
	return creator;
}

int64_t automation_user(struct automation_ctx *c, const json_t *who)
{
	if (json_is_integer(who))
		return json_integer_value(who);
	const json_t *contact = json_object_get(c->ctx, "contact"),
		     *deal = json_object_get(c->ctx, "deal");
	const char *entity = json_get_str(c->event, "entity");
	if (entity && strcmp(entity, "meeting") == 0 && /* the organizer */
	    json_integer_value(json_object_get(json_object_get(c->event, "payload"), "owner_id")))
		return json_integer_value(
		    json_object_get(json_object_get(c->event, "payload"), "owner_id"));
	int64_t u = json_integer_value(json_object_get(contact, "owner_id"));
	if (!u)
		u = json_integer_value(json_object_get(deal, "owner_id"));
	return u ? u : rule_author(c);
}

int64_t automation_cause(struct automation_ctx *c)
{
	int64_t actor = json_integer_value(json_object_get(c->event, "actor_id"));
	return actor > 0 ? actor : rule_author(c);
}

static int check_who(const json_t *v, struct err *err)
{
	if (!v || (json_is_string(v) && strcmp(json_string_value(v), "owner") == 0) ||
	    (json_is_integer(v) && json_integer_value(v) > 0))
		return 0;
	return err_set(err, ERR_INVALID, "the user must be \"owner\" or a user id");
}

static int check_text(const json_t *ac, const char *key, bool required, struct err *err)
{
	const json_t *v = json_object_get(ac, key);
	struct err e2;
	struct arena *a;
	if (!v)
		return required ? err_set(err, ERR_INVALID, "'%s' is required", key) : 0;
	const char *s = json_string_value(v);
	if (!s || strlen(s) > 2000)
		return err_set(err, ERR_INVALID, "'%s' must be a string (at most 2000 bytes)", key);
	a = arena_new();
	bool ok = mustache_parse(a, s, strlen(s), &e2) != NULL;
	arena_free(&a);
	return ok ? 0 : err_set(err, ERR_INVALID, "'%s': %s", key, e2.msg);
}

/* ---- send_template: {template (id or name), to: "contact"} ---- */

static int find_template(struct store *st, const json_t *t, struct arena *a, json_t **tmpl_r,
			 struct err *err)
{
	int r = json_is_integer(t) ? store_template_get(st, json_integer_value(t), a, tmpl_r, err)
		: json_is_string(t)
		    ? store_template_by_name(st, json_string_value(t), a, tmpl_r, err)
		    : 0;
	if (r == 0)
		return err_set(err, ERR_INVALID, "no such template");
	return r < 0 ? -1 : 0;
}

static int send_template_validate(struct store *st, json_t *ac, struct err *err)
{
	struct arena *a = arena_new();
	json_t *t;
	int r = find_template(st, json_object_get(ac, "template"), a, &t, err);
	arena_free(&a);
	return r;
}

/* Whether one of rule's actions sends template id or name. */
static bool sends_template(const json_t *rule, int64_t id, const char *name)
{
	size_t k;
	json_t *ac;
	json_array_foreach(json_object_get(rule, "actions"), k, ac)
	{
		const json_t *t = json_object_get(ac, "template");
		const char *type = json_get_str(ac, "type");
		if (!type || strcmp(type, "send_template") != 0)
			continue;
		if ((id && json_is_integer(t) && json_integer_value(t) == id) ||
		    (name && json_is_string(t) && strcmp(json_string_value(t), name) == 0))
			return true;
	}
	return false;
}

int automation_template_in_use(struct store *st, int64_t id, const char *name, struct arena *a,
			       struct err *err)
{
	json_t *rules, *rule;
	size_t i;
	if (scenario_ships_template(name))
		return 1;
	if (store_rule_list(st, false, a, &rules, err) < 0)
		return -1;
	json_array_foreach(rules, i, rule) if (sends_template(rule, id, name)) return 1;
	return 0;
}

/* The mailbox to write from: the owner's own if the owner caused this mail
   (a colleague creating or handing over a record does not make the owner's
   mailbox write), else a shared one. 1, 0 if there is none (detail says why
   when the owner's was refused), -1. */
static int sender_account(struct automation_ctx *c, int64_t owner, int64_t cause,
			  struct mail_account **m_r, json_t *detail, struct err *err)
{
	bool own = owner && owner == cause;
	int r = store_account_sender(c->st, own ? owner : 0, c->a, m_r, err);
	if (r != 0)
		return r;
	if (own)
		return err_set(err, ERR_INVALID, "no mailbox to send from (connect one)");
	log_info("automation: rule %" PRId64 " not sent: user %" PRId64
		 " caused it, not the owner %" PRId64 ", and there is no shared mailbox",
		 (int64_t)json_integer_value(json_object_get(c->rule, "id")), cause, owner);
	json_object_set_new(detail, "skipped",
			    json_string("not sent: the owner did not cause this mail, and there "
					"is no shared mailbox to send it from"));
	return 0;
}

static int send_template_run(struct automation_ctx *c, const json_t *ac, json_t *detail,
			     struct err *err)
{
	json_t *tmpl, *contact = json_object_get(c->ctx, "contact");
	const char *to = json_get_str(contact, "email");
	if (!to)
		return err_set(err, ERR_INVALID, "the contact has no email address");
	if (json_is_array(json_object_get(contact, "tags"))) {
		size_t i;
		json_t *t;
		json_array_foreach(json_object_get(contact, "tags"), i,
				   t) if (json_is_string(t) &&
					  strcmp(json_string_value(t), "unsubscribed") == 0)
		{
			json_object_set_new(detail, "skipped",
					    json_string("the contact unsubscribed"));
			return 0;
		}
	}
	struct rendered_email out;
	struct mail_account *from;
	int64_t owner = automation_user(c, NULL), cause = automation_cause(c), id;
	if (find_template(c->st, json_object_get(ac, "template"), c->a, &tmpl, err) < 0 ||
	    email_template_render(json_get_str(tmpl, "subject"), json_get_str(tmpl, "body"),
				  json_get_str(tmpl, "format"), c->ctx, c->a, &out, NULL, err) < 0)
		return -1;
	int r = sender_account(c, owner, cause, &from, detail, err);
	if (r <= 0)
		return r;
	int64_t deal = json_integer_value(json_object_get(json_object_get(c->ctx, "deal"), "id"));
	/* The name on the mail is the owner's only from the owner's mailbox. */
	const char *from_name = json_get_str(json_object_get(c->ctx, "user"), "name");
	struct user *cu;
	if (from->shared)
		from_name =
		    cause && store_user_get(c->st, cause, c->a, &cu, err) == 1 ? cu->name : NULL;
	struct outbox_item it = {
	    .account_id = from->id,
	    .message_id = mail_message_id_new(c->a, deal, strrchr(from->email, '@') + 1),
	    .envelope_from = from->email,
	    .recipients = json_in_arena(c->a, json_pack("[s]", to)),
	    .subject = out.subject,
	    .deal_id = deal,
	    .created_by = owner,
	    .caused_by = cause,
	    .draft =
		json_in_arena(c->a, json_pack("{s:s?s:ss:[s]s:ss:ss:ss:s}", "from_name", from_name,
					      "from_addr", from->email, "to", to, "subject",
					      out.subject, "text", out.text ? out.text : "", "html",
					      out.html, "auto_submitted", "auto-generated")),
	};
	if (store_outbox_enqueue(c->st, &it, c->key, &id, err) < 0)
		return -1;
	json_object_set_new(detail, "outbox_id", json_integer(id));
	json_object_set_new(detail, "from", json_string(from->email));
	json_object_set_new(detail, "caused_by", cause ? json_integer(cause) : json_null());
	json_object_set_new(detail, "to", json_string(to));
	json_object_set_new(detail, "subject", json_string(out.subject));
	return 0;
}

/* ---- create_task: {title, due_in_hours, assignee} ---- */

static int create_task_validate(struct store *st, json_t *ac, struct err *err)
{
	const json_t *h = json_object_get(ac, "due_in_hours");
	if (check_text(ac, "title", true, err) < 0 ||
	    check_who(json_object_get(ac, "assignee"), err) < 0)
		return -1;
	if (h &&
	    (!json_is_integer(h) || json_integer_value(h) < 0 || json_integer_value(h) > 24 * 365))
		return err_set(err, ERR_INVALID, "'due_in_hours' must be 0 to 8760");
	return 0;
}

static int create_task_run(struct automation_ctx *c, const json_t *ac, json_t *detail,
			   struct err *err)
{
	const json_t *h = json_object_get(ac, "due_in_hours");
	int64_t assignee = automation_user(c, json_object_get(ac, "assignee"));
	json_t *rec = json_in_arena(
	    c->a,
	    json_pack("{sssIss}", "title", automation_render_text(c, json_get_str(ac, "title")),
		      "due_at", (json_int_t)(c->now + (h ? json_integer_value(h) : 24) * 3600),
		      "source", "rule"));
	json_object_set_new(rec, "status", json_string("open"));
	if (assignee)
		json_object_set_new(rec, "assignee_id", json_integer(assignee));
	static const char *const links[][2] = {
	    {"contact", "contact_id"}, {"deal", "deal_id"}, {"company", "company_id"}};
	for (size_t i = 0; i < 3; i++) {
		const json_t *r = json_object_get(c->ctx, links[i][0]);
		if (r)
			json_object_set(rec, links[i][1], json_object_get(r, "id"));
	}
	json_t *out;
	if (store_record_create(c->st, &task_def, rec, 0, c->a, &out, err) < 0)
		return -1;
	json_object_set(detail, "task_id", json_object_get(out, "id"));
	return 0;
}

/* ---- notify: {user, title, body} ---- */

static int notify_validate(struct store *st, json_t *ac, struct err *err)
{
	return check_text(ac, "title", true, err) < 0 || check_text(ac, "body", false, err) < 0
		   ? -1
		   : check_who(json_object_get(ac, "user"), err);
}

static int notify_run(struct automation_ctx *c, const json_t *ac, json_t *detail, struct err *err)
{
	int64_t u = automation_user(c, json_object_get(ac, "user"));
	const char *body = json_get_str(ac, "body");
	if (!u)
		return err_set(err, ERR_INVALID, "nobody to notify");
	if (store_notify(c->st, u, "rule", automation_render_text(c, json_get_str(ac, "title")),
			 body ? automation_render_text(c, body) : "", NULL, err) < 0)
		return -1;
	json_object_set_new(detail, "user_id", json_integer(u));
	return 0;
}

/* ---- set_deal_stage: {stage} ---- */

static int set_deal_stage_validate(struct store *st, json_t *ac, struct err *err)
{
	struct arena *a = arena_new();
	struct entity_env env;
	int rc = -1;
	const char *stage = json_get_str(ac, "stage");
	if (store_entity_env(st, a, &env, err) == 0) {
		for (size_t i = 0; stage && env.stages[i] && rc < 0; i++)
			if (strcmp(env.stages[i], stage) == 0)
				rc = 0;
		if (rc < 0)
			err_set(err, ERR_INVALID, "'stage' must be a stage of the pipeline");
	}
	arena_free(&a);
	return rc;
}

static int set_deal_stage_run(struct automation_ctx *c, const json_t *ac, json_t *detail,
			      struct err *err)
{
	const json_t *deal = json_object_get(c->ctx, "deal");
	json_t *out;
	if (!deal)
		return err_set(err, ERR_INVALID, "the event concerns no deal");
	json_t *ch = json_in_arena(c->a, json_pack("{sO}", "stage", json_object_get(ac, "stage")));
	if (store_record_update(c->st, &deal_def, json_integer_value(json_object_get(deal, "id")),
				ch, 0, c->a, &out, err) < 0)
		return -1;
	json_object_set(detail, "deal_id", json_object_get(deal, "id"));
	return 0;
}

/* ---- add_tag: {tag} ---- */

static int add_tag_validate(struct store *st, json_t *ac, struct err *err)
{
	struct arena *a = arena_new();
	json_t *out;
	struct entity_env env = {0};
	int r = norm_tag(json_object_get(ac, "tag"), &env, a, &out, err);
	if (r == 0)
		json_object_set(ac, "tag", out);
	arena_free(&a);
	return r;
}

static int add_tag_run(struct automation_ctx *c, const json_t *ac, json_t *detail, struct err *err)
{
	const json_t *contact = json_object_get(c->ctx, "contact");
	json_t *out;
	if (!contact)
		return err_set(err, ERR_INVALID, "the event concerns no contact");
	json_t *tags = json_in_arena(c->a, json_deep_copy(json_object_get(contact, "tags")));
	size_t i;
	json_t *t;
	json_array_foreach(tags, i, t) if (json_equal(t, json_object_get(ac, "tag"))) return 0;
	json_array_append(tags, json_object_get(ac, "tag"));
	json_t *ch = json_in_arena(c->a, json_pack("{sO}", "tags", tags));
	if (store_record_update(c->st, &contact_def,
				json_integer_value(json_object_get(contact, "id")), ch, 0, c->a,
				&out, err) < 0)
		return -1;
	json_object_set(detail, "contact_id", json_object_get(contact, "id"));
	return 0;
}

/* ---- webhook: {url, secret} ---- */

static int webhook_validate(struct store *st, json_t *ac, struct err *err)
{
	const char *url = json_get_str(ac, "url"), *secret = json_get_str(ac, "secret");
	if (!url || strlen(url) > WEBHOOK_MAX_URL ||
	    (!str_starts_with(url, "https://") && !str_starts_with(url, "http://")))
		return err_set(err, ERR_INVALID, "'url' must be an http(s) URL");
	if (secret && strlen(secret) > 256)
		return err_set(err, ERR_INVALID, "'secret' is too long");
	return 0;
}

static size_t discard(char *p, size_t size, size_t n, void *ud)
{
	return size * n;
}

/* The signing secret of action ac of the fired rule (sealed in the store). */
static int webhook_secret(struct automation_ctx *c, const json_t *ac, char **secret_r,
			  struct err *err)
{
	size_t i;
	json_t *x;
	*secret_r = NULL;
	int64_t id = json_integer_value(json_object_get(c->rule, "id"));
	json_array_foreach(json_object_get(c->rule, "actions"), i, x)
	{
		if (x == ac)
			return store_rule_webhook_secret(c->st, id, i, c->a, secret_r, err) < 0 ? -1
												: 0;
	}
	return 0;
}

static int webhook_run(struct automation_ctx *c, const json_t *ac, json_t *detail, struct err *err)
{
	char *secret;
	if (webhook_secret(c, ac, &secret, err) < 0)
		return -1;
	json_t *body =
	    json_in_arena(c->a, json_pack("{sOsOsOss}", "rule", c->rule, "event", c->event,
					  "context", c->ctx, "idempotency_key", c->key));
	char *data = json_dump_arena(c->a, body);
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	char hex[sizeof(mac) * 2 + 1];
	crypto_auth_hmacsha256_state h;
	crypto_auth_hmacsha256_init(&h, (const unsigned char *)(secret ? secret : ""),
				    secret ? strlen(secret) : 0);
	crypto_auth_hmacsha256_update(&h, (const unsigned char *)data, strlen(data));
	crypto_auth_hmacsha256_final(&h, mac);
	sodium_bin2hex(hex, sizeof(hex), mac, sizeof(mac));
	CURL *curl = curl_easy_init();
	struct curl_slist *hdrs = NULL;
	hdrs = curl_slist_append(hdrs, "Content-Type: application/json");
	hdrs = curl_slist_append(hdrs, arena_printf(c->a, "X-Parley-Signature: sha256=%s", hex));
	hdrs = curl_slist_append(hdrs, arena_printf(c->a, "Idempotency-Key: %s", c->key));
	curl_easy_setopt(curl, CURLOPT_URL, json_get_str(ac, "url"));
	curl_easy_setopt(curl, CURLOPT_POSTFIELDS, data);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)WEBHOOK_TIMEOUT_S);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	CURLcode rc = curl_easy_perform(curl);
	long status = 0;
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(curl);
	json_object_set_new(detail, "status", json_integer(status));
	if (rc != CURLE_OK)
		return err_set(err, ERR_TEMP, "webhook: %s", curl_easy_strerror(rc));
	if (status < 200 || status >= 300)
		return err_set(err, ERR_TEMP, "webhook answered HTTP %ld", status);
	return 0;
}

static const struct action_field send_template_fields[] = {
    {"template", "template", true, "Template", "sent to the contact"},
    {NULL, NULL, false, NULL, NULL},
};
static const struct action_field create_task_fields[] = {
    {"title", "mustache", true, "Task", "such as Call {{contact.first_name}}"},
    {"due_in_hours", "number", false, "Due in hours", "0 to 8760; empty: 24"},
    {"assignee", "user", false, "For", NULL},
    {NULL, NULL, false, NULL, NULL},
};
static const struct action_field notify_fields[] = {
    {"title", "mustache", true, "Title", NULL},
    {"body", "mustache", false, "Text", NULL},
    {"user", "user", false, "Who", NULL},
    {NULL, NULL, false, NULL, NULL},
};
static const struct action_field set_deal_stage_fields[] = {
    {"stage", "stage", true, "Stage", NULL},
    {NULL, NULL, false, NULL, NULL},
};
static const struct action_field add_tag_fields[] = {
    {"tag", "text", true, "Tag", NULL},
    {NULL, NULL, false, NULL, NULL},
};
static const struct action_field webhook_fields[] = {
    {"url", "url", true, "URL", "http or https"},
    {"secret", "secret", false, "Secret", "signs each call (HMAC-SHA256); never shown again"},
    {NULL, NULL, false, NULL, NULL},
};

const struct action actions[] = {
    {"send_template", "send a template to the contact from the owner's mailbox",
     send_template_validate, send_template_run, "Send a template to the contact",
     send_template_fields},
    {"create_task", "create a task for the owner", create_task_validate, create_task_run,
     "Create a task", create_task_fields},
    {"notify", "notify a user", notify_validate, notify_run, "Notify someone", notify_fields},
    {"set_deal_stage", "move the deal to a stage", set_deal_stage_validate, set_deal_stage_run,
     "Move the deal to a stage", set_deal_stage_fields},
    {"add_tag", "add a tag to the contact", add_tag_validate, add_tag_run, "Tag the contact",
     add_tag_fields},
    {"webhook", "POST the event, signed with HMAC-SHA256", webhook_validate, webhook_run,
     "Call a webhook", webhook_fields},
    {NULL, NULL, NULL, NULL, NULL, NULL},
};

const struct action *action_find(const char *name)
{
	for (size_t i = 0; name && actions[i].name; i++)
		if (strcmp(actions[i].name, name) == 0)
			return &actions[i];
	return NULL;
}
