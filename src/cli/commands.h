/* Every command's entry point (see the table in cli.c). */
#ifndef CLI_COMMANDS_H
#define CLI_COMMANDS_H

#include "cli/cli.h"

cli_fn cmd_init, cmd_serve, cmd_migrate, cmd_user, cmd_token, cmd_demo, cmd_import, cmd_export,
    cmd_version, cmd_help, cmd_account, cmd_outbox, cmd_search, cmd_sync;

/* parley mustache render TEMPLATE_FILE --context CTX.json [--partials DIR]:
   prints the rendering to stdout. Needs no app (may be NULL). */
cli_fn cmd_mustache;

/* parley mime parse FILE | parley mime thread FILE|DIR...: MIME debugging tools
   (JSON out). Needs no app (may be NULL). */
cli_fn cmd_mime;
/* parley ics show FILE: an iCalendar file as JSON (libical). */
cli_fn cmd_ics;

/* parley html sanitize FILE [--allow-remote] | parley html text FILE. */
cli_fn cmd_html;

#endif
