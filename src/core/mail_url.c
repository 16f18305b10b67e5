/* Parsing mail server URLs. */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "core/mail_url.h"
#include "base/banned.h"

static const struct {
	const char *scheme;
	enum mail_proto proto;
	bool tls;
	int port;
} schemes[] = {
    {"imap", MAIL_IMAP, false, 143},
    {"imaps", MAIL_IMAP, true, 993},
    {"smtp", MAIL_SMTP, false, 587},
    {"smtps", MAIL_SMTP, true, 465},
};

int mail_url_parse(const char *url, enum mail_proto proto, const char *field, struct arena *a,
		   struct mail_url *u, struct err *err)
{
	const char *sep = url ? strstr(url, "://") : NULL;
	size_t i, n = sizeof(schemes) / sizeof(schemes[0]);
	for (i = 0; sep && i < n; i++)
		if (strlen(schemes[i].scheme) == (size_t)(sep - url) &&
		    strncasecmp(url, schemes[i].scheme, (size_t)(sep - url)) == 0)
			break;
	if (!sep || i == n || schemes[i].proto != proto)
		return err_set_field(err, ERR_INVALID, field, "'%s' must be a URL such as %s",
				     field,
				     proto == MAIL_IMAP ? "imaps://imap.example.com:993"
							: "smtp://smtp.example.com:587");
	const char *h = sep + 3, *end = h + strcspn(h, "/?#");
	const char *colon = NULL;
	if (*h == '[') {
		const char *rb = memchr(h, ']', (size_t)(end - h));
		if (!rb)
			return err_set_field(err, ERR_INVALID, field, "'%s' has a bad IPv6 host",
					     field);
		u->host = arena_strndup(a, h + 1, (size_t)(rb - h - 1));
		colon = rb + 1 < end && rb[1] == ':' ? rb + 1 : NULL;
	} else {
		colon = memchr(h, ':', (size_t)(end - h));
		u->host = arena_strndup(a, h, (size_t)((colon ? colon : end) - h));
	}
	u->proto = proto;
	u->implicit_tls = schemes[i].tls;
	u->port = schemes[i].port;
	if (!*u->host || strpbrk(u->host, " @\r\n\t"))
		return err_set_field(err, ERR_INVALID, field, "'%s' has no valid host", field);
	if (colon) {
		int64_t port;
		char *p = arena_strndup(a, colon + 1, (size_t)(end - colon - 1));
		if (str_to_int64(p, &port) < 0 || port < 1 || port > 65535)
			return err_set_field(err, ERR_INVALID, field, "'%s' has a bad port", field);
		u->port = (int)port;
	}
	if (*end && strcmp(end, "/") != 0)
		return err_set_field(err, ERR_INVALID, field, "'%s' must not have a path", field);
	return 0;
}

bool mail_url_is_loopback(const struct mail_url *u)
{
	struct in_addr in4;
	/* A literal address only: "127.attacker.example" is a name, not loopback. */
	if (inet_pton(AF_INET, u->host, &in4) == 1)
		return (ntohl(in4.s_addr) >> 24) == 127;
	return strcmp(u->host, "localhost") == 0 || strcmp(u->host, "::1") == 0;
}
