/* parley serve: the HTTP API and the web UI (and later the workers) until
 * SIGINT/SIGTERM. */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/http_server.h"
#include "app.h"
#include "base/err.h"
#include "base/log.h"
#include "cli/commands.h"
#include "cli/workers.h"
#include "base/banned.h"

#define SERVE_DEFAULT_LISTEN "127.0.0.1:8080"

int cmd_serve(struct app *app, int argc, char **argv)
{
	const char *listen = SERVE_DEFAULT_LISTEN;
	const char *web_env = getenv("PARLEY_WEB");
	if (web_env && *web_env)
		app->web_dir = web_env;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--listen") == 0 && i + 1 < argc) {
			listen = argv[++i];
		} else if (strncmp(argv[i], "--listen=", 9) == 0) {
			listen = argv[i] + 9;
		} else if (strcmp(argv[i], "--web") == 0 && i + 1 < argc) {
			app->web_dir = argv[++i];
		} else if (strncmp(argv[i], "--web=", 6) == 0) {
			app->web_dir = argv[i] + 6;
		} else {
			fprintf(stderr, "usage: parley serve [--listen ADDR:PORT] [--web DIR]\n");
			return 2;
		}
	}
	/* Block the signals before any thread starts, then wait for them here. */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	signal(SIGPIPE, SIG_IGN);

	struct err err = {0};
	struct http_server *srv;
	struct workers *w = NULL;
	char base_url[300];
	snprintf(base_url, sizeof(base_url), "http://%s", listen);
	if (http_server_start(app, listen, &srv, &err) < 0)
		return cli_fail(&err);
	if (workers_start(app, base_url, &w, &err) < 0) {
		http_server_stop(&srv);
		return cli_fail(&err);
	}
	log_info("parley serving on http://%s", listen);
	int sig = 0;
	sigwait(&set, &sig);
	log_info("parley stopping (signal %d)", sig);
	workers_stop(&w);
	http_server_stop(&srv);
	return 0;
}
