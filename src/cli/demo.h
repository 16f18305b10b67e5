/* Demo data: a realistic small CRM to explore right after `make run`. */
#ifndef CLI_DEMO_H
#define CLI_DEMO_H

struct store;
struct err;

/* Loads the demo data (managers without passwords, companies, contacts, deals
   in every stage, orders, notes, tasks) in one transaction. Deterministic:
   the same data every time. Returns 0 or -1. */
int demo_load(struct store *st, struct err *err);

/* Demo mail: a shared, disabled team mailbox holding short conversations with
   the first demo contacts (threads on their cards, linked to their deals).
   Blobs go to blob_dir. Returns 0 or -1. */
int demo_mail_load(struct store *st, const char *blob_dir, struct err *err);

#endif
