/* parley smtp-send: a debugging command that sends one file through smtp_send().
 *
 *   parley smtp-send URL --from ADDR --to ADDR [--to ADDR...]
 *		[--user USER --password-stdin [--xoauth2]] [--ca FILE]
 *		[--helo NAME] [--timeout SECONDS] FILE.eml
 *
 * Prints the outcome as one JSON object, {"result": "sent" | "tempfail" |
 * "permfail", "code", "reply", "stage", "nrejected"}, and exits 0 when sent,
 * 75 (EX_TEMPFAIL) on a temporary failure, 1 on a permanent one. Arguments
 * refused before connecting (a CR or LF in an address, a file over the limit)
 * print "parley: ..." on stderr and exit 1 without JSON; usage errors exit 2.
 * With --xoauth2 the line read by --password-stdin is an OAuth2 access token.
 * Needs no app (it may be NULL): it touches no store.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "cli/cli_util.h"
#include "cli/commands_smtp.h"
#include "mail/smtp/smtp_send.h"
#include "base/banned.h"

struct smtp_args {
	struct smtp_send_opts o;
	const char *from;
	const char **to;
	size_t nto;
	const char *file;
	bool pw_stdin, xoauth2;
};

static const char *const result_names[] = {
    [SMTP_SENT] = "sent",
    [SMTP_TEMPFAIL] = "tempfail",
    [SMTP_PERMFAIL] = "permfail",
};

/* Returns 0, or 2 for a usage error. */
static int parse_args(int argc, char **argv, struct arena *a, struct smtp_args *g)
{
	g->to = arena_alloc(a, sizeof(*g->to) * (size_t)argc);
	for (int i = 1; i < argc; i++) {
		const char *arg = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;
		int64_t t;
		if (strcmp(arg, "--password-stdin") == 0)
			g->pw_stdin = true;
		else if (strcmp(arg, "--xoauth2") == 0)
			g->xoauth2 = true;
		else if (arg[0] == '-' && arg[1] == '-' && !val)
			return 2;
		else if (strcmp(arg, "--from") == 0)
			g->from = argv[++i];
		else if (strcmp(arg, "--to") == 0)
			g->to[g->nto++] = argv[++i];
		else if (strcmp(arg, "--user") == 0)
			g->o.user = argv[++i];
		else if (strcmp(arg, "--ca") == 0)
			g->o.ca_file = argv[++i];
		else if (strcmp(arg, "--helo") == 0)
			g->o.helo_name = argv[++i];
		else if (strcmp(arg, "--timeout") == 0 && str_to_int64(argv[++i], &t) == 0 &&
			 t > 0 && t < 3600)
			g->o.timeout_s = (int)t;
		else if (arg[0] == '-' && arg[1] == '-')
			return 2;
		else if (!g->o.url)
			g->o.url = arg;
		else if (!g->file)
			g->file = arg;
		else
			return 2;
	}
	return g->o.url && g->file && g->from && g->nto && (!g->pw_stdin || g->o.user) ? 0 : 2;
}

/* Reads a whole file into a; at most SMTP_MAX_MESSAGE bytes (ERR_TOOBIG past it). */
static int read_message(const char *path, struct arena *a, char **data_r, size_t *len_r,
			struct err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	size_t cap = 64 * 1024, len = 0, limit = (size_t)SMTP_MAX_MESSAGE + 1;
	char *data;
	if (!f)
		return err_set(err, ERR_NOTFOUND, "cannot read '%s': %s", path, strerror(errno));
	data = xmalloc(cap);
	for (;;) {
		size_t got = fread(data + len, 1, cap - len, f);
		len += got;
		if (len < cap || len >= limit)
			break;
		cap = cap * 2 < limit ? cap * 2 : limit;
		data = xrealloc(data, cap);
	}
	int failed = ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed || len >= limit) {
		free(data);
		return failed ? err_set(err, ERR_TEMP, "cannot read '%s'", path)
			      : err_set(err, ERR_TOOBIG, "'%s' is over the limit of %d MB", path,
					SMTP_MAX_MESSAGE / (1024 * 1024));
	}
	*data_r = arena_memdup(a, data, len);
	*len_r = len;
	free(data);
	return 0;
}

static void print_outcome(const struct smtp_outcome *out)
{
	json_t *j = json_pack("{s:s, s:i, s:s, s:s, s:I}", "result", result_names[out->result],
			      "code", out->code, "reply", out->reply, "stage", out->stage,
			      "nrejected", (json_int_t)out->nrejected);
	if (j)
		json_dumpf(j, stdout, JSON_PRESERVE_ORDER);
	fputc('\n', stdout);
	json_decref(j);
}

int cmd_smtp_send(struct app *app, int argc, char **argv)
{
	struct arena *a = arena_new();
	struct smtp_args g = {0};
	struct smtp_outcome out;
	struct err err = {0};
	char *secret = NULL, *raw = NULL;
	size_t len = 0;
	int rc;

	if (parse_args(argc, argv, a, &g) != 0) {
		arena_free(&a);
		return cli_usage("smtp-send");
	}
	if ((g.pw_stdin && cli_read_secret(a, &secret, &err) < 0) ||
	    read_message(g.file, a, &raw, &len, &err) < 0) {
		arena_free(&a);
		return cli_fail(&err);
	}
	if (g.xoauth2)
		g.o.oauth_token = secret;
	else
		g.o.password = secret;
	if (smtp_send(&g.o, g.from, g.to, g.nto, raw, len, &out, &err) < 0) {
		rc = cli_fail(&err);
	} else {
		print_outcome(&out);
		rc = out.result == SMTP_SENT ? 0 : out.result == SMTP_TEMPFAIL ? 75 : 1;
	}
	if (secret)
		sodium_memzero(secret, strlen(secret));
	arena_free(&a);
	return rc;
}
