/* String and slice helpers. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/arena.h"
#include "base/str.h"
#include "base/banned.h"

bool slice_eq(struct slice a, struct slice b)
{
	return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

bool slice_eq_ci(struct slice a, struct slice b)
{
	return a.len == b.len && (a.len == 0 || strncasecmp(a.ptr, b.ptr, a.len) == 0);
}

char *slice_dup(struct arena *a, struct slice s)
{
	return arena_strndup(a, s.ptr, s.len);
}

bool str_eq_ci(const char *a, const char *b)
{
	return strcasecmp(a, b) == 0;
}

bool str_starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

char *str_lower(struct arena *a, const char *s)
{
	char *p = arena_strdup(a, s);
	for (char *q = p; *q; q++)
		if (*q >= 'A' && *q <= 'Z')
			*q = (char)(*q - 'A' + 'a');
	return p;
}

char *str_trim(struct arena *a, const char *s)
{
	while (*s && isspace((unsigned char)*s))
		s++;
	size_t n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	return arena_strndup(a, s, n);
}

bool str_has_crlf(const char *s)
{
	return strpbrk(s, "\r\n") != NULL;
}

bool str_valid_utf8(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *end = p + n;
	while (p < end) {
		unsigned c = *p++;
		int more;
		unsigned min;
		if (c == 0)
			return false;
		if (c < 0x80)
			continue;
		if ((c & 0xe0) == 0xc0) {
			more = 1, min = 0x80, c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			more = 2, min = 0x800, c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			more = 3, min = 0x10000, c &= 0x07;
		} else {
			return false;
		}
		if (end - p < more)
			return false;
		while (more--) {
			if ((*p & 0xc0) != 0x80)
				return false;
			c = (c << 6) | (*p++ & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return false;
	}
	return true;
}

int str_to_int64(const char *s, int64_t *v_r)
{
	char *end;
	if (!*s || isspace((unsigned char)*s))
		return -1;
	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || *end)
		return -1;
	*v_r = v;
	return 0;
}

int str_to_id(const char *s, int64_t *id_r)
{
	int64_t v = 0;
	if (!s || *s < '1' || *s > '9')
		return -1;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > (INT64_MAX - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	*id_r = v;
	return 0;
}

/* Length of the control character at p (see str_has_ctl), or 0. */
static size_t ctl_len(const unsigned char *p)
{
	if (*p < 0x20 || *p == 0x7F)
		return 1;
	if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F)
		return 2;
	if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9))
		return 3;
	return 0;
}

bool str_has_ctl(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (ctl_len(p))
			return true;
	return false;
}

char *str_no_ctl(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	char *out = arena_strdup(a, s), *w = out;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		size_t n = ctl_len(p);
		if (n) {
			*w++ = ' ';
			p += n;
		} else {
			*w++ = (char)*p++;
		}
	}
	*w = '\0';
	return out;
}
