/* The SMTP client: sends one message to a submission server (libetpan), with
   STARTTLS, certificate checks and AUTH. The outbox calls smtp_send() once per message. */
#ifndef MAIL_SMTP_SMTP_SEND_H
#define MAIL_SMTP_SMTP_SEND_H

#include <stdbool.h>
#include <stddef.h>

struct err;

#define SMTP_MAX_RECIPIENTS   500
#define SMTP_MAX_MESSAGE      (50 * 1024 * 1024)
#define SMTP_MAX_ADDRESS      254 /* octets in one envelope address (RFC 5321 path, RFC 3696) */
#define SMTP_MAX_HELO	      255
#define SMTP_MAX_SECRET	      8192 /* a password or an OAuth access token */
#define SMTP_DEFAULT_TIMEOUT  60
#define SMTP_DATA_END_TIMEOUT 600 /* at least this long for the reply to "." */

struct smtp_send_opts {
	/* smtp://host[:port] (STARTTLS, required unless the server is on loopback) or
	   smtps://host[:port] (TLS from the first byte). */
	const char *url;
	const char *user;	 /* NULL: no AUTH */
	const char *password;	 /* AUTH PLAIN, or LOGIN if the server offers only that */
	const char *oauth_token; /* if set, AUTH XOAUTH2 instead of the password */
	const char *ca_file;	 /* PEM file of trusted CAs; NULL: the system's trust store */
	const char *helo_name;	 /* NULL: the host name if it is a FQDN, else [address] */
	int timeout_s;		 /* per connect, read and write (the reply to "." gets at least
				    SMTP_DATA_END_TIMEOUT); <= 0: SMTP_DEFAULT_TIMEOUT */
	bool public_only;	 /* refuse non-public addresses (net_connect()) */
};

enum smtp_result {
	SMTP_SENT,
	SMTP_TEMPFAIL, /* 4xx, network, TLS: retry later */
	SMTP_PERMFAIL, /* 5xx: do not retry */
};

#define SMTP_REPLY_MAX 512

struct smtp_outcome {
	enum smtp_result result;
	int code;		    /* the server's last reply code; 0 if none (network, TLS) */
	char reply[SMTP_REPLY_MAX]; /* the server's last reply, shown to users; printable ASCII */
	char stage[16];		    /* connect, tls, ehlo, auth, mail, rcpt, data */
	size_t nrejected;	    /* recipients refused with 5xx when others were accepted */
};

/* Sends raw (len bytes: a full RFC 5322 message in CRLF lines, not dot-stuffed)
   from env_from ("" for the null sender <>) to rcpts[0..nrcpts).

   Returns 0 once a send was attempted: out->result says how it ended.
   SMTP_SENT with nrejected > 0 means some recipients were refused with 5xx while
   the others got the message: out->reply names each refused address and its reply.
   Any 4xx (or a lost connection) on a recipient abandons the whole transaction
   (TEMPFAIL), so a retry never sends twice to those that were accepted; a
   connection lost after the final "." is TEMPFAIL too and may mean the server
   got the message (RFC 5321 4.1.1.4: retrying may duplicate it).

   Returns -1 with err set, before connecting, when the arguments are refused:
   ERR_INVALID for a bad URL, a CR, LF or control character in an address or
   helo_name, an address longer than SMTP_MAX_ADDRESS, no recipients, an empty
   message, or an unreadable ca_file; ERR_TOOBIG over SMTP_MAX_RECIPIENTS or
   SMTP_MAX_MESSAGE. out is then zeroed.

   Synchronous; each call has its own session, so calls may run in several
   threads. SIGPIPE is blocked in the calling thread while it runs (the
   process-wide disposition is not touched). */
int smtp_send(const struct smtp_send_opts *o, const char *env_from, const char *const *rcpts,
	      size_t nrcpts, const char *raw, size_t len, struct smtp_outcome *out,
	      struct err *err);

/* Logs in and out again, sending nothing: connect, EHLO, TLS, AUTH with
   o->user (required) and its password or token, QUIT. Returns 0 once a
   connection was tried: out->result is SMTP_SENT when the login was accepted,
   else out says where it stopped (stage "auth" with the server's reply for
   refused credentials). -1 with err set, before connecting, for arguments
   refused as smtp_send() refuses them. Synchronous, as smtp_send(). */
int smtp_login_check(const struct smtp_send_opts *o, struct smtp_outcome *out, struct err *err);

enum smtp_tls_policy {
	SMTP_TLS_IMPLICIT, /* smtps://: the connection is TLS already */
	SMTP_TLS_STARTTLS, /* the server offers STARTTLS: use it */
	SMTP_TLS_PLAIN,	   /* no STARTTLS, but the server is on loopback: go on in clear */
	SMTP_TLS_REFUSE,   /* no STARTTLS and not loopback: TEMPFAIL, send nothing */
};

/* The TLS decision after EHLO: implicit_tls for smtps://, offered if EHLO
   listed STARTTLS, loopback if the connected peer address is 127.0.0.0/8 or ::1. */
enum smtp_tls_policy smtp_tls_decide(bool implicit_tls, bool offered, bool loopback);

#endif
