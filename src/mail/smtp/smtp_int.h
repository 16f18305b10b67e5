/* Inside the SMTP client: one connection (smtp_conn.c) shared with the
   transaction logic (smtp_send.c). Only src/mail/smtp/ includes this. */
#ifndef MAIL_SMTP_SMTP_INT_H
#define MAIL_SMTP_SMTP_INT_H

#include <stdbool.h>

#include <libetpan/libetpan.h>

#include "mail/smtp/smtp_send.h"

/* One SMTP connection for one smtp_send() call; lives on its stack. */
struct smtp_conn {
	mailsmtp *s; /* owned; freed (QUIT sent) by smtp_conn_close() */
	char *host;  /* borrowed from the parsed URL */
	int port;
	int timeout;	     /* seconds, for connect, each read and each write */
	const char *ca_file; /* borrowed; NULL: the system trust store */
	bool loopback;	     /* the connected peer address is 127.0.0.0/8 or ::1 */
	bool tls;	     /* the stream is TLS and the certificate was verified */
	bool public_only;    /* refuse non-public addresses (net_connect()) */
};

/* Connects to c->host:c->port (TLS from the first byte if implicit_tls, with
   the certificate verified) and reads the greeting. Returns 0, or -1 with out
   filled in (stage "connect" or "tls"). c->s must be a fresh mailsmtp. */
int smtp_conn_open(struct smtp_conn *c, bool implicit_tls, struct smtp_outcome *out);

/* STARTTLS, the handshake and the certificate check. The caller must send EHLO
   again afterwards. Returns 0, or -1 with out filled in (stage "tls"). */
int smtp_conn_starttls(struct smtp_conn *c, struct smtp_outcome *out);

/* Sends line (a whole command ending in CRLF) and reads the reply. secret keeps
   it out of libetpan's protocol log. Returns the reply code, 0 if there was no
   reply (connection lost, timeout). The text is in c->s->response. */
int smtp_conn_cmd(struct smtp_conn *c, char *line, bool secret);

/* Forgets the last reply, so that a libetpan call that fails before reading
   one leaves code 0 ("no reply") instead of the previous command's code. */
void smtp_conn_clear_reply(struct smtp_conn *c);

/* Sends QUIT (without waiting for its reply), closes and frees the session. */
void smtp_conn_close(struct smtp_conn *c);

/* Fills out with result, stage and code and a message from fmt; returns -1. */
int smtp_conn_fail(struct smtp_outcome *out, enum smtp_result result, const char *stage, int code,
		   const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Fills out from the server's last reply (c->s->response_code and response):
   5xx PERMFAIL, anything else TEMPFAIL; no reply at all becomes "connection to
   HOST lost or timed out". Returns -1. */
int smtp_conn_fail_reply(const struct smtp_conn *c, struct smtp_outcome *out, const char *stage);

/* Writes "CODE text" into dst (cap bytes) from a libetpan reply: lines joined
   with spaces, anything but printable ASCII replaced, cut to fit. */
void smtp_conn_format_reply(char *dst, size_t cap, int code, const char *text);

#endif
