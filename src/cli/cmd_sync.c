/* parley sync [ACCOUNT] [--once]: sync mailboxes from the shell. Without
   --once each account keeps running on IDLE until SIGINT or SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "cli/commands.h"
#include "cli/workers.h"
#include "core/mail_account.h"
#include "mail/imap/imap_sync.h"
#include "store/store.h"
#include "base/banned.h"

/* Prints the progress the engine saves, as a bar, while a --once sync runs. */
static void print_progress(struct app *app, struct mail_account *m, struct arena *a)
{
	struct mail_account *now;
	struct err e;
	if (store_account_get(app->store, m->id, a, &now, &e) != 1)
		return;
	json_t *p = json_loads(now->progress ? now->progress : "{}", 0, NULL);
	const char *folder;
	json_t *v;
	json_object_foreach(p, folder, v)
	{
		long long total = json_integer_value(json_object_get(v, "total"));
		long long done = json_integer_value(json_object_get(v, "done"));
		int width = 30, filled = total ? (int)(done * width / total) : width;
		printf("%-12s %-12s [%.*s%*s] %lld/%lld\n", m->name, folder, filled,
		       "##############################", width - filled, "", done, total);
	}
	json_decref(p);
}

static int sync_once(struct app *app, struct mail_account **list, size_t n, const char *only)
{
	int rc = 0, done = 0;
	char blobs[4096];
	snprintf(blobs, sizeof(blobs), "%s/%s", app->data_dir, APP_BLOB_DIR);
	struct imap_sync_env env = {blobs, &app->key, getenv("PARLEY_CA_FILE"), NULL, NULL, NULL};
	struct arena *a = arena_new();
	for (size_t i = 0; i < n; i++) {
		struct err err = {0};
		if (only && strcmp(list[i]->name, only) != 0)
			continue;
		done++;
		if (!list[i]->enabled)
			continue;
		if (imap_sync_once(app->store, &env, list[i]->id, &err) < 0) {
			fprintf(stderr, "parley: %s: %s\n", list[i]->name, err.msg);
			rc = 1;
			continue;
		}
		print_progress(app, list[i], a);
	}
	arena_free(&a);
	if (only && !done) {
		fprintf(stderr, "parley: no mail account named '%s'\n", only);
		return 1;
	}
	return rc;
}

int cmd_sync(struct app *app, int argc, char **argv)
{
	const char *only = NULL;
	bool once = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--once") == 0)
			once = true;
		else if (argv[i][0] != '-' && !only)
			only = argv[i];
		else
			return cli_usage("sync");
	}
	struct err err = {0};
	struct arena *a = arena_new();
	struct mail_account **list;
	size_t n;
	int rc;
	if (app_load_key(app, &err) < 0 || store_account_list(app->store, a, &list, &n, &err) < 0)
		rc = cli_fail(&err);
	else if (once)
		rc = sync_once(app, list, n, only);
	else
		rc = workers_sync_forever(app, only, &err) < 0 ? cli_fail(&err) : 0;
	arena_free(&a);
	return rc;
}
