/* The entry point of every CLI command (the command table is cli/cli.c). */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"

/* parley mustache render TEMPLATE_FILE --context CTX.json [--partials DIR]:
   prints the rendering to stdout. Needs no app (may be NULL). Returns 0, 1
   after printing "parley: ..." to stderr, 2 on a usage error. */
cli_fn cmd_mustache;

#endif
