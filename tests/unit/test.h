/* The unit test framework: cases inside suites, ok / not ok lines, one runner (run.c). */
#ifndef TEST_H
#define TEST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

typedef void test_fn(void);

/* Runs fn as one case named name: "ok" if no CHECK in it failed, else "not ok". */
void test_run_case(const char *name, test_fn *fn);
#define TEST_RUN(fn) test_run_case(#fn, fn)

/* Records a failed check (with file and line) unless cond holds; returns cond. */
bool test_check(bool cond, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Directory of test fixtures (tests/data), from $PARLEY_TEST_DATA or the default. */
const char *test_data_dir(void);

#define CHECK(cond)	     test_check((cond), __FILE__, __LINE__, "%s", #cond)
#define CHECK_MSG(cond, ...) test_check((cond), __FILE__, __LINE__, __VA_ARGS__)
#define CHECK_INT(a, b)                                                                            \
	do {                                                                                       \
		long long a_ = (long long)(a), b_ = (long long)(b);                                \
		test_check(a_ == b_, __FILE__, __LINE__, "%s == %s: %lld != %lld", #a, #b, a_,     \
			   b_);                                                                    \
	} while (0)
#define CHECK_STR(a, b)                                                                            \
	do {                                                                                       \
		const char *a_ = (a), *b_ = (b);                                                   \
		test_check(a_ &&b_ &&strcmp(a_, b_) == 0, __FILE__, __LINE__,                      \
			   "%s == %s: \"%s\" != \"%s\"", #a, #b, a_ ? a_ : "(null)",               \
			   b_ ? b_ : "(null)");                                                    \
	} while (0)

#endif
