/* The command line: one table of commands (cli.c), one cmd_*.c per command. */
#ifndef CLI_CLI_H
#define CLI_CLI_H

struct app;
struct err;

/* A command: argv[0] is the command's name, options follow. Returns the process
   exit code (0 ok, 1 failure, 2 usage). Only cli/ and main() may exit(). */
typedef int cli_fn(struct app *app, int argc, char **argv);

/* Parses global flags already removed by main(); runs argv[0]. Returns the exit code. */
int cli_dispatch(struct app *app, int argc, char **argv);

/* Prints "parley: MESSAGE" for err to stderr and returns the exit code for its code. */
int cli_fail(const struct err *err);

/* Prints the usage of command name to stderr; returns 2 (the usage exit code). */
int cli_usage(const char *name);

#endif
