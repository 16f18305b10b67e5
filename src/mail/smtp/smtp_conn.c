/* One SMTP connection: TCP connect with a timeout, TLS through libetpan's
   GnuTLS streams, certificate verification, commands and replies.
 *
 * Certificate verification. libetpan (1.9.4, built with GnuTLS on Debian)
 * verifies nothing: its GnuTLS handshake sets no trust store and never checks
 * the peer, and mailstream_ssl_set_server_certicate() is "not implemented"
 * (returns -1) in the GnuTLS build. So after each handshake, and before any
 * byte of SMTP goes over the new TLS stream, we take the peer's chain from
 * libetpan (mailstream_get_certificate_chain()) and verify it ourselves with
 * GnuTLS against ca_file or the system trust store, including the host name
 * (RFC 6125, gnutls_x509_trust_list_verify_crt2()). A failure closes the
 * connection: nothing, credentials least of all, is sent to an unverified peer.
 * The only thing libetpan lets us set before the handshake is SNI, through
 * the context callback (mailstream_ssl_set_server_name()).
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

#include "mail/smtp/smtp_int.h"
#include "base/banned.h"

int mailsmtp_send_command(mailsmtp *session, char *command);
int mailsmtp_send_command_private(mailsmtp *session, char *command);
int mailsmtp_read_response(mailsmtp *session);

#define SMTP_MAX_CHAIN 16 /* certificates taken from the peer's chain */

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

static bool addr_is_loopback(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET) {
		const struct sockaddr_in *in = (const struct sockaddr_in *)ss;
		return (ntohl(in->sin_addr.s_addr) >> 24) == 127;
	}
	if (ss->ss_family == AF_INET6) {
		const struct in6_addr *a = &((const struct sockaddr_in6 *)ss)->sin6_addr;
		return IN6_IS_ADDR_LOOPBACK(a) ||
		       (IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127);
	}
	return false;
}

/* Waits for a non-blocking connect(); returns 0 or an errno value. */
static int connect_wait(int fd, int timeout)
{
	struct pollfd pfd = {.fd = fd, .events = POLLOUT};
	int r, soerr = 0;
	socklen_t len = sizeof(soerr);
	do
		r = poll(&pfd, 1, timeout * 1000);
	while (r < 0 && errno == EINTR);
	if (r == 0)
		return ETIMEDOUT;
	if (r < 0)
		return errno;
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return errno;
	return soerr;
}

/* One TCP connection to c->host:c->port, trying each address in turn. Returns
   a blocking socket, or -1 with out filled in. Sets c->loopback from the peer. */
static int tcp_connect(struct smtp_conn *c, struct smtp_outcome *out)
{
	struct addrinfo hints = {.ai_socktype = SOCK_STREAM}, *res, *ai;
	char port[8];
	int fd = -1, gai, last = ECONNREFUSED;
	snprintf(port, sizeof(port), "%d", c->port);
	gai = getaddrinfo(c->host, port, &hints, &res);
	if (gai != 0)
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "connect", 0, "cannot resolve '%s': %s",
				      c->host, gai_strerror(gai));
	for (ai = res; ai && fd < 0; ai = ai->ai_next) {
		fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC | SOCK_NONBLOCK,
			    ai->ai_protocol);
		if (fd < 0) {
			last = errno;
			continue;
		}
		int e = connect(fd, ai->ai_addr, ai->ai_addrlen) == 0 ? 0 : errno;
		if (e == EINPROGRESS)
			e = connect_wait(fd, c->timeout);
		if (e != 0) {
			last = e;
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(res);
	if (fd < 0)
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "connect", 0,
				      "cannot connect to %s:%d: %s", c->host, c->port,
				      strerror(last));
	struct sockaddr_storage peer;
	socklen_t plen = sizeof(peer);
	c->loopback =
	    getpeername(fd, (struct sockaddr *)&peer, &plen) == 0 && addr_is_loopback(&peer);
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0 || fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0) {
		int e = errno;
		close(fd);
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "connect", 0,
				      "cannot connect to %s:%d: %s", c->host, c->port, strerror(e));
	}
	return fd;
}

/* Called by libetpan between gnutls_init() and the handshake: sets SNI, which
   RFC 6066 allows only for names, not address literals. */
static void tls_setup(struct mailstream_ssl_context *ctx, void *data)
{
	struct smtp_conn *c = data;
	unsigned char addr[sizeof(struct in6_addr)];
	if (inet_pton(AF_INET, c->host, addr) != 1 && inet_pton(AF_INET6, c->host, addr) != 1)
		mailstream_ssl_set_server_name(ctx, c->host);
}

