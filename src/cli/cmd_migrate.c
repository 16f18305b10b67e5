/* parley migrate: apply pending schema migrations. */
#include <stdio.h>

#include "app.h"
#include "base/err.h"
#include "cli/commands.h"
#include "store/store.h"
#include "version.h"
#include "base/banned.h"

int cmd_migrate(struct app *app, int argc, char **argv)
{
	struct err err = {0};
	if (argc > 1) {
		fprintf(stderr, "usage: parley migrate\n");
		return 2;
	}
	if (store_migrate(app->store, &err) < 0)
		return cli_fail(&err);
	int v = store_schema_version(app->store, &err);
	if (v < 0)
		return cli_fail(&err);
	printf("schema version %d\n", v);
	return 0;
}

int cmd_version(struct app *app, int argc, char **argv)
{
	printf("parley %s\n", PARLEY_VERSION);
	return 0;
}
