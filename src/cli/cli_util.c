/* Helpers shared by the commands. */
#include <stdio.h>
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
