/* struct arena: a bump allocator for one request, job or batch. Everything
   allocated in it dies together at arena_free(); nothing is freed alone. */
#ifndef BASE_ARENA_H
#define BASE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

struct arena;

typedef void arena_fn(void *obj);

/* A new, empty arena; caller frees with arena_free(). Never NULL. */
struct arena *arena_new(void);

/* Runs the deferred functions (newest first), frees every block, sets *ap = NULL. */
void arena_free(struct arena **ap);

/* n zeroed bytes, aligned for any type, allocated in a. Never NULL. */
void *arena_alloc(struct arena *a, size_t n);

/* Copies allocated in a. arena_strdup(a, NULL) returns NULL. */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
void *arena_memdup(struct arena *a, const void *p, size_t n);

/* A formatted string allocated in a. */
char *arena_printf(struct arena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(struct arena *a, const char *fmt, va_list ap);

/* fn(obj) runs at arena_free(), newest first: ties foreign objects (GObjects,
   json_t) to the arena's lifetime. Not affected by arena_reset(). */
void arena_defer(struct arena *a, arena_fn *fn, void *obj);

/* A position to come back to: arena_reset(a, m) frees everything allocated
   after arena_mark() returned m (dovecot T_BEGIN/T_END). */
size_t arena_mark(struct arena *a);
void arena_reset(struct arena *a, size_t mark);

/* Bytes currently allocated in a (for tests and limits). */
size_t arena_used(const struct arena *a);

#endif
