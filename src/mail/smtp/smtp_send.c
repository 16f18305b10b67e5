/* smtp_send(): one message, one SMTP session, one outcome.
 *
 * The session, stage by stage (the stage names are what struct smtp_outcome
 * reports):
 *
 *   connect --> [tls: smtps://] --> greeting --> ehlo --+--> tls: STARTTLS --> ehlo --+
 *                                                       |                             |
 *                                                       +--(loopback, no STARTTLS)----+
 *                                                                                     v
 *                      QUIT <-- data: DATA, message, "." <-- rcpt: RCPT * n <-- mail <-- [auth]
 *
 * Any failure ends the session (QUIT) with an outcome; nothing is retried here:
 * the outbox decides when to try again from out->result.
 *
 * Invariants:
 *  - Nothing goes over a connection that is neither TLS with a verified
 *    certificate nor to a loopback peer, except EHLO and STARTTLS. Loopback is
 *    decided by the connected address (getpeername), not by the host name.
 *  - Credentials are sent only over TLS or to loopback, and built in memory
 *    that is wiped after use.
 *  - One 4xx or lost connection during RCPT abandons the transaction: the
 *    message is sent to all recipients or to none of those not refused with
 *    5xx, so a retry never duplicates.
 *  - The message reaches the server byte for byte: libetpan dot-stuffs and
 *    appends CRLF "." CRLF; we drop the message's own final CRLF first, as
 *    libetpan would otherwise add an empty line.
 *
 * Not done here: PIPELINING, SMTPUTF8, BODY=8BITMIME, DSN options, CHUNKING,
 * choosing MX hosts (this is a submission client: one host from the URL).
 */
#include <errno.h>
#include <netinet/in.h>
#include <arpa/inet.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <sodium.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "core/mail_url.h"
#include "mail/smtp/smtp_int.h"
#include "base/banned.h"

int mailesmtp_parse_ehlo(mailsmtp *session); /* exported, not declared: see smtp_conn.c */

enum smtp_tls_policy smtp_tls_decide(bool implicit_tls, bool offered, bool loopback)
{
	if (implicit_tls)
		return SMTP_TLS_IMPLICIT;
	if (offered)
		return SMTP_TLS_STARTTLS;
	return loopback ? SMTP_TLS_PLAIN : SMTP_TLS_REFUSE;
}

/* SIGPIPE: libetpan writes with send(fd, ..., 0) and GnuTLS without
   MSG_NOSIGNAL, so a server that hangs up mid-DATA would kill the process. We
   block SIGPIPE in this thread while the session runs and, before restoring
   the mask, swallow one that we caused (curl's sigpipe_ignore, per thread). */
struct sigpipe_guard {
	sigset_t old;
	bool was_pending;
};

static void sigpipe_block(struct sigpipe_guard *g)
{
	sigset_t set, pending;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	g->was_pending = sigismember(&pending, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &set, &g->old);
}

static void sigpipe_restore(struct sigpipe_guard *g)
{
	sigset_t set, pending;
	sigemptyset(&set);
	sigaddset(&set, SIGPIPE);
	sigpending(&pending);
	if (sigismember(&pending, SIGPIPE) && !g->was_pending) {
		struct timespec zero = {0, 0};
		while (sigtimedwait(&set, NULL, &zero) < 0 && errno == EINTR)
			;
	}
	pthread_sigmask(SIG_SETMASK, &g->old, NULL);
}

/* An envelope address: not too long, and no byte that could end or split an
   SMTP command line (CR, LF, other controls, '<', '>'). */
static int check_address(const char *addr, bool may_be_empty, const char *what, struct err *err)
{
	size_t n = addr ? strlen(addr) : 0;
	if (!addr || (n == 0 && !may_be_empty))
		return err_set(err, ERR_INVALID, "%s is empty", what);
	if (n > SMTP_MAX_ADDRESS)
		return err_set(err, ERR_INVALID, "%s is longer than %d bytes", what,
			       SMTP_MAX_ADDRESS);
	for (const unsigned char *p = (const unsigned char *)addr; *p; p++)
		if (*p < 0x20 || *p == 0x7f || *p == '<' || *p == '>' || *p == ' ')
			return err_set(
			    err, ERR_INVALID,
			    "%s has a forbidden character (a control, space, '<' or '>')", what);
	return 0;
}

