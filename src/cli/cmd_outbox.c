/* parley outbox run [--once] and parley outbox list: the outbox from the shell. */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/time.h"
#include "cli/commands.h"
#include "mail/outbox.h"
#include "store/store.h"
#include "base/banned.h"

static volatile sig_atomic_t stopping;

static void on_signal(int sig)
{
	stopping = sig;
}

static int outbox_run(struct app *app, bool once)
{
	struct err err = {0};
	char blobs[4096];
	snprintf(blobs, sizeof(blobs), "%s/%s", app->data_dir, APP_BLOB_DIR);
	if (app_load_key(app, &err) < 0)
		return cli_fail(&err);
	struct outbox_env env = {blobs, &app->key, getenv("PARLEY_CA_FILE"), NULL};
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	do {
		int n = 0;
		if (outbox_step(app->store, &env, time_now(), 100, &n, &err) < 0)
			return cli_fail(&err);
		if (n)
			printf("%d handled\n", n);
		if (!once && !n) {
			struct timespec ts = {1, 0};
			nanosleep(&ts, NULL);
		}
	} while (!once && !stopping);
	return 0;
}

static int outbox_list(struct app *app)
{
	struct err err = {0};
	struct arena *a = arena_new();
	json_t *items;
	struct mail_viewer v = {0, true};
	int rc = 0;
	if (store_outbox_list(app->store, &v, 200, a, &items, &err) < 0) {
		rc = cli_fail(&err);
	} else {
		size_t i;
		json_t *it;
		json_array_foreach(items, i, it)
		{
			const char *e = json_get_str(it, "last_error");
			const json_t *by = json_object_get(it, "caused_by");
			char who[32] = "-";
			if (json_is_integer(by))
				snprintf(who, sizeof(who), "%lld",
					 (long long)json_integer_value(by));
			printf("%-5lld %-9s %-3lld %-30s by:%-5s %-40s %s\n",
			       (long long)json_integer_value(json_object_get(it, "id")),
			       json_get_str(it, "status"),
			       (long long)json_integer_value(json_object_get(it, "attempts")),
			       json_get_str(it, "envelope_from"), who, json_get_str(it, "subject"),
			       e ? e : "");
		}
	}
	arena_free(&a);
	return rc;
}

int cmd_outbox(struct app *app, int argc, char **argv)
{
	if (argc >= 2 && strcmp(argv[1], "run") == 0 &&
	    (argc == 2 || (argc == 3 && strcmp(argv[2], "--once") == 0)))
		return outbox_run(app, argc == 3);
	if (argc == 2 && strcmp(argv[1], "list") == 0)
		return outbox_list(app);
	return cli_usage("outbox");
}
