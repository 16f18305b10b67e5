/* Every command function, for the table in cli/cli.c. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"

/* parley mime parse FILE | parley mime thread FILE...: see cli/cmd_mime.c. */
cli_fn cmd_mime;

#endif
