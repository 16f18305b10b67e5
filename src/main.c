/* parley: global flags, then the command table (cli/cli.c). Nothing else. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/id.h"
#include "cli/cli.h"
#include "base/banned.h"

int main(int argc, char **argv)
{
	struct app app;
	int i = 1;
	app_init(&app);
	if (id_init() < 0) {
		fprintf(stderr, "parley: libsodium failed to initialise\n");
		return 1;
	}
	for (; i < argc && argv[i][0] == '-'; i++) {
		const char *opt = argv[i];
		if ((strcmp(opt, "--data") == 0 || strcmp(opt, "--db") == 0) && i + 1 < argc) {
			if (opt[2] == 'd' && opt[3] == 'a')
				app.data_dir = argv[++i];
			else
				app.db_url = argv[++i];
		} else if (strncmp(opt, "--data=", 7) == 0) {
			app.data_dir = opt + 7;
		} else if (strncmp(opt, "--db=", 5) == 0) {
			app.db_url = opt + 5;
		} else if (strcmp(opt, "--help") == 0 || strcmp(opt, "-h") == 0) {
			break;
		} else {
			fprintf(stderr, "parley: unknown option '%s' (see 'parley help')\n", opt);
			return 2;
		}
	}
	char *help[] = {"help", NULL};
	int rc = i < argc && argv[i][0] == '-' ? cli_dispatch(&app, 1, help)
					       : cli_dispatch(&app, argc - i, argv + i);
	app_release(&app);
	return rc;
}
