/* parley ics show FILE: what an iCalendar file says (method, events, times,
   attendees and their answers), read with libical as Parley reads replies. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "calendar/ics.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "base/banned.h"

#define ICS_MAX_FILE (4 * 1024 * 1024)

int cmd_ics(struct app *app, int argc, char **argv)
{
	(void)app;
	if (argc != 3 || strcmp(argv[1], "show") != 0) {
		fputs("usage: parley ics show FILE\n", stderr);
		return 2;
	}
	struct arena *a = arena_new();
	struct err err = {0};
	struct buf in;
	json_t *out;
	int rc = 0;
	buf_init(&in, a, ICS_MAX_FILE);
	if (cli_read_file(argv[2], &in, &err) < 0 || ics_describe(in.data, a, &out, &err) < 0) {
		fprintf(stderr, "parley: %s\n", err.msg);
		rc = 1;
	} else {
		char *s = json_dumps(out, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s ? s : "null");
		free(s);
	}
	arena_free(&a);
	return rc;
}
