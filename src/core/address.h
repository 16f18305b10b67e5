/* Email addresses and domains in the form Parley stores and matches on. */
#ifndef CORE_ADDRESS_H
#define CORE_ADDRESS_H

struct arena;

#define ADDRESS_MAX_DOMAIN 253

/* The trimmed, lower-cased address if in is a valid addr-spec (local@domain),
   allocated in a; NULL if it is not. */
char *address_normalize(struct arena *a, const char *in);

/* The lower-cased domain name (a leading '@' dropped), allocated in a, or NULL. */
char *address_domain_normalize(struct arena *a, const char *in);

#endif