static int check_helo(const char *name, struct err *err)
{
	size_t n = strlen(name);
	if (n == 0 || n > SMTP_MAX_HELO)
		return err_set(err, ERR_INVALID, "the HELO name must have 1 to %d bytes",
			       SMTP_MAX_HELO);
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f)
			return err_set(err, ERR_INVALID, "the HELO name has a forbidden character");
	return 0;
}

/* A user name, password or token: 1 to SMTP_MAX_SECRET bytes. Control bytes
   are refused (no_controls) in the user name and token, where they would break
   XOAUTH2's ^A separators; a password is base64-encoded whatever it holds. */
static int check_secret(const char *s, bool no_controls, const char *what, struct err *err)
{
	if (!*s || strlen(s) > SMTP_MAX_SECRET)
		return err_set(err, ERR_INVALID, "%s must have 1 to %d bytes", what,
			       SMTP_MAX_SECRET);
	for (const unsigned char *p = (const unsigned char *)s; no_controls && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return err_set(err, ERR_INVALID, "%s has a control character", what);
	return 0;
}

/* The user, the secret and the CA file of o, as a session needs them. */
static int check_login(const struct smtp_send_opts *o, struct err *err)
{
	if (o->user) {
		if (!o->password && !o->oauth_token)
			return err_set(err, ERR_INVALID, "a user name needs a password or a token");
		if (check_secret(o->user, true, "the user name", err) < 0 ||
		    (o->password && check_secret(o->password, false, "the password", err) < 0) ||
		    (o->oauth_token && check_secret(o->oauth_token, true, "the token", err) < 0))
			return -1;
	}
	if (o->ca_file && access(o->ca_file, R_OK) < 0)
		return err_set(err, ERR_INVALID, "cannot read CA file '%s': %s", o->ca_file,
			       strerror(errno));
	return 0;
}

static int check_args(const struct smtp_send_opts *o, const char *env_from,
		      const char *const *rcpts, size_t nrcpts, size_t len, struct err *err)
{
	if (nrcpts == 0)
		return err_set(err, ERR_INVALID, "no recipients");
	if (nrcpts > SMTP_MAX_RECIPIENTS)
		return err_set(err, ERR_TOOBIG, "%zu recipients, over the limit of %d", nrcpts,
			       SMTP_MAX_RECIPIENTS);
	if (len == 0)
		return err_set(err, ERR_INVALID, "the message is empty");
	if (len > SMTP_MAX_MESSAGE)
		return err_set(err, ERR_TOOBIG, "the message is %zu bytes, over the limit of %d MB",
			       len, SMTP_MAX_MESSAGE / (1024 * 1024));
	if (check_address(env_from, true, "the sender", err) < 0)
		return -1;
	for (size_t i = 0; i < nrcpts; i++)
		if (check_address(rcpts[i], false, "a recipient", err) < 0)
			return -1;
	if (o->helo_name && check_helo(o->helo_name, err) < 0)
		return -1;
	return check_login(o, err);
}

/* The EHLO name: the host name if it looks like a FQDN, else our address as
   an address literal (RFC 5321 4.1.4), "[127.0.0.1]" or "[IPv6:::1]". */
static const char *helo_default(struct smtp_conn *c, struct arena *a)
{
	char host[256];
	if (gethostname(host, sizeof(host)) == 0 && strchr(host, '.') &&
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-") ==
		strlen(host))
		return arena_strdup(a, host);
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	char ip[INET6_ADDRSTRLEN];
	int fd = mailstream_low_get_fd(mailstream_get_low(c->s->stream));
	if (fd >= 0 && getsockname(fd, (struct sockaddr *)&ss, &len) == 0) {
		if (ss.ss_family == AF_INET &&
		    inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, ip, sizeof(ip)))
			return arena_printf(a, "[%s]", ip);
		if (ss.ss_family == AF_INET6 &&
		    inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, ip, sizeof(ip)))
			return arena_printf(a, "[IPv6:%s]", ip);
	}
	return "localhost";
}

