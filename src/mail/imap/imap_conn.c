/* Opening IMAP sessions: TCP, TLS (implicit or STARTTLS, the certificate
 * checked by mail/net.c before any credential is sent), LOGIN or XOAUTH2, and
 * the capability list. Plain text only to a loopback peer. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libetpan/libetpan.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/mem.h"
#include "core/mail_url.h"
#include "mail/imap/imap_int.h"
#include "mail/net.h"
#include "base/banned.h"

int imap_fail(struct imap_conn *c, struct err *err, int r, const char *what)
{
	const char *resp = c && c->s && c->s->imap_response ? c->s->imap_response : NULL;
	if (c && (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE ||
		  r == MAILIMAP_ERROR_FATAL || r == MAILIMAP_ERROR_SSL))
		c->logout = false;
	if (r == MAILIMAP_ERROR_LOGIN || r == MAILIMAP_ERROR_SASL)
		return err_set(err, ERR_AUTH, "%s: %s", what, resp ? resp : "login refused");
	if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_CONNECTION_REFUSED ||
	    r == MAILIMAP_ERROR_SSL || r == MAILIMAP_ERROR_PARSE || r == MAILIMAP_ERROR_FATAL)
		return err_set(err, ERR_TEMP, "%s: connection lost or unreadable reply", what);
	return err_set(err, ERR_TEMP, "%s failed: %s", what, resp ? resp : "server error");
}

static int secure(struct imap_conn *c, const struct mail_url *u, const char *ca_file, bool loopback,
		  struct err *err)
{
	char why[300];
	if (u->implicit_tls)
		return 0; /* verified at connect */
	if (!imap_conn_has(c, "STARTTLS")) {
		if (loopback)
			return 0;
		return err_set(err, ERR_TEMP, "%s offers no STARTTLS: refusing to log in in clear",
			       u->host);
	}
	int r = mailimap_socket_starttls_with_callback(c->s, net_tls_sni, u->host);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "STARTTLS");
	if (net_tls_verify(c->s->imap_stream, u->host, ca_file, why, sizeof(why)) < 0)
		return err_set(err, ERR_TEMP, "%s", why);
	/* Capabilities may change after TLS (RFC 3501 6.2.1). */
	return imap_refresh_caps(c, err);
}

int imap_refresh_caps(struct imap_conn *c, struct err *err)
{
	struct mailimap_capability_data *caps = NULL;
	int r = mailimap_capability(c->s, &caps);
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, r, "CAPABILITY");
	mailimap_capability_data_free(caps);
	return 0;
}

static int login(struct imap_conn *c, const struct imap_conn_opts *o, struct err *err)
{
	int r = o->oauth_token ? mailimap_oauth2_authenticate(c->s, o->user, o->oauth_token)
			       : mailimap_login(c->s, o->user, o->password ? o->password : "");
	/* A NO to LOGIN or AUTHENTICATE is refused credentials, whatever code
	   libetpan maps it to; a lost connection is not. */
	if (r == MAILIMAP_ERROR_STREAM || r == MAILIMAP_ERROR_PARSE || r == MAILIMAP_ERROR_FATAL)
		return imap_fail(c, err, r, "login");
	if (r != MAILIMAP_NO_ERROR)
		return imap_fail(c, err, MAILIMAP_ERROR_LOGIN, "login");
	return imap_refresh_caps(c, err);
}

static int connect_stream(struct imap_conn *c, const struct mail_url *u,
			  const struct imap_conn_opts *o, int timeout, bool *loopback,
			  struct err *err)
{
	char why[300];
	mailstream *stream;
	const char *ca_file = o->ca_file;
	int fd = net_connect(u->host, u->port, timeout, o->public_only, loopback, why, sizeof(why));
	if (fd < 0)
		return err_set(err, ERR_TEMP, "%s", why);
	if (u->implicit_tls) {
		stream =
		    mailstream_ssl_open_with_callback_timeout(fd, timeout, net_tls_sni, u->host);
		if (!stream) {
			close(fd);
			return err_set(err, ERR_TEMP, "TLS handshake with %s:%d failed", u->host,
				       u->port);
		}
		if (net_tls_verify(stream, u->host, ca_file, why, sizeof(why)) < 0) {
			mailstream_close(stream);
			return err_set(err, ERR_TEMP, "%s", why);
		}
	} else {
		stream = mailstream_socket_open_timeout(fd, timeout);
		if (!stream) {
			close(fd);
			return err_set(err, ERR_TEMP, "out of memory");
		}
	}
	int r = mailimap_connect(c->s, stream);
	if (r != MAILIMAP_NO_ERROR && r != MAILIMAP_NO_ERROR_AUTHENTICATED &&
	    r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
		return imap_fail(c, err, r, "connect");
	return imap_refresh_caps(c, err);
}

int imap_conn_open(const struct imap_conn_opts *o, struct imap_conn **c_r, struct err *err)
{
	struct arena *a = arena_new();
	struct mail_url u;
	bool loopback = false;
	int timeout = o->timeout_s > 0 ? o->timeout_s : IMAP_DEFAULT_TIMEOUT;
	if (mail_url_parse(o->url, MAIL_IMAP, "imap", a, &u, err) < 0) {
		arena_free(&a);
		return -1;
	}
	struct imap_conn *c = xcalloc(1, sizeof(*c));
	c->s = mailimap_new(0, NULL);
	mailimap_set_timeout(c->s, timeout);
	c->timeout = timeout;
	if (connect_stream(c, &u, o, timeout, &loopback, err) < 0 ||
	    secure(c, &u, o->ca_file, loopback, err) < 0 || login(c, o, err) < 0) {
		arena_free(&a);
		imap_conn_close(&c);
		return -1;
	}
	arena_free(&a);
	c->logout = true;
	*c_r = c;
	return 0;
}

void imap_conn_close(struct imap_conn **cp)
{
	struct imap_conn *c = *cp;
	if (!c)
		return;
	if (c->s->imap_stream && c->logout)
		mailimap_logout(c->s);
	mailimap_free(c->s);
	free(c);
	*cp = NULL;
}

bool imap_conn_has(struct imap_conn *c, const char *cap)
{
	return mailimap_has_extension(c->s, (char *)cap) != 0;
}
