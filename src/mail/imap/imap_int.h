/* Private to mail/imap/. */
#ifndef MAIL_IMAP_IMAP_INT_H
#define MAIL_IMAP_IMAP_INT_H

#include <libetpan/libetpan.h>

#include "mail/imap/imap_conn.h"

struct err;

struct imap_conn {
	mailimap *s; /* owned */
	int timeout;
	/* Say LOGOUT on close: only after a login and no lost connection, so a
	   silent server does not hold the caller for another timeout. */
	bool logout;
};

/* Maps a libetpan result to err (ERR_AUTH for refused logins, else ERR_TEMP,
   with the server's text); returns -1. */
int imap_fail(struct imap_conn *c, struct err *err, int r, const char *what);
/* Asks for the capabilities again (after TLS or login). */
int imap_refresh_caps(struct imap_conn *c, struct err *err);

#endif
