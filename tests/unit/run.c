/* The unit test runner: `run` runs every suite, `run NAME...` only those.
   Prints one ok / not ok line per case and ends with "N passed, N failed". */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "test.h"
#include "base/id.h"

/*
 * Every unit test suite. To add one:
 *  1. write tests/unit/<module>/test_<file>.c with a function void test_<file>(void)
 *     that calls TEST_RUN() for each case;
 *  2. declare it below and add a line to suites[].
 */
void test_arena(void);
void test_buf(void);
void test_time(void);
void test_str(void);
void test_entity(void);
void test_phone(void);
void test_store_record(void);
void test_secret(void);
void test_mustache(void);
void test_mime_parse(void);
void test_mime_charset(void);
void test_thread_jwz(void);
void test_store_message(void);
void test_mail_query(void);
void test_mime_html(void);
void test_markdown(void);
void test_mime_build(void);
void test_scheduler(void);
void test_smtp_send(void);
void test_csv(void);
void test_contact_import(void);
void test_work_hours(void);
void test_calendar(void);
void test_digest(void);
void test_html_safe(void);
void test_store_today(void);
/* suite declarations: add above this line */

static const struct {
	const char *name;
	test_fn *fn;
} suites[] = {
    {"arena", test_arena},
    {"buf", test_buf},
    {"time", test_time},
    {"str", test_str},
    {"entity", test_entity},
    {"phone", test_phone},
    {"store_record", test_store_record},
    {"secret", test_secret},
    {"mustache", test_mustache},
    {"mime_parse", test_mime_parse},
    {"mime_charset", test_mime_charset},
    {"thread_jwz", test_thread_jwz},
    {"store_message", test_store_message},
    {"mail_query", test_mail_query},
    {"mime_html", test_mime_html},
    {"markdown", test_markdown},
    {"mime_build", test_mime_build},
    {"scheduler", test_scheduler},
    {"smtp_send", test_smtp_send},
    {"csv", test_csv},
    {"contact_import", test_contact_import},
    {"work_hours", test_work_hours},
    {"calendar", test_calendar},
    {"digest", test_digest},
    {"html_safe", test_html_safe},
    {"store_today", test_store_today},
    /* suites: add above this line */
};

static int passed, failed;
static int case_failures;
static const char *case_name;
static const char *suite_name;

bool test_check(bool cond, const char *file, int line, const char *fmt, ...)
{
	if (cond)
		return true;
	va_list ap;
	va_start(ap, fmt);
	fprintf(stdout, "#   %s:%d: ", file, line);
	vfprintf(stdout, fmt, ap);
	fputc('\n', stdout);
	va_end(ap);
	case_failures++;
	return false;
}

void test_run_case(const char *name, test_fn *fn)
{
	case_name = name;
	case_failures = 0;
	fn();
	if (case_failures) {
		printf("not ok %s/%s\n", suite_name, case_name);
		failed++;
	} else {
		printf("ok %s/%s\n", suite_name, case_name);
		passed++;
	}
	fflush(stdout);
}

const char *test_data_dir(void)
{
	const char *d = getenv("PARLEY_TEST_DATA");
	return d ? d : "tests/data";
}

int main(int argc, char **argv)
{
	if (id_init() < 0) {
		fprintf(stderr, "libsodium failed to initialise\n");
		return 2;
	}
	size_t n = sizeof(suites) / sizeof(suites[0]);
	for (size_t i = 0; i < n; i++) {
		int wanted = argc < 2;
		for (int j = 1; j < argc; j++)
			wanted |= strcmp(argv[j], suites[i].name) == 0;
		if (!wanted)
			continue;
		suite_name = suites[i].name;
		suites[i].fn();
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
