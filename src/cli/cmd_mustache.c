/* `parley mustache render`: renders a template file against a JSON context
   file, partials from a directory; for trying templates out and for scripts. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "automation/tmpl/mustache.h"
#include "cli/commands.h"
#include "base/banned.h"

/* Template, context and partial files larger than this are refused. */
#define CMD_MUSTACHE_MAX_FILE (16 * 1024 * 1024)

static const char usage[] =
    "usage: parley mustache render TEMPLATE_FILE --context CTX.json [--partials DIR]\n"
    "  renders TEMPLATE_FILE with the JSON in CTX.json to stdout; {{>name}} reads\n"
    "  DIR/name.mustache; '-' for TEMPLATE_FILE or CTX.json reads stdin\n";

/* Reads path ("-": stdin) into memory allocated in a. Returns 1 and sets
 *data_r / *len_r, 0 if there is no such file, -1 on error (err is set). */
static int read_file(struct arena *a, const char *path, char **data_r, size_t *len_r,
		     struct err *err)
{
	bool is_stdin = strcmp(path, "-") == 0;
	FILE *f = is_stdin ? stdin : fopen(path, "rb");
	if (!f && errno == ENOENT)
		return 0;
	if (!f)
		return err_set(err, ERR_INVALID, "cannot open '%s': %s", path, strerror(errno));
	struct buf b;
	char chunk[8192];
	size_t n;
	buf_init(&b, a, CMD_MUSTACHE_MAX_FILE);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && !b.overflow)
		buf_append(&b, chunk, n);
	int saved = ferror(f) ? errno : 0;
	if (!is_stdin)
		fclose(f);
	if (saved)
		return err_set(err, ERR_INVALID, "cannot read '%s': %s", path, strerror(saved));
	if (buf_finish(&b) < 0)
		return err_set(err, ERR_TOOBIG, "'%s' is larger than %d bytes", path,
			       CMD_MUSTACHE_MAX_FILE);
	*data_r = b.data;
	*len_r = b.len;
	return 1;
}

/* Like read_file(), but a missing file is an error. */
static int read_needed(struct arena *a, const char *path, char **data_r, size_t *len_r,
		       struct err *err)
{
	int ret = read_file(a, path, data_r, len_r, err);
	if (ret == 0)
		return err_set(err, ERR_NOTFOUND, "'%s' does not exist", path);
	return ret < 0 ? -1 : 0;
}

/* Puts "'what': " in front of err's message. */
static int err_prefix(struct err *err, const char *what)
{
	char msg[ERR_MSG_MAX];
	snprintf(msg, sizeof(msg), "%s", err->msg);
	return err_set(err, err->code, "'%s': %s", what, msg);
}

/* A mustache_partial_fn: ctx is the partials directory, or NULL for none. */
static int load_partial(void *ctx, const char *name, struct arena *a, const char **src_r,
			size_t *len_r, struct err *err)
{
	const char *dir = ctx;
	if (!dir)
		return 0;
	if (!name[0] || name[0] == '.' || strchr(name, '/') || strchr(name, '\\'))
		return err_set(err, ERR_INVALID, "partial name '%s' is not a file name", name);
	char *data = NULL;
	int ret = read_file(a, arena_printf(a, "%s/%s.mustache", dir, name), &data, len_r, err);
	if (ret > 0)
		*src_r = data;
	return ret;
}

/* Warns once per partial name (ctx is a struct buf of "\nname\n" seen so far). */
static void warn_missing(void *ctx, enum mustache_missing_kind kind, const char *name,
			 unsigned line, unsigned column)
{
	struct buf *seen = ctx;
	if (kind != MUSTACHE_MISSING_PARTIAL)
		return;
	size_t mark = seen->len;
	buf_printf(seen, "\n%s\n", name);
	if (memmem(seen->data, mark, seen->data + mark, seen->len - mark)) {
		seen->len = mark;
		return;
	}
	fprintf(stderr, "parley: warning: line %u, column %u: no partial '%s'\n", line, column,
		name);
}

static int render(struct arena *a, const char *tmpl_path, const char *ctx_path, const char *dir,
		  struct err *err)
{
	char *src, *ctx_src;
	size_t src_len, ctx_len;
	if (read_needed(a, tmpl_path, &src, &src_len, err) < 0 ||
	    read_needed(a, ctx_path, &ctx_src, &ctx_len, err) < 0)
		return -1;
	struct mustache_tmpl *t = mustache_parse(a, src, src_len, err);
	if (!t)
		return err_prefix(err, tmpl_path);
	json_t *ctx = json_parse(a, ctx_src, ctx_len, err);
	if (!ctx)
		return err_prefix(err, ctx_path);
	struct buf out, seen;
	buf_init(&out, a, MUSTACHE_MAX_OUTPUT);
	buf_init(&seen, a, 1 << 20);
	struct mustache_opts opts = {
	    .partial = load_partial,
	    .partial_ctx = (void *)dir,
	    .missing = warn_missing,
	    .missing_ctx = &seen,
	};
	if (mustache_render(t, ctx, &opts, &out, err) < 0)
		return err_prefix(err, tmpl_path);
	if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout) != 0)
		return err_set(err, ERR_TEMP, "cannot write the output: %s", strerror(errno));
	return 0;
}

/* Takes option name (as "name VALUE" or "name=VALUE") at argv[*i]: 1 and
   *val_r if it is there, 0 if argv[*i] is something else, -1 if the value is
   missing. */
static int take_opt(int argc, char **argv, int *i, const char *name, const char **val_r)
{
	size_t n = strlen(name);
	if (strncmp(argv[*i], name, n) != 0)
		return 0;
	if (argv[*i][n] == '=') {
		*val_r = argv[*i] + n + 1;
		return 1;
	}
	if (argv[*i][n] != '\0')
		return 0;
	if (*i + 1 >= argc)
		return -1;
	*val_r = argv[++*i];
	return 1;
}

/* Reads "render TEMPLATE --context CTX [--partials DIR]"; false if that is not it. */
static bool parse_args(int argc, char **argv, const char **tmpl_r, const char **ctx_r,
		       const char **dir_r)
{
	if (argc < 2 || strcmp(argv[1], "render") != 0)
		return false;
	for (int i = 2; i < argc; i++) {
		int c = take_opt(argc, argv, &i, "--context", ctx_r);
		int p = c ? 0 : take_opt(argc, argv, &i, "--partials", dir_r);
		if (c < 0 || p < 0)
			return false;
		if (c || p)
			continue;
		if ((argv[i][0] == '-' && argv[i][1] != '\0') || *tmpl_r)
			return false;
		*tmpl_r = argv[i];
	}
	return *tmpl_r && *ctx_r && (strcmp(*tmpl_r, "-") != 0 || strcmp(*ctx_r, "-") != 0);
}

int cmd_mustache(struct app *app, int argc, char **argv)
{
	const char *tmpl = NULL, *ctx = NULL, *dir = NULL;
	if (argc >= 2 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (!parse_args(argc, argv, &tmpl, &ctx, &dir)) {
		fputs(usage, stderr);
		return 2;
	}
	struct arena *a = arena_new();
	struct err err = {0};
	int ret = render(a, tmpl, ctx, dir, &err);
	if (ret < 0)
		fprintf(stderr, "parley: %s\n", err.msg);
	arena_free(&a);
	return ret < 0 ? 1 : 0;
}