/* EHLO, or HELO if the server refuses EHLO with 5xx (RFC 5321 4.1.4). */
static int say_ehlo(struct smtp_conn *c, const char *name, struct arena *a,
		    struct smtp_outcome *out)
{
	int code = smtp_conn_cmd(c, arena_printf(a, "EHLO %s\r\n", name), false);
	if (code == 250)
		return mailesmtp_parse_ehlo(c->s) == MAILSMTP_NO_ERROR
			   ? 0
			   : smtp_conn_fail_reply(c, out, "ehlo");
	if (code / 100 != 5)
		return smtp_conn_fail_reply(c, out, "ehlo");
	if (smtp_conn_cmd(c, arena_printf(a, "HELO %s\r\n", name), false) != 250)
		return smtp_conn_fail_reply(c, out, "ehlo");
	c->s->esmtp = 0;
	c->s->auth = MAILSMTP_AUTH_NOT_CHECKED;
	return 0;
}

/* Base64 of n bytes, allocated in a. */
static char *b64(struct arena *a, const void *p, size_t n)
{
	size_t cap = sodium_base64_ENCODED_LEN(n, sodium_base64_VARIANT_ORIGINAL);
	char *s = arena_alloc(a, cap);
	return sodium_bin2base64(s, cap, p, n, sodium_base64_VARIANT_ORIGINAL);
}

/* Sends a command holding a secret and wipes it. Returns the reply code. */
static int secret_cmd(struct smtp_conn *c, char *line)
{
	int code = smtp_conn_cmd(c, line, true);
	sodium_memzero(line, strlen(line));
	return code;
}

/* One SASL message (raw bytes) as a command "PREFIX base64\r\n"; wiped after. */
static int sasl_send(struct smtp_conn *c, struct arena *a, const char *prefix, char *raw, size_t n)
{
	char *enc = b64(a, raw, n);
	char *line = arena_printf(a, "%s%s\r\n", prefix, enc);
	sodium_memzero(raw, n);
	sodium_memzero(enc, strlen(enc));
	return secret_cmd(c, line);
}

static int auth_plain(struct smtp_conn *c, const struct smtp_send_opts *o, struct arena *a)
{
	size_t ul = strlen(o->user), pl = strlen(o->password);
	char *raw = arena_alloc(a, ul + pl + 2); /* authzid "" NUL authcid NUL passwd */
	memcpy(raw + 1, o->user, ul);
	memcpy(raw + 2 + ul, o->password, pl);
	return sasl_send(c, a, "AUTH PLAIN ", raw, ul + pl + 2);
}

static int auth_login(struct smtp_conn *c, const struct smtp_send_opts *o, struct arena *a)
{
	int code = smtp_conn_cmd(c, arena_strdup(a, "AUTH LOGIN\r\n"), false);
	if (code != 334)
		return code;
	code = sasl_send(c, a, "", arena_strdup(a, o->user), strlen(o->user));
	if (code != 334)
		return code;
	return sasl_send(c, a, "", arena_strdup(a, o->password), strlen(o->password));
}

/* AUTH XOAUTH2 (Google, Microsoft): base64("user=" U ^A "auth=Bearer " T ^A ^A).
   libetpan has mailsmtp_oauth2_authenticate(), but it builds the command in a
   513-byte buffer and silently cuts longer ones (Microsoft tokens are over
   1 KB), so the command is built here. On failure the server first sends a
   334 challenge (a base64 JSON error); we answer with an empty line and take
   the final reply. */
static int auth_xoauth2(struct smtp_conn *c, const struct smtp_send_opts *o, struct arena *a)
{
	char *raw = arena_printf(a, "user=%s\001auth=Bearer %s\001\001", o->user, o->oauth_token);
	int code = sasl_send(c, a, "AUTH XOAUTH2 ", raw, strlen(raw));
	if (code == 334)
		code = smtp_conn_cmd(c, arena_strdup(a, "\r\n"), false);
	return code;
}

static int authenticate(struct smtp_conn *c, const struct smtp_send_opts *o, struct arena *a,
			struct smtp_outcome *out)
{
	int code;
	if (!c->tls && !c->loopback) /* smtp_tls_decide() makes this unreachable */
		return smtp_conn_fail(out, SMTP_PERMFAIL, "auth", 0,
				      "refusing to send credentials without TLS");
	if (o->oauth_token)
		code = auth_xoauth2(c, o, a);
	else if (c->s->auth & MAILSMTP_AUTH_PLAIN)
		code = auth_plain(c, o, a);
	else if (c->s->auth & MAILSMTP_AUTH_LOGIN)
		code = auth_login(c, o, a);
	else
		return smtp_conn_fail(out, SMTP_PERMFAIL, "auth", 0,
				      "%s:%d offers no AUTH PLAIN or LOGIN", c->host, c->port);
	return code / 100 == 2 ? 0 : smtp_conn_fail_reply(c, out, "auth");
}

