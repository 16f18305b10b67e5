/* Heap allocation that aborts on out-of-memory: callers never check for NULL. */
#ifndef BASE_MEM_H
#define BASE_MEM_H

#include <stddef.h>

/* Each returns memory the caller frees with free(); never NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
