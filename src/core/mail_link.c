/* Rules for linking and threading mail; pure. */
#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/id.h"
#include "base/str.h"
#include "core/mail_link.h"
#include "base/banned.h"

/* Reply and forward prefixes in the languages our users write in. */
static const char *const prefixes[] = {
    "re",
    "fw",
    "fwd",
    "aw",
    "wg",
    "sv",
    "vs",
    "antw",
    "odp",
    "rif",
    "r",
    "tr",
    "enc",
    "\xd0\xbe\xd1\x82\xd0\xb2\xd0\xb5\xd1\x82",		/* ответ */
    "\xd0\xbf\xd0\xb5\xd1\x80\xd0\xb5\xd1\x81\xd0\xbb", /* пересл */
    NULL,
};

/* Skips one "prefix:" or "prefix[N]:" or "[tag]" at *p; true if it did. */
static bool skip_prefix(const char **p)
{
	const char *s = *p;
	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '[') {
		const char *e = strchr(s, ']');
		if (e && e - s < 40) {
			*p = e + 1;
			return true;
		}
		return false;
	}
	for (size_t i = 0; prefixes[i]; i++) {
		size_t n = strlen(prefixes[i]);
		if (strncasecmp(s, prefixes[i], n) != 0)
			continue;
		const char *q = s + n;
		if (*q == '[' || *q == '(') {
			while (*q && *q != ']' && *q != ')')
				q++;
			if (*q)
				q++;
		}
		while (*q == ' ')
			q++;
		if (*q == ':' || (q[0] == '\xef' && q[1] == '\xbc' && q[2] == '\x9a')) {
			*p = q + (*q == ':' ? 1 : 3);
			return true;
		}
	}
	return false;
}

char *mail_subject_key(struct arena *a, const char *subject)
{
	struct buf b;
	buf_init(&b, a, 4096);
	const char *p = subject ? subject : "";
	while (skip_prefix(&p))
		;
	bool space = false;
	for (; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isspace(c)) {
			space = b.len > 0;
			continue;
		}
		if (space)
			buf_putc(&b, ' ');
		space = false;
		buf_putc(&b, (char)(c < 0x80 ? tolower(c) : c));
	}
	return b.data;
}

char *mail_fold_plus(struct arena *a, const char *address)
{
	char *s = str_lower(a, address);
	char *at = strrchr(s, '@'), *plus = strchr(s, '+');
	if (at && plus && plus < at && plus > s)
		memmove(plus, at, strlen(at) + 1);
	return s;
}

static const char *const free_domains[] = {
    "gmail.com",   "googlemail.com", "outlook.com", "hotmail.com",    "live.com",
    "msn.com",	   "yahoo.com",	     "ymail.com",   "aol.com",	      "icloud.com",
    "me.com",	   "mac.com",	     "proton.me",   "protonmail.com", "gmx.de",
    "gmx.net",	   "web.de",	     "mail.ru",	    "yandex.ru",      "ya.ru",
    "rambler.ru",  "bk.ru",	     "list.ru",	    "inbox.ru",	      "qq.com",
    "163.com",	   "126.com",	     "zoho.com",    "fastmail.com",   "tutanota.com",
    "hey.com",	   "orange.fr",	     "free.fr",	    "laposte.net",    "libero.it",
    "yahoo.co.uk", "btinternet.com", "t-online.de", "seznam.cz",      "wp.pl",
    "o2.pl",	   "interia.pl",     NULL,
};

bool mail_free_domain(const char *domain)
{
	for (size_t i = 0; free_domains[i]; i++)
		if (strcasecmp(domain, free_domains[i]) == 0)
			return true;
	return false;
}

char *mail_message_id_new(struct arena *a, int64_t deal_id, const char *host)
{
	char rnd[33];
	id_random_hex(rnd, 16);
	if (deal_id > 0)
		return arena_printf(a, "parley.d%" PRId64 ".%s@%s", deal_id, rnd, host);
	return arena_printf(a, "parley.%s@%s", rnd, host);
}

int64_t mail_message_id_deal(const char *message_id)
{
	int64_t id = 0;
	if (!message_id || strncmp(message_id, "parley.d", 8) != 0)
		return 0;
	for (const char *p = message_id + 8; *p != '.'; p++) {
		if (!isdigit((unsigned char)*p) || id > INT64_MAX / 10)
			return 0;
		id = id * 10 + (*p - '0');
	}
	return id;
}

#define UNSUB_MAC_HEX 32 /* 128 bits of the HMAC are plenty for a link */

char *mail_unsubscribe_token(struct arena *a, const char *secret, int64_t contact_id)
{
	char msg[64], mac[65];
	snprintf(msg, sizeof(msg), "unsubscribe:%" PRId64, contact_id);
	id_hmac_hex(secret, msg, mac);
	return arena_printf(a, "%" PRId64 ".%.*s", contact_id, UNSUB_MAC_HEX, mac);
}

int64_t mail_unsubscribe_contact(const char *secret, const char *token)
{
	const char *dot = strchr(token, '.');
	char msg[64], mac[65], want[UNSUB_MAC_HEX + 1];
	int64_t id = 0;
	if (!dot || dot == token || dot - token > 18 || strlen(dot + 1) != UNSUB_MAC_HEX)
		return 0;
	for (const char *p = token; p < dot; p++) {
		if (!isdigit((unsigned char)*p))
			return 0;
		id = id * 10 + (*p - '0');
	}
	snprintf(msg, sizeof(msg), "unsubscribe:%" PRId64, id);
	id_hmac_hex(secret, msg, mac);
	snprintf(want, sizeof(want), "%.*s", UNSUB_MAC_HEX, mac);
	return id > 0 && id_secret_eq(want, dot + 1) ? id : 0;
}
