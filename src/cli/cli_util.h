/* Small helpers shared by the commands. */
#ifndef CLI_CLI_UTIL_H
#define CLI_CLI_UTIL_H

struct arena;
struct err;

/* Reads one line (a password) from stdin without its newline, allocated in a. */
int cli_read_secret(struct arena *a, char **out_r, struct err *err);

#endif
