/* Helpers shared by the commands. */
#include <stdio.h>
#include <errno.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "cli/cli_util.h"
#include "base/banned.h"

#define SECRET_MAX 4096

int cli_read_secret(struct arena *a, char **out_r, struct err *err)
{
	struct buf b;
	int c;
	buf_init(&b, a, SECRET_MAX);
	while ((c = getchar()) != EOF && c != '\n')
		buf_putc(&b, (char)c);
	if (buf_finish(&b) < 0)
		return err_set(err, ERR_TOOBIG, "the password on stdin is too long");
	if (b.len && b.data[b.len - 1] == '\r')
		b.data[--b.len] = '\0';
	*out_r = b.data;
	return 0;
}

/* Reads all of path ("-": stdin) into b; -1 with err set on failure. */
int cli_read_file(const char *path, struct buf *b, struct err *err)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return err_set(err, ERR_NOTFOUND, "cannot open '%s': %s", path, strerror(errno));
	char chunk[65536];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && buf_finish(b) == 0)
		buf_append(b, chunk, n);
	int failed = ferror(f);
	if (f != stdin)
		fclose(f);
	if (failed)
		return err_set(err, ERR_TEMP, "cannot read '%s'", path);
	if (buf_finish(b) < 0)
		return err_set(err, ERR_TOOBIG, "'%s' is larger than %zu bytes", path, b->max);
	return 0;
}
