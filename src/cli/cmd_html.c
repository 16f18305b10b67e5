/* parley html: run the mail HTML sanitiser or the HTML-to-text conversion
   over a file, for checking what the web UI and previews will show. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "mail/mime/mime_html.h"
#include "base/banned.h"

static const char usage[] = "usage: parley html sanitize FILE [--allow-remote]\n"
			    "       parley html text FILE\n"
			    "FILE may be - for standard input.\n";

/* Prints the error the way cli_fail() does; 1 is the exit code of a failure. */
static int html_fail(const struct err *err)
{
	fprintf(stderr, "parley: %s\n", err->msg);
	return 1;
}

static int html_run(const char *verb, const char *path, bool allow_remote, struct arena *a)
{
	struct err err = {0};
	struct buf in;
	char *out;
	buf_init(&in, a, MIME_HTML_MAX_INPUT);
	if (cli_read_file(path, &in, &err) < 0)
		return html_fail(&err);
	struct slice html = {in.data, in.len};
	if (strcmp(verb, "sanitize") == 0) {
		struct mime_html_opts opts = {.allow_remote = allow_remote};
		struct mime_html_result res;
		if (mime_html_sanitize_result(html, &opts, a, &res, &err) < 0)
			return html_fail(&err);
		out = res.html;
		if (res.remote_blocked > 0)
			fprintf(stderr, "parley: %d remote loads blocked\n", res.remote_blocked);
	} else {
		if (mime_html_to_text(html, a, &out, &err) < 0)
			return html_fail(&err);
	}
	fputs(out, stdout);
	fputc('\n', stdout);
	return fflush(stdout) == 0 ? 0 : 1;
}

int cmd_html(struct app *app, int argc, char **argv)
{
	(void)app;
	bool allow_remote = false;
	const char *args[2] = {NULL, NULL}; /* verb, file */
	int nargs = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--allow-remote") == 0)
			allow_remote = true;
		else if (nargs < 2)
			args[nargs++] = argv[i];
		else
			nargs = 3;
	}
	bool sanitize = nargs == 2 && strcmp(args[0], "sanitize") == 0;
	bool text = nargs == 2 && strcmp(args[0], "text") == 0 && !allow_remote;
	if (!sanitize && !text) {
		fputs(usage, stderr);
		return 2;
	}
	struct arena *a = arena_new();
	int rc = html_run(args[0], args[1], allow_remote, a);
	arena_free(&a);
	return rc;
}
