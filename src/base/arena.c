/* Bump allocator in chained blocks, with marks and deferred destructors. */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/mem.h"
#include "base/banned.h"

#define ARENA_BLOCK_SIZE (16 * 1024)
#define ARENA_ALIGN	 (alignof(max_align_t))

struct arena_block {
	struct arena_block *prev;
	size_t base; /* bytes in all earlier blocks: positions are global */
	size_t used;
	size_t cap;
	alignas(max_align_t) unsigned char data[];
};

struct arena_defer_entry {
	arena_fn *fn;
	void *obj;
};

struct arena {
	struct arena_block *cur;
	struct arena_defer_entry *defers;
	size_t ndefers, defers_cap;
};

static struct arena_block *block_new(struct arena_block *prev, size_t min)
{
	size_t cap = min > ARENA_BLOCK_SIZE ? min : ARENA_BLOCK_SIZE;
	struct arena_block *b = xmalloc(sizeof(*b) + cap);
	b->prev = prev;
	b->base = prev ? prev->base + prev->cap : 0;
	b->used = 0;
	b->cap = cap;
	return b;
}

struct arena *arena_new(void)
{
	struct arena *a = xcalloc(1, sizeof(*a));
	a->cur = block_new(NULL, 0);
	return a;
}

void arena_free(struct arena **ap)
{
	struct arena *a = *ap;
	if (!a)
		return;
	while (a->ndefers > 0) {
		struct arena_defer_entry *d = &a->defers[--a->ndefers];
		d->fn(d->obj);
	}
	free(a->defers);
	while (a->cur) {
		struct arena_block *prev = a->cur->prev;
		free(a->cur);
		a->cur = prev;
	}
	free(a);
	*ap = NULL;
}

void *arena_alloc(struct arena *a, size_t n)
{
	size_t off = (a->cur->used + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
	if (n > a->cur->cap || off > a->cur->cap - n) {
		a->cur = block_new(a->cur, n);
		off = 0;
	}
	void *p = a->cur->data + off;
	a->cur->used = off + n;
	memset(p, 0, n);
	return p;
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	void *q = arena_alloc(a, n);
	if (n)
		memcpy(q, p, n);
	return q;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_alloc(a, n + 1);
	memcpy(p, s, n);
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_vprintf(struct arena *a, const char *fmt, va_list ap)
{
	va_list ap2;
	va_copy(ap2, ap);
	int n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		n = 0;
	char *p = arena_alloc(a, (size_t)n + 1);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	return p;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char *p = arena_vprintf(a, fmt, ap);
	va_end(ap);
	return p;
}

void arena_defer(struct arena *a, arena_fn *fn, void *obj)
{
	if (a->ndefers == a->defers_cap) {
		a->defers_cap = a->defers_cap ? a->defers_cap * 2 : 8;
		a->defers = xrealloc(a->defers, a->defers_cap * sizeof(*a->defers));
	}
	a->defers[a->ndefers].fn = fn;
	a->defers[a->ndefers].obj = obj;
	a->ndefers++;
}

size_t arena_mark(struct arena *a)
{
	return a->cur->base + a->cur->used;
}

void arena_reset(struct arena *a, size_t mark)
{
	while (a->cur->prev && a->cur->base > mark) {
		struct arena_block *prev = a->cur->prev;
		free(a->cur);
		a->cur = prev;
	}
	if (mark >= a->cur->base && mark - a->cur->base <= a->cur->used)
		a->cur->used = mark - a->cur->base;
}

size_t arena_used(const struct arena *a)
{
	size_t n = 0;
	for (const struct arena_block *b = a->cur; b; b = b->prev)
		n += b->used;
	return n;
}