/* connect, greeting, EHLO, TLS, EHLO again, AUTH. */
static int session_open(struct smtp_conn *c, const struct smtp_send_opts *o, bool implicit_tls,
			struct arena *a, struct smtp_outcome *out)
{
	if (smtp_conn_open(c, implicit_tls, out) < 0)
		return -1;
	const char *helo = o->helo_name ? o->helo_name : helo_default(c, a);
	if (say_ehlo(c, helo, a, out) < 0)
		return -1;
	bool offered = (c->s->esmtp & MAILSMTP_ESMTP_STARTTLS) != 0;
	switch (smtp_tls_decide(implicit_tls, offered, c->loopback)) {
	case SMTP_TLS_REFUSE:
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0,
				      "%s:%d: server offers no STARTTLS", c->host, c->port);
	case SMTP_TLS_STARTTLS:
		if (smtp_conn_starttls(c, out) < 0 || say_ehlo(c, helo, a, out) < 0)
			return -1;
		break;
	case SMTP_TLS_IMPLICIT:
	case SMTP_TLS_PLAIN:
		break;
	}
	return o->user ? authenticate(c, o, a, out) : 0;
}

/* "; <addr> 550 reply" for one refused recipient, added to the list in b. */
static void note_rejected(struct buf *b, const struct smtp_conn *c, const char *rcpt)
{
	char reply[SMTP_REPLY_MAX];
	smtp_conn_format_reply(reply, sizeof(reply), c->s->response_code, c->s->response);
	buf_printf(b, "%s<%s> %s", b->len ? "; " : "", rcpt, reply);
}

/* MAIL and RCPT. Returns the number of accepted recipients (> 0), or -1 with
   out filled in. Refused recipients are listed in rejected. */
static int envelope(struct smtp_conn *c, const char *from, const char *const *rcpts, size_t nrcpts,
		    size_t len, struct smtp_outcome *out, struct buf *rejected)
{
	size_t max = c->s->smtp_max_msg_size, accepted = 0;
	if ((c->s->esmtp & MAILSMTP_ESMTP_SIZE) && max && len > max)
		return smtp_conn_fail(out, SMTP_PERMFAIL, "mail", 0,
				      "the message is %zu bytes; %s:%d accepts at most %zu", len,
				      c->host, c->port, max);
	smtp_conn_clear_reply(c);
	if (mailesmtp_mail_size(c->s, from, 0, NULL, len) != MAILSMTP_NO_ERROR)
		return smtp_conn_fail_reply(c, out, "mail");
	for (size_t i = 0; i < nrcpts; i++) {
		smtp_conn_clear_reply(c);
		int r = mailesmtp_rcpt(c->s, rcpts[i], 0, NULL);
		int code = c->s->response_code;
		if (r == MAILSMTP_NO_ERROR && code / 100 == 2) {
			accepted++;
		} else if (code / 100 == 5) {
			note_rejected(rejected, c, rcpts[i]);
			out->nrejected++;
		} else {
			out->nrejected = 0;
			return smtp_conn_fail_reply(c, out, "rcpt");
		}
	}
	if (accepted == 0) {
		smtp_conn_fail(out, SMTP_PERMFAIL, "rcpt", c->s->response_code, "%s",
			       "all recipients refused: ");
		size_t n = strlen(out->reply);
		snprintf(out->reply + n, sizeof(out->reply) - n, "%s", rejected->data);
		out->nrejected = 0;
		return -1;
	}
	return (int)accepted;
}

