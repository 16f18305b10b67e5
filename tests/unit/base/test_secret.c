/* Unit tests for base/secret.c */
#include <sodium.h>

#include "test.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/secret.h"

static void test_secret__roundtrip_and_tamper(void)
{
	struct arena *a = arena_new();
	struct secret_key k1, k2;
	struct err err;
	randombytes_buf(k1.k, sizeof(k1.k));
	randombytes_buf(k2.k, sizeof(k2.k));
	char *s = secret_seal(&k1, "hunter2", 7, a);
	CHECK(strncmp(s, "v1:", 3) == 0);
	CHECK(strstr(s, "hunter2") == NULL);
	char *p;
	size_t n;
	CHECK(secret_open(&k1, s, a, &p, &n, &err) == 0);
	CHECK_STR(p, "hunter2");
	CHECK_INT(n, 7);
	CHECK(secret_open(&k2, s, a, &p, &n, &err) < 0);
	char *t = arena_strdup(a, s);
	t[10] = t[10] == 'A' ? 'B' : 'A';
	CHECK(secret_open(&k1, t, a, &p, &n, &err) < 0);
	CHECK(secret_open(&k1, "hunter2", a, &p, &n, &err) < 0);
	CHECK(secret_open(&k1, "v1:!!!", a, &p, &n, &err) < 0);
	/* two seals of the same text differ (random nonce) */
	CHECK(strcmp(secret_seal(&k1, "x", 1, a), secret_seal(&k1, "x", 1, a)) != 0);
	arena_free(&a);
}

void test_secret(void)
{
	TEST_RUN(test_secret__roundtrip_and_tamper);
}
