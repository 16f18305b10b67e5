/* The data directory and the store of one parley run. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "app.h"
#include "base/err.h"
#include "base/id.h"
#include "base/mem.h"
#include "store/store.h"
#include "base/banned.h"

void app_init(struct app *app)
{
	/* Everything parley creates (the store and its -wal/-shm, blobs, the key,
	   temporary files, exports) is for its own user only, whatever the
	   umask it was started with: files 0600, directories 0700. */
	umask(077);
	memset(app, 0, sizeof(*app));
	const char *env = getenv("PARLEY_DATA");
	app->data_dir = env && *env ? env : APP_DEFAULT_DATA;
}

void app_release(struct app *app)
{
	sodium_memzero(&app->key, sizeof(app->key));
	store_close(&app->store);
	free(app->db_url_owned);
	app->db_url_owned = NULL;
}

const char *app_store_url(struct app *app)
{
	if (app->db_url)
		return app->db_url;
	if (!app->db_url_owned) {
		size_t n = strlen(app->data_dir) + sizeof("sqlite:/" APP_DB_FILE);
		app->db_url_owned = xmalloc(n);
		snprintf(app->db_url_owned, n, "sqlite:%s/%s", app->data_dir, APP_DB_FILE);
	}
	return app->db_url_owned;
}

static int make_dir(const char *path, struct err *err)
{
	if (mkdir(path, 0700) == 0 || errno == EEXIST)
		return 0;
	return err_set(err, ERR_TEMP, "cannot create directory '%s': %s", path, strerror(errno));
}

static int write_key(const char *path, struct err *err)
{
	char key[ID_TOKEN_MAX];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return errno == EEXIST ? 0
				       : err_set(err, ERR_TEMP, "cannot create '%s': %s", path,
						 strerror(errno));
	id_random_hex(key, ID_TOKEN_BYTES);
	size_t n = strlen(key);
	key[n++] = '\n';
	ssize_t w = write(fd, key, n);
	int saved = errno;
	close(fd);
	if (w != (ssize_t)n)
		return err_set(err, ERR_TEMP, "cannot write '%s': %s", path, strerror(saved));
	return 0;
}

int app_data_init(struct app *app, struct err *err)
{
	char path[4096];
	struct stat sb;
	int fresh = stat(app->data_dir, &sb) != 0;
	if (make_dir(app->data_dir, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", app->data_dir, APP_KEY_FILE);
	if (write_key(path, err) < 0)
		return -1;
	snprintf(path, sizeof(path), "%s/%s", app->data_dir, APP_BLOB_DIR);
	if (make_dir(path, err) < 0)
		return -1;
	return fresh;
}

int app_load_key(struct app *app, struct err *err)
{
	char path[4096];
	if (app->key_loaded)
		return 0;
	snprintf(path, sizeof(path), "%s/%s", app->data_dir, APP_KEY_FILE);
	if (secret_key_load(path, &app->key, err) < 0)
		return -1;
	app->key_loaded = true;
	store_sealing_key_set(&app->key);
	return 0;
}

/* A SQLite store made by an older version (or by hand) may be readable by
   others: take group and other bits off it, its journal and the directory. */
static void tighten_store_files(struct app *app)
{
	static const char *const suffix[] = {"", "-wal", "-shm", "-journal"};
	char path[4096];
	struct stat sb;
	if (app->db_url && strncmp(app->db_url, "sqlite:", 7) != 0)
		return;
	const char *db = app_store_url(app) + 7;
	for (size_t i = 0; i < sizeof(suffix) / sizeof(suffix[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", db, suffix[i]);
		if (stat(path, &sb) == 0 && (sb.st_mode & 077))
			chmod(path, sb.st_mode & 0700);
	}
}

int app_open_store(struct app *app, bool migrate, struct err *err)
{
	if (app->store)
		return 0;
	if (store_open(app_store_url(app), &app->store, err) < 0)
		return -1;
	tighten_store_files(app);
	struct err no_key = {0}; /* without a key nothing is sealed or opened */
	app_load_key(app, &no_key);
	if (migrate &&
	    (store_migrate(app->store, err) < 0 || store_seal_plaintext(app->store, err) < 0)) {
		store_close(&app->store);
		return -1;
	}
	return 0;
}
