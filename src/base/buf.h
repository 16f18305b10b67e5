/* struct buf: a growable byte buffer with a hard cap and a sticky error.
   Appends never fail visibly; buf_finish() says whether any went over the cap. */
#ifndef BASE_BUF_H
#define BASE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;

struct buf {
	char *data; /* never NULL after buf_init(); always NUL-terminated */
	size_t len;
	size_t cap;
	size_t max;	     /* appends past this many bytes set overflow */
	struct arena *arena; /* where data lives; NULL: the heap */
	bool overflow;
};

/* Starts an empty buffer in a (or on the heap if a is NULL) that holds at most max bytes. */
void buf_init(struct buf *b, struct arena *a, size_t max);

/* Frees a heap buffer's data (no-op for arena buffers) and empties it. */
void buf_release(struct buf *b);

void buf_append(struct buf *b, const void *p, size_t n);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Empties the buffer, keeping its memory; clears overflow. */
void buf_clear(struct buf *b);

/* 0 if every append fit, -1 if any went over max. */
int buf_finish(const struct buf *b);

/* Hands out the bytes (NUL-terminated) and leaves b empty; a heap buffer's
   bytes are then the caller's to free(). */
char *buf_take(struct buf *b, size_t *len_r);

#endif
