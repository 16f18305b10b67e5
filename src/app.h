/* struct app: what a run of parley works with (paths, the store), passed
   explicitly to every command and handler; never global. */
#ifndef APP_H
#define APP_H

#include <stdbool.h>

#include "base/secret.h"

struct err;
struct store;

#define APP_DEFAULT_DATA "./var"
#define APP_DB_FILE	 "parley.db"
#define APP_KEY_FILE	 "secret.key"
#define APP_BLOB_DIR	 "blobs"
#define APP_DEFAULT_WEB	 "web/dist" /* the built web UI, from the working directory */

struct app {
	const char *data_dir;  /* --data, $PARLEY_DATA or ./var; borrowed from argv/env */
	const char *db_url;    /* --db, or NULL: sqlite in data_dir */
	const char *web_dir;   /* serve --web or $PARLEY_WEB, or NULL: APP_DEFAULT_WEB
				  if it holds a UI; borrowed from argv/env */
	char *db_url_owned;    /* the resolved URL; owned */
	struct store *store;   /* the CLI's connection, opened by app_open_store(); owned */
	struct secret_key key; /* seals stored credentials; see app_load_key() */
	bool key_loaded;
};

/* Sets defaults; no I/O. */
void app_init(struct app *app);
/* Closes the store and frees what app owns. */
void app_release(struct app *app);

/* The store URL this app uses (borrowed, valid until app_release()). */
const char *app_store_url(struct app *app);

/* Creates the data directory (mode 0700), the secret key file (mode 0600, 32
   random bytes in hex) and the blob folder where missing. Returns 1 if the
   data directory was new, 0 if it existed, -1 on error. */
int app_data_init(struct app *app, struct err *err);

/* Loads DATA/secret.key into app->key (once). */
int app_load_key(struct app *app, struct err *err);

/* Opens app->store, applying migrations when migrate is true. */
int app_open_store(struct app *app, bool migrate, struct err *err);

#endif
