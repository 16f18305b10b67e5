/* One SMTP connection: TCP connect with a timeout, TLS through libetpan's
   GnuTLS streams, certificate verification, commands and replies.
 *
 * Certificate verification: libetpan checks none, so each handshake is
 * followed by mail/net.c's net_tls_verify() before any SMTP byte is sent.
 *
 * Low-level calls. mailsmtp_send_command(), mailsmtp_send_command_private(),
 * mailsmtp_read_response() and mailesmtp_parse_ehlo() are exported by
 * libetpan.so (mailsmtp.c; its own XOAUTH2 module uses them) but declared only
 * in mailsmtp_private.h, which is not installed: they are declared below. They
 * let us send commands libetpan builds badly (EHLO with our own name; AUTH
 * lines, which libetpan cuts at 512 bytes) while keeping libetpan's session
 * state (ESMTP flags, reply buffer) right for the calls we do use.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>

#include "mail/net.h"
#include "mail/smtp/smtp_int.h"
#include "base/banned.h"

int mailsmtp_send_command(mailsmtp *session, char *command);
int mailsmtp_send_command_private(mailsmtp *session, char *command);
int mailsmtp_read_response(mailsmtp *session);

int smtp_conn_fail(struct smtp_outcome *out, enum smtp_result result, const char *stage, int code,
		   const char *fmt, ...)
{
	va_list ap;
	out->result = result;
	out->code = code;
	snprintf(out->stage, sizeof(out->stage), "%s", stage);
	va_start(ap, fmt);
	vsnprintf(out->reply, sizeof(out->reply), fmt, ap);
	va_end(ap);
	return -1;
}

void smtp_conn_format_reply(char *dst, size_t cap, int code, const char *text)
{
	int w = snprintf(dst, cap, "%03d ", code);
	if (w < 0 || (size_t)w >= cap)
		return;
	size_t n = (size_t)w;
	/* libetpan keeps each line's text without code and separator, joined by \n. */
	for (const char *p = text; p && *p && n + 1 < cap; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch == '\r' || ch == '\n' || ch == '\t')
			ch = ' ';
		else if (ch < 0x20 || ch > 0x7e)
			ch = '?';
		if (ch == ' ' && dst[n - 1] == ' ')
			continue;
		dst[n++] = (char)ch;
	}
	while (dst[n - 1] == ' ')
		n--;
	dst[n] = '\0';
}

int smtp_conn_fail_reply(const struct smtp_conn *c, struct smtp_outcome *out, const char *stage)
{
	int code = c->s ? c->s->response_code : 0;
	if (code <= 0)
		return smtp_conn_fail(out, SMTP_TEMPFAIL, stage, 0,
				      "connection to %s:%d lost or timed out (%s)", c->host,
				      c->port, stage);
	smtp_conn_fail(out, code / 100 == 5 ? SMTP_PERMFAIL : SMTP_TEMPFAIL, stage, code, "%s", "");
	smtp_conn_format_reply(out->reply, sizeof(out->reply), code, c->s->response);
	return -1;
}

void smtp_conn_clear_reply(struct smtp_conn *c)
{
	c->s->response_code = 0;
}

int smtp_conn_cmd(struct smtp_conn *c, char *line, bool secret)
{
	smtp_conn_clear_reply(c);
	if (!c->s->stream)
		return 0;
	int r =
	    secret ? mailsmtp_send_command_private(c->s, line) : mailsmtp_send_command(c->s, line);
	if (r < 0)
		return 0;
	return mailsmtp_read_response(c->s);
}

void smtp_conn_close(struct smtp_conn *c)
{
	if (c->s)
		mailsmtp_free(c->s); /* sends QUIT if the stream is still open */
	c->s = NULL;
}

/* One TCP connection to c->host:c->port; sets c->loopback from the peer. */
static int tcp_connect(struct smtp_conn *c, struct smtp_outcome *out)
{
	char why[SMTP_REPLY_MAX];
	int fd = net_connect(c->host, c->port, c->timeout, c->public_only, &c->loopback, why,
			     sizeof(why));
	if (fd < 0)
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "connect", 0, "%s", why);
	return fd;
}

/* Verifies the TLS peer of stream; -1 with out filled in (TEMPFAIL, "tls"). */
static int tls_verify(struct smtp_conn *c, mailstream *stream, struct smtp_outcome *out)
{
	char why[SMTP_REPLY_MAX];
	if (net_tls_verify(stream, c->host, c->ca_file, why, sizeof(why)) < 0)
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0, "%s", why);
	c->tls = true;
	return 0;
}

int smtp_conn_open(struct smtp_conn *c, bool implicit_tls, struct smtp_outcome *out)
{
	mailstream *stream;
	int fd = tcp_connect(c, out);
	if (fd < 0)
		return -1;
	if (implicit_tls) {
		stream =
		    mailstream_ssl_open_with_callback_timeout(fd, c->timeout, net_tls_sni, c->host);
		if (!stream) {
			close(fd);
			return smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0,
					      "TLS handshake with %s:%d failed", c->host, c->port);
		}
		if (tls_verify(c, stream, out) < 0) {
			mailstream_close(stream);
			return -1;
		}
	} else {
		stream = mailstream_socket_open_timeout(fd, c->timeout);
		if (!stream) {
			close(fd);
			return smtp_conn_fail(out, SMTP_TEMPFAIL, "connect", 0, "out of memory");
		}
	}
	smtp_conn_clear_reply(c);
	/* Reads the greeting; on anything but 220 libetpan closes the stream. */
	if (mailsmtp_connect(c->s, stream) != MAILSMTP_NO_ERROR)
		return smtp_conn_fail_reply(c, out, "connect");
	return 0;
}

int smtp_conn_starttls(struct smtp_conn *c, struct smtp_outcome *out)
{
	smtp_conn_clear_reply(c);
	int r = mailsmtp_socket_starttls_with_callback(c->s, net_tls_sni, c->host);
	if (r == MAILSMTP_ERROR_SSL || (r != MAILSMTP_NO_ERROR && c->s->response_code == 220))
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0,
				      "TLS handshake with %s:%d failed", c->host, c->port);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_conn_fail_reply(c, out, "tls");
	return tls_verify(c, c->s->stream, out);
}
