/* Mail server URLs: imap://, imaps://, smtp://, smtps:// with host and port. */
#ifndef CORE_MAIL_URL_H
#define CORE_MAIL_URL_H

#include <stdbool.h>

struct arena;
struct err;

enum mail_proto { MAIL_IMAP, MAIL_SMTP };

struct mail_url {
	enum mail_proto proto;
	bool implicit_tls; /* imaps://, smtps:// */
	char *host;	   /* allocated in the arena */
	int port;	   /* the scheme's default when not given */
};

/* Parses url, which must be of protocol proto. Returns 0 and *u, or -1 with
   ERR_INVALID naming field. */
int mail_url_parse(const char *url, enum mail_proto proto, const char *field, struct arena *a,
		   struct mail_url *u, struct err *err);

/* True for 127.0.0.0/8, ::1 and localhost: the only hosts where a plain
   (non-TLS) connection is allowed when the server offers no STARTTLS. */
bool mail_url_is_loopback(const struct mail_url *u);

#endif
