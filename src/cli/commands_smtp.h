/* The smtp-send debugging command (see cmd_smtp.c); wired into the table in cli.c. */
#ifndef CLI_COMMANDS_SMTP_H
#define CLI_COMMANDS_SMTP_H

#include "cli/cli.h"

/* parley smtp-send URL --from ADDR --to ADDR... [--user U --password-stdin [--xoauth2]]
   [--ca FILE] [--helo NAME] [--timeout S] FILE.eml: sends FILE through smtp_send(),
   prints the outcome as JSON; exits 0 sent, 75 temporary failure, 1 permanent failure,
   2 usage. Needs no app (may be NULL). */
cli_fn cmd_smtp_send;

#endif
