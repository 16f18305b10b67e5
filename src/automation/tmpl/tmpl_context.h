/* The data templates and rule conditions see: the contact (with a display
 * name), company, deal (amount formatted), order, the contact's purchase
 * history, the owner (name, email, signature) and the unsubscribe link. */
#ifndef AUTOMATION_TMPL_TMPL_CONTEXT_H
#define AUTOMATION_TMPL_TMPL_CONTEXT_H

#include <jansson.h>
#include <stdint.h>

struct arena;
struct err;
struct store;

/* The records a context is built around; 0 where there is none. */
struct tmpl_subject {
	int64_t contact_id, company_id, deal_id, order_id, user_id;
};

/* Builds the context (a JSON object tied to a). base_url (may be NULL)
   prefixes unsubscribe_url. Missing records are simply absent. */
int tmpl_context_build(struct store *st, const struct tmpl_subject *subj, const char *base_url,
		       struct arena *a, json_t **ctx_r, struct err *err);

/* Fills subj from a domain event (its entity and payload). */
int tmpl_subject_from_event(struct store *st, const json_t *event, struct arena *a,
			    struct tmpl_subject *subj, struct err *err);

/* "1,500.00 EUR" for 150000 minor units. Allocated in a. */
char *tmpl_money(struct arena *a, long long minor, const char *currency);

#endif
