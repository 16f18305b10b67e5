/* Unit tests for base/arena.c */
#include <stdlib.h>

#include "test.h"
#include "base/arena.h"

static int deferred;
static void count_defer(void *p)
{
	deferred += *(int *)p;
	free(p);
}

static void test_arena__alloc_zeroed_and_aligned(void)
{
	struct arena *a = arena_new();
	for (size_t n = 1; n < 5000; n += 37) {
		unsigned char *p = arena_alloc(a, n);
		CHECK(((uintptr_t)p % sizeof(void *)) == 0);
		for (size_t i = 0; i < n; i++)
			if (p[i] != 0)
				CHECK_MSG(0, "byte %zu of %zu not zero", i, n);
	}
	arena_free(&a);
	CHECK(a == NULL);
}

static void test_arena__mark_reset(void)
{
	struct arena *a = arena_new();
	arena_strdup(a, "keep");
	size_t m = arena_mark(a);
	size_t used = arena_used(a);
	for (int i = 0; i < 100; i++)
		arena_alloc(a, 1000);
	CHECK(arena_used(a) > used);
	arena_reset(a, m);
	CHECK_INT(arena_used(a), used);
	arena_free(&a);
}

static void test_arena__defer_runs_at_free(void)
{
	struct arena *a = arena_new();
	deferred = 0;
	for (int i = 1; i <= 3; i++) {
		int *p = malloc(sizeof(*p));
		*p = i;
		arena_defer(a, count_defer, p);
	}
	CHECK_INT(deferred, 0);
	arena_free(&a);
	CHECK_INT(deferred, 6);
}

static void test_arena__printf(void)
{
	struct arena *a = arena_new();
	CHECK_STR(arena_printf(a, "%s-%d", "x", 42), "x-42");
	CHECK(arena_strdup(a, NULL) == NULL);
	arena_free(&a);
}

void test_arena(void)
{
	TEST_RUN(test_arena__alloc_zeroed_and_aligned);
	TEST_RUN(test_arena__mark_reset);
	TEST_RUN(test_arena__defer_runs_at_free);
	TEST_RUN(test_arena__printf);
}
