/* Every command function; cli.c puts them in its table. */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"

/* parley html sanitize FILE [--allow-remote] | parley html text FILE */
cli_fn cmd_html;

#endif
