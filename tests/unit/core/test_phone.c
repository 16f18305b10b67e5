/* Unit tests for core/phone.c and core/address.c */
#include "test.h"
#include "base/arena.h"
#include "base/err.h"
#include "core/address.h"
#include "core/phone.h"

static void test_phone__normalize(void)
{
	static const struct {
		const char *in, *cc, *want; /* want NULL: rejected */
	} cases[] = {
	    {"+1 (415) 555-0100", NULL, "+14155550100"},
	    {"+44 20 7946 0000", NULL, "+442079460000"},
	    {"0044 20 7946 0000", NULL, "+442079460000"},
	    {"020 7946 0000", "44", "+442079460000"},
	    {"020 7946 0000", NULL, NULL},
	    {"+7 (495) 123-45-67", NULL, "+74951234567"},
	    {"+1 415 555 0100 ext 3", NULL, NULL},
	    {"12", "1", NULL},
	    {"+1234567890123456", NULL, NULL},
	    {"++1 415 555 0100", NULL, NULL},
	    {"", "1", NULL},
	    {"+0 123 456 789", NULL, NULL},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct err err = {0};
		char *out = NULL;
		int r = phone_normalize(cases[i].in, cases[i].cc, a, &out, &err);
		if (cases[i].want)
			CHECK_MSG(r == 0 && strcmp(out, cases[i].want) == 0, "case %zu '%s': %s", i,
				  cases[i].in, r == 0 ? out : err.msg);
		else
			CHECK_MSG(r < 0 && err.msg[0], "case %zu '%s' accepted as %s", i,
				  cases[i].in, out ? out : "");
	}
	arena_free(&a);
}

static void test_phone__addresses(void)
{
	static const struct {
		const char *in, *want;
	} cases[] = {
	    {"Ada@Example.COM", "ada@example.com"},
	    {" bob.smith+crm@mail.example.org ", "bob.smith+crm@mail.example.org"},
	    {"alice@localhost", "alice@localhost"},
	    {"no-at-sign", NULL},
	    {"two@@example.com", NULL},
	    {".dot@example.com", NULL},
	    {"a..b@example.com", NULL},
	    {"a b@example.com", NULL},
	    {"a@-example.com", NULL},
	    {"a@example..com", NULL},
	    {"a@", NULL},
	    {"@example.com", NULL},
	    {"a@exa mple.com", NULL},
	};
	struct arena *a = arena_new();
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *got = address_normalize(a, cases[i].in);
		if (cases[i].want)
			CHECK_MSG(got && strcmp(got, cases[i].want) == 0, "case %zu '%s': %s", i,
				  cases[i].in, got ? got : "rejected");
		else
			CHECK_MSG(!got, "case %zu '%s' accepted", i, cases[i].in);
	}
	CHECK_STR(address_domain_normalize(a, "@Acme.COM"), "acme.com");
	CHECK(address_domain_normalize(a, "acme .com") == NULL);
	arena_free(&a);
}

void test_phone(void)
{
	TEST_RUN(test_phone__normalize);
	TEST_RUN(test_phone__addresses);
}
