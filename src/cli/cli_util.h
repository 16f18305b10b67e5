/* Small helpers shared by the commands. */
#ifndef CLI_CLI_UTIL_H
#define CLI_CLI_UTIL_H

struct arena;
struct buf;
struct err;

/* Reads one line (a password) from stdin without its newline, allocated in a. */
int cli_read_secret(struct arena *a, char **out_r, struct err *err);

/* Reads all of path ("-": stdin) into b (its limit is the largest size
   taken); -1 with err set on failure. */
int cli_read_file(const char *path, struct buf *b, struct err *err);

#endif
