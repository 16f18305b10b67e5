/* Unit tests for mail/smtp/smtp_send.c and smtp_conn.c: the TLS decision,
   reply formatting, and the arguments smtp_send() refuses before connecting.
   Sessions against real servers are in tests/integration/test_smtp.sh. */
#include <string.h>

#include "test.h"
#include "base/err.h"
#include "mail/smtp/smtp_int.h"
#include "mail/smtp/smtp_send.h"
#include "base/banned.h"

static void test_smtp_send__tls_decide(void)
{
	static const struct {
		bool implicit, offered, loopback;
		enum smtp_tls_policy want;
	} cases[] = {
	    {true, false, false, SMTP_TLS_IMPLICIT},
	    {true, true, true, SMTP_TLS_IMPLICIT},
	    {false, true, false, SMTP_TLS_STARTTLS},
	    {false, true, true, SMTP_TLS_STARTTLS}, /* loopback still uses TLS if offered */
	    {false, false, true, SMTP_TLS_PLAIN},
	    {false, false, false, SMTP_TLS_REFUSE}, /* never plain to a remote server */
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum smtp_tls_policy got =
		    smtp_tls_decide(cases[i].implicit, cases[i].offered, cases[i].loopback);
		CHECK_MSG(got == cases[i].want, "case %zu: %d, wanted %d", i, (int)got,
			  (int)cases[i].want);
	}
}

static void test_smtp_send__format_reply(void)
{
	static const struct {
		int code;
		const char *text, *want;
	} cases[] = {
	    {250, "2.0.0 Ok: queued as 12345\n", "250 2.0.0 Ok: queued as 12345"},
	    {550, "5.1.1 <x@y>: no such user\nsecond line\n",
	     "550 5.1.1 <x@y>: no such user second line"},
	    {451, "bad\x01\x7f bytes \xc3\xa9\n", "451 bad?? bytes ??"},
	    {421, "", "421"},
	    {421, NULL, "421"},
	    {554, "a\r\n\n\n  b\t c  \n", "554 a b c"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char got[SMTP_REPLY_MAX];
		smtp_conn_format_reply(got, sizeof(got), cases[i].code, cases[i].text);
		CHECK_MSG(strcmp(got, cases[i].want) == 0, "case %zu: '%s'", i, got);
	}
	char small[12], long_text[2000];
	memset(long_text, 'x', sizeof(long_text) - 1);
	long_text[sizeof(long_text) - 1] = '\0';
	smtp_conn_format_reply(small, sizeof(small), 550, long_text);
	CHECK_STR(small, "550 xxxxxxx");
}

/* Each is refused before any connection: the URL points at TEST-NET-1
   (192.0.2.1), which would hang, not fail, if it were tried. */
static void test_smtp_send__refused_args(void)
{
	static const char *const one[] = {"b@example.com"};
	static const char *const crlf[] = {"b@example.com", "c@example.com\r\nRCPT TO:<x@y>"};
	static const char *const nul_from_space[] = {"b c@example.com"};
	static const char *const angle[] = {"<b@example.com>"};
	static const char *const empty[] = {""};
	static const char *many[SMTP_MAX_RECIPIENTS + 1];
	char long_addr[SMTP_MAX_ADDRESS + 2];
	const char *long_rcpt[1] = {long_addr};
	memset(long_addr, 'a', sizeof(long_addr) - 1);
	long_addr[sizeof(long_addr) - 1] = '\0';
	for (size_t i = 0; i < SMTP_MAX_RECIPIENTS + 1; i++)
		many[i] = "b@example.com";
	const struct {
		const char *url, *from;
		const char *const *rcpts;
		size_t n, len;
		enum err_code want;
	} cases[] = {
	    {"smtp://192.0.2.1", "a@example.com", crlf, 2, 10, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com\n", one, 1, 10, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com", nul_from_space, 1, 10, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com", angle, 1, 10, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com", empty, 1, 10, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com", long_rcpt, 1, 10, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com", one, 0, 10, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com", many, SMTP_MAX_RECIPIENTS + 1, 10, ERR_TOOBIG},
	    {"smtp://192.0.2.1", "a@example.com", one, 1, 0, ERR_INVALID},
	    {"smtp://192.0.2.1", "a@example.com", one, 1, (size_t)SMTP_MAX_MESSAGE + 1, ERR_TOOBIG},
	    {"imap://192.0.2.1", "a@example.com", one, 1, 10, ERR_INVALID},
	    {"192.0.2.1:25", "a@example.com", one, 1, 10, ERR_INVALID},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smtp_send_opts o = {.url = cases[i].url, .timeout_s = 1};
		struct smtp_outcome out;
		struct err err = {0};
		int r = smtp_send(&o, cases[i].from, cases[i].rcpts, cases[i].n, "x", cases[i].len,
				  &out, &err);
		CHECK_MSG(r == -1 && err.code == cases[i].want, "case %zu: r %d, err %d '%s'", i, r,
			  (int)err.code, err.msg);
	}
}

static void test_smtp_send__refused_opts(void)
{
	static const char *const one[] = {"b@example.com"};
	const struct smtp_send_opts cases[] = {
	    {.url = "smtp://192.0.2.1", .helo_name = "bad name"},
	    {.url = "smtp://192.0.2.1", .helo_name = "evil\r\nMAIL FROM:<x>"},
	    {.url = "smtp://192.0.2.1", .user = "bob"}, /* no password nor token */
	    {.url = "smtp://192.0.2.1", .user = "bob\001", .password = "pw"},
	    {.url = "smtp://192.0.2.1", .user = "bob", .oauth_token = "t\001ok"},
	    {.url = "smtp://192.0.2.1", .ca_file = "/nonexistent/ca.pem"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct smtp_outcome out;
		struct err err = {0};
		int r = smtp_send(&cases[i], "a@example.com", one, 1, "x\r\n", 3, &out, &err);
		CHECK_MSG(r == -1 && err.code == ERR_INVALID, "case %zu: r %d, err %d '%s'", i, r,
			  (int)err.code, err.msg);
	}
}

/* Nothing listens on 127.0.0.1:1: a network failure is temporary. */
static void test_smtp_send__connection_refused(void)
{
	static const char *const one[] = {"b@example.com"};
	struct smtp_send_opts o = {.url = "smtp://127.0.0.1:1", .timeout_s = 5};
	struct smtp_outcome out;
	struct err err = {0};
	CHECK_INT(smtp_send(&o, "", one, 1, "x\r\n", 3, &out, &err), 0);
	CHECK_INT(out.result, SMTP_TEMPFAIL);
	CHECK_INT(out.code, 0);
	CHECK_STR(out.stage, "connect");
	CHECK_MSG(strstr(out.reply, "refused") != NULL, "reply '%s'", out.reply);
}

void test_smtp_send(void)
{
	TEST_RUN(test_smtp_send__tls_decide);
	TEST_RUN(test_smtp_send__format_reply);
	TEST_RUN(test_smtp_send__refused_args);
	TEST_RUN(test_smtp_send__refused_opts);
	TEST_RUN(test_smtp_send__connection_refused);
}
