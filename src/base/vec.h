/* VEC(T): a typed growable array on the heap. Owner frees with VEC_FREE. */
#ifndef BASE_VEC_H
#define BASE_VEC_H

#include <stddef.h>

#include "base/mem.h"

#define VEC(T)                                                                                     \
	struct {                                                                                   \
		T *items;                                                                          \
		size_t len;                                                                        \
		size_t cap;                                                                        \
	}

#define VEC_PUSH(v, x)                                                                             \
	do {                                                                                       \
		if ((v).len == (v).cap) {                                                          \
			(v).cap = (v).cap ? (v).cap * 2 : 8;                                       \
			(v).items = xrealloc((v).items, (v).cap * sizeof(*(v).items));             \
		}                                                                                  \
		(v).items[(v).len++] = (x);                                                        \
	} while (0)

#define VEC_FREE(v)                                                                                \
	do {                                                                                       \
		free((v).items);                                                                   \
		(v).items = NULL;                                                                  \
		(v).len = (v).cap = 0;                                                             \
	} while (0)

#endif
