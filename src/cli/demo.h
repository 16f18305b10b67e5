/* Demo data: a realistic small CRM to explore right after `make run`. */
#ifndef CLI_DEMO_H
#define CLI_DEMO_H

struct store;
struct err;

/* Loads the demo data (managers without passwords, companies, contacts, deals
   in every stage, orders, notes, tasks) in one transaction. Deterministic:
   the same data every time. Returns 0 or -1. */
int demo_load(struct store *st, struct err *err);

#endif
