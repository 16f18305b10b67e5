/* parley export contacts: CSV to stdout, page by page (io/contact_export.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/err.h"
#include "cli/commands.h"
#include "io/contact_export.h"
#include "base/banned.h"

int cmd_export(struct app *app, int argc, char **argv)
{
	if (argc != 2 || strcmp(argv[1], "contacts") != 0)
		return cli_usage("export");
	struct contact_export ex;
	struct err err = {0};
	struct slice chunk;
	int r = contact_export_init(&ex, app->store, &err);
	while (r >= 0 && (r = contact_export_next(&ex, &chunk, &err)) == 1) {
		if (fwrite(chunk.ptr, 1, chunk.len, stdout) != chunk.len) {
			r = err_set(&err, ERR_INTERNAL, "cannot write the export: %s",
				    strerror(errno));
			break;
		}
	}
	contact_export_release(&ex);
	if (r == 0 && fflush(stdout) != 0)
		r = err_set(&err, ERR_INTERNAL, "cannot write the export: %s", strerror(errno));
	return r < 0 ? cli_fail(&err) : 0;
}
