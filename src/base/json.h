/* jansson helpers: arena ownership, parsing with user-facing errors, dumping. */
#ifndef BASE_JSON_H
#define BASE_JSON_H

#include <jansson.h>
#include <stddef.h>

struct arena;
struct err;

/* json_decref() with the arena_fn signature: arena_defer(a, json_decref_cb, j). */
void json_decref_cb(void *obj);

/* Attaches j to a (it is decref'd at arena_free()) and returns it. NULL passes through. */
json_t *json_in_arena(struct arena *a, json_t *j);

/* Parses len bytes as one JSON value; the result lives as long as a.
   NULL with ERR_INVALID "invalid JSON at line L, column C: ..." on error. */
json_t *json_parse(struct arena *a, const char *data, size_t len, struct err *err);

/* Compact serialisation allocated in a (never NULL). */
char *json_dump_arena(struct arena *a, const json_t *j);

/* json_pack() that reports a bad format or a NULL where a value is needed
   (which plain json_pack() answers with a silent NULL): the error is logged
   with file and line, and with PARLEY_STRICT_JSON=1 (the tests set it) the
   process aborts. Every json_pack() below this header goes through it. */
json_t *json_pack_checked(const char *file, int line, const char *fmt, ...);
#define json_pack(...) json_pack_checked(__FILE__, __LINE__, __VA_ARGS__)

/* The string at key, or NULL if absent or not a string. */
const char *json_get_str(const json_t *obj, const char *key);

#endif