static int load_trust(const struct smtp_conn *c, gnutls_x509_trust_list_t tl,
		      struct smtp_outcome *out)
{
	int n = c->ca_file ? gnutls_x509_trust_list_add_trust_file(tl, c->ca_file, NULL,
								   GNUTLS_X509_FMT_PEM, 0, 0)
			   : gnutls_x509_trust_list_add_system_trust(tl, 0, 0);
	if (n > 0)
		return 0;
	return smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0, "no trusted certificates in %s%s%s",
			      c->ca_file ? "'" : "the system store", c->ca_file ? c->ca_file : "",
			      c->ca_file ? "'" : "");
}

/* Imports the peer's chain (DER, from libetpan) into crts; returns how many. */
static unsigned import_chain(mailstream *stream, gnutls_x509_crt_t *crts)
{
	unsigned char *leaf = NULL;
	unsigned n = 0;
	/* Asked first because libetpan's chain getter returns an uninitialised
	   pointer when the peer sent no certificate; this one returns -1. */
	if (mailstream_ssl_get_certificate(stream, &leaf) < 0) {
		free(leaf);
		return 0;
	}
	free(leaf);
	carray *chain = mailstream_get_certificate_chain(stream);
	for (unsigned i = 0; chain && i < carray_count(chain) && n < SMTP_MAX_CHAIN; i++) {
		MMAPString *der = carray_get(chain, i);
		gnutls_datum_t d = {(unsigned char *)der->str, (unsigned)der->len};
		if (gnutls_x509_crt_init(&crts[n]) < 0)
			break;
		if (gnutls_x509_crt_import(crts[n], &d, GNUTLS_X509_FMT_DER) < 0) {
			gnutls_x509_crt_deinit(crts[n]);
			break;
		}
		n++;
	}
	if (chain)
		mailstream_certificate_chain_free(chain);
	return n;
}

/* Verifies the TLS peer of stream: chain to a trusted CA and a certificate
   for c->host. Returns 0, or -1 with out filled in (TEMPFAIL, stage "tls"). */
static int tls_verify(struct smtp_conn *c, mailstream *stream, struct smtp_outcome *out)
{
	gnutls_x509_crt_t crts[SMTP_MAX_CHAIN];
	gnutls_x509_trust_list_t tl = NULL;
	gnutls_typed_vdata_st vd = {GNUTLS_DT_DNS_HOSTNAME, (unsigned char *)c->host, 0};
	unsigned status = 0, n = import_chain(stream, crts);
	int rc = -1;

	if (n == 0)
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0,
				      "%s:%d sent no usable TLS certificate", c->host, c->port);
	if (gnutls_x509_trust_list_init(&tl, 0) < 0) {
		smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0, "cannot set up TLS verification");
	} else if (load_trust(c, tl, out) == 0) {
		int r = gnutls_x509_trust_list_verify_crt2(tl, crts, n, &vd, 1, 0, &status, NULL);
		gnutls_datum_t why = {NULL, 0};
		if (r < 0) {
			smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0,
				       "cannot verify the certificate of %s: %s", c->host,
				       gnutls_strerror(r));
		} else if (status != 0) {
			gnutls_certificate_verification_status_print(status, GNUTLS_CRT_X509, &why,
								     0);
			size_t wl = why.data ? strlen((char *)why.data) : 0;
			while (wl > 0 && why.data[wl - 1] == ' ')
				why.data[--wl] = '\0';
			smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0,
				       "the TLS certificate of %s is not trusted: %s", c->host,
				       wl ? (char *)why.data : "verification failed");
			gnutls_free(why.data);
		} else {
			rc = 0;
		}
	}
	if (tl)
		gnutls_x509_trust_list_deinit(tl, 1);
	for (unsigned i = 0; i < n; i++)
		gnutls_x509_crt_deinit(crts[i]);
	if (rc == 0)
		c->tls = true;
	return rc;
}

int smtp_conn_open(struct smtp_conn *c, bool implicit_tls, struct smtp_outcome *out)
{
	mailstream *stream;
	int fd = tcp_connect(c, out);
	if (fd < 0)
		return -1;
	if (implicit_tls) {
		stream = mailstream_ssl_open_with_callback_timeout(fd, c->timeout, tls_setup, c);
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
	int r = mailsmtp_socket_starttls_with_callback(c->s, tls_setup, c);
	if (r == MAILSMTP_ERROR_SSL || (r != MAILSMTP_NO_ERROR && c->s->response_code == 220))
		return smtp_conn_fail(out, SMTP_TEMPFAIL, "tls", 0,
				      "TLS handshake with %s:%d failed", c->host, c->port);
	if (r != MAILSMTP_NO_ERROR)
		return smtp_conn_fail_reply(c, out, "tls");
	return tls_verify(c, c->s->stream, out);
}
