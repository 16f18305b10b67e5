/* Pure rules for linking mail to the CRM: subject keys for threading, plus-
 * address folding, free-mail domains, and the deal id Parley hides in the
 * Message-IDs it generates. */
#ifndef CORE_MAIL_LINK_H
#define CORE_MAIL_LINK_H

#include <stdbool.h>
#include <stdint.h>

struct arena;

/* The subject without reply/forward prefixes ("Re:", "Fwd:", "AW:", "SV:",
   "Ответ:", "[list]" tags...), lower-cased, white space collapsed; allocated
   in a. "" for NULL. */
char *mail_subject_key(struct arena *a, const char *subject);

/* "local+tag@domain" -> "local@domain", lower-cased; allocated in a. */
char *mail_fold_plus(struct arena *a, const char *address);

/* True for consumer mail domains (gmail.com, outlook.com, ...): they say
   nothing about the company someone works for. */
bool mail_free_domain(const char *domain);

/* A new Message-ID (without brackets) for mail Parley sends, carrying deal_id
   when it is > 0: "parley.d42.<random>@host". Allocated in a. */
char *mail_message_id_new(struct arena *a, int64_t deal_id, const char *host);

/* The deal id in a Message-ID Parley generated, or 0. */
int64_t mail_message_id_deal(const char *message_id);

/* The token in a contact's unsubscribe link: "ID.MAC" with an HMAC under
   secret, so nobody can unsubscribe someone else by guessing ids. */
char *mail_unsubscribe_token(struct arena *a, const char *secret, int64_t contact_id);
/* The contact id a token names, or 0 if it is not genuine. */
int64_t mail_unsubscribe_contact(const char *secret, const char *token);

#endif
