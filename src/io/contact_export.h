/* Exporting contacts as CSV, a page at a time, so memory stays flat however
 * many contacts there are. Shared by `parley export contacts` and (later)
 * the HTTP API. */
#ifndef IO_CONTACT_EXPORT_H
#define IO_CONTACT_EXPORT_H

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "base/str.h"

struct arena;
struct err;
struct store;

#define CONTACT_EXPORT_PAGE	 500		    /* contacts read per chunk */
#define CONTACT_EXPORT_MAX_CHUNK (64 * 1024 * 1024) /* bytes of CSV per chunk */
#define CONTACT_EXPORT_CACHE_MAX 10000		    /* company names and owner emails kept */

/*
 * The iterator: contact_export_init(), then contact_export_next() until it
 * returns 0, then contact_export_release() (always, also after an error).
 * The first chunk is the header row (columns in core/contact_csv.h, with a
 * custom.KEY column for every key any contact has), then the rows, newest
 * contact first. The export covers the contacts that existed at init; it is
 * not a snapshot of their contents (a contact changed meanwhile is written
 * as it is when its page is read, and a custom key added meanwhile is left
 * out).
 */
struct contact_export {
	struct store *st;    /* borrowed */
	struct arena *page;  /* the current chunk's memory; owned */
	json_t *custom_keys; /* the custom.KEY columns; owned */
	json_t *names;	     /* "c<id>" -> company name, "u<id>" -> owner email; owned */
	char cursor[32];     /* the next page starts below this id */
	bool header_done, done;
};

/* Starts an export of the contacts in st. Returns 0 or -1; release either way. */
int contact_export_init(struct contact_export *ex, struct store *st, struct err *err);

/* The next chunk of CSV in *chunk_r, valid until the next call or release.
   Returns 1 with a chunk, 0 when done, -1 on error (ERR_TOOBIG when a page
   is over CONTACT_EXPORT_MAX_CHUNK). */
int contact_export_next(struct contact_export *ex, struct slice *chunk_r, struct err *err);

/* Frees what ex owns. */
void contact_export_release(struct contact_export *ex);

#endif
