/* Growable buffers in an arena or on the heap, capped, with a sticky overflow flag. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/mem.h"
#include "base/banned.h"

static char empty[1];

void buf_init(struct buf *b, struct arena *a, size_t max)
{
	b->data = empty;
	b->len = 0;
	b->cap = 0;
	b->max = max;
	b->arena = a;
	b->overflow = false;
}

void buf_release(struct buf *b)
{
	if (!b->arena && b->cap)
		free(b->data);
	buf_init(b, b->arena, b->max);
}

static bool buf_grow(struct buf *b, size_t extra)
{
	if (b->overflow || extra > b->max - b->len) {
		b->overflow = true;
		return false;
	}
	size_t need = b->len + extra + 1;
	if (need <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	if (b->arena) {
		char *p = arena_alloc(b->arena, cap);
		memcpy(p, b->data, b->len + 1);
		b->data = p;
	} else {
		b->data = b->cap ? xrealloc(b->data, cap) : xmalloc(cap);
		if (!b->len)
			b->data[0] = '\0';
	}
	b->cap = cap;
	return true;
}

void buf_append(struct buf *b, const void *p, size_t n)
{
	if (!buf_grow(b, n))
		return;
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void buf_puts(struct buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void buf_putc(struct buf *b, char c)
{
	buf_append(b, &c, 1);
}

void buf_vprintf(struct buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return;
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_printf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vprintf(b, fmt, ap);
	va_end(ap);
}

void buf_clear(struct buf *b)
{
	b->len = 0;
	if (b->cap)
		b->data[0] = '\0';
	b->overflow = false;
}

int buf_finish(const struct buf *b)
{
	return b->overflow ? -1 : 0;
}

char *buf_take(struct buf *b, size_t *len_r)
{
	char *p;
	if (len_r)
		*len_r = b->len;
	if (b->cap) {
		p = b->data;
	} else {
		p = b->arena ? arena_alloc(b->arena, 1) : xcalloc(1, 1);
	}
	b->data = empty;
	b->len = b->cap = 0;
	b->overflow = false;
	return p;
}