/* DATA, the message, ".". */
static int send_data(struct smtp_conn *c, const char *raw, size_t len, struct smtp_outcome *out)
{
	smtp_conn_clear_reply(c);
	if (mailsmtp_data(c->s) != MAILSMTP_NO_ERROR)
		return smtp_conn_fail_reply(c, out, "data");
	/* libetpan sends CRLF "." CRLF after the message: drop its own last line end. */
	if (len >= 2 && raw[len - 2] == '\r' && raw[len - 1] == '\n')
		len -= 2;
	else if (len >= 1 && raw[len - 1] == '\n')
		len -= 1;
	/* The reply to "." may take long (content checks); giving up early would
	   make the outbox send the message twice (RFC 5321 4.5.3.2.6: 10 minutes). */
	if (c->timeout < SMTP_DATA_END_TIMEOUT)
		mailstream_low_set_timeout(mailstream_get_low(c->s->stream), SMTP_DATA_END_TIMEOUT);
	smtp_conn_clear_reply(c);
	if (mailsmtp_data_message(c->s, raw, len) != MAILSMTP_NO_ERROR ||
	    c->s->response_code / 100 != 2)
		return smtp_conn_fail_reply(c, out, "data");
	return 0;
}

static void sent(const struct smtp_conn *c, const struct buf *rejected, struct smtp_outcome *out)
{
	size_t nrej = out->nrejected;
	smtp_conn_fail(out, SMTP_SENT, "data", c->s->response_code, "%s", "");
	out->nrejected = nrej;
	smtp_conn_format_reply(out->reply, sizeof(out->reply), c->s->response_code, c->s->response);
	if (nrej) {
		size_t n = strlen(out->reply);
		snprintf(out->reply + n, sizeof(out->reply) - n, "; refused: %s", rejected->data);
	}
}

/* A connection to url's server with o's timeout and TLS settings, not opened yet. */
static struct smtp_conn conn_new(const struct smtp_send_opts *o, const struct mail_url *url)
{
	struct smtp_conn c = {
	    .host = url->host,
	    .port = url->port,
	    .timeout = o->timeout_s > 0 ? o->timeout_s : SMTP_DEFAULT_TIMEOUT,
	    .ca_file = o->ca_file,
	    .public_only = o->public_only,
	};
	c.s = mailsmtp_new(0, NULL);
	if (!c.s)
		abort();
	mailsmtp_set_timeout(c.s, c.timeout);
	return c;
}

int smtp_send(const struct smtp_send_opts *o, const char *env_from, const char *const *rcpts,
	      size_t nrcpts, const char *raw, size_t len, struct smtp_outcome *out, struct err *err)
{
	struct mail_url url;
	struct sigpipe_guard guard;
	struct buf rejected;
	struct arena *a;

	memset(out, 0, sizeof(*out));
	if (check_args(o, env_from, rcpts, nrcpts, len, err) < 0)
		return -1;
	a = arena_new();
	if (mail_url_parse(o->url, MAIL_SMTP, "url", a, &url, err) < 0) {
		arena_free(&a);
		return -1;
	}
	struct smtp_conn c = conn_new(o, &url);
	buf_init(&rejected, a, 64 * 1024);
	sigpipe_block(&guard);
	if (session_open(&c, o, url.implicit_tls, a, out) == 0 &&
	    envelope(&c, env_from, rcpts, nrcpts, len, out, &rejected) > 0 &&
	    send_data(&c, raw, len, out) == 0)
		sent(&c, &rejected, out);
	smtp_conn_close(&c);
	sigpipe_restore(&guard);
	arena_free(&a);
	return 0;
}

int smtp_login_check(const struct smtp_send_opts *o, struct smtp_outcome *out, struct err *err)
{
	struct mail_url url;
	struct sigpipe_guard guard;
	struct arena *a;

	memset(out, 0, sizeof(*out));
	if (!o->user)
		return err_set(err, ERR_INVALID, "a login check needs a user name");
	if ((o->helo_name && check_helo(o->helo_name, err) < 0) || check_login(o, err) < 0)
		return -1;
	a = arena_new();
	if (mail_url_parse(o->url, MAIL_SMTP, "url", a, &url, err) < 0) {
		arena_free(&a);
		return -1;
	}
	struct smtp_conn c = conn_new(o, &url);
	sigpipe_block(&guard);
	if (session_open(&c, o, url.implicit_tls, a, out) == 0)
		out->result = SMTP_SENT;
	smtp_conn_close(&c);
	sigpipe_restore(&guard);
	arena_free(&a);
	return 0;
}
