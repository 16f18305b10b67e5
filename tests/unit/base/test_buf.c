/* Unit tests for base/buf.c */
#include <stdlib.h>

#include "test.h"
#include "base/arena.h"
#include "base/buf.h"

static void test_buf__heap_grow_and_take(void)
{
	struct buf b;
	buf_init(&b, NULL, 1 << 20);
	CHECK_STR(b.data, "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i % 10);
	CHECK_INT(b.len, 2000);
	CHECK_INT(buf_finish(&b), 0);
	size_t n;
	char *p = buf_take(&b, &n);
	CHECK_INT(n, 2000);
	CHECK(p[0] == '0' && p[1999] == ',');
	free(p);
	CHECK_INT(b.len, 0);
}

static void test_buf__cap_is_sticky(void)
{
	struct arena *a = arena_new();
	struct buf b;
	buf_init(&b, a, 8);
	buf_puts(&b, "12345");
	buf_puts(&b, "6789");
	buf_puts(&b, "x");
	CHECK_INT(buf_finish(&b), -1);
	CHECK_STR(b.data, "12345");
	buf_clear(&b);
	buf_puts(&b, "ok");
	CHECK_INT(buf_finish(&b), 0);
	CHECK_STR(b.data, "ok");
	arena_free(&a);
}

void test_buf(void)
{
	TEST_RUN(test_buf__heap_grow_and_take);
	TEST_RUN(test_buf__cap_is_sticky);
}
