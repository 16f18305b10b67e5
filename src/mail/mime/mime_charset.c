/* Text to UTF-8: charset guessing for undeclared 8-bit data and conversion
   through GMime's iconv cache, with U+FFFD for whatever does not convert. */
#include <errno.h>
#include <stdint.h>
#include <string.h>

#include <gmime/gmime.h>
#include <sodium.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/str.h"
#include "mail/mime/mime_int.h"
#include "base/banned.h"

#define REPLACEMENT "\xEF\xBF\xBD" /* U+FFFD */

/* Length (1 to 4) of the valid UTF-8 sequence at p, or 0 if it is invalid. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
	unsigned char c = p[0];
	size_t len;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2, cp = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, cp = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, cp = c & 0x07, min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xC0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3F);
	}
	if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
		return 0;
	return len;
}

/* Counts valid multi-byte sequences and invalid bytes in n bytes. */
static void utf8_scan(const char *p, size_t n, size_t *multi_r, size_t *invalid_r)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t multi = 0, invalid = 0;
	for (size_t i = 0; i < n;) {
		size_t len = utf8_seq(u + i, n - i);
		if (len == 0) {
			invalid++;
			i++;
			continue;
		}
		multi += len > 1;
		i += len;
	}
	*multi_r = multi;
	*invalid_r = invalid;
}

/* Copies n bytes to b, replacing invalid UTF-8 with U+FFFD; returns how many were replaced. */
static size_t utf8_append_clean(struct buf *b, const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t bad = 0, start = 0, i = 0;
	while (i < n) {
		size_t len = utf8_seq(u + i, n - i);
		if (len) {
			i += len;
			continue;
		}
		buf_append(b, p + start, i - start);
		buf_puts(b, REPLACEMENT);
		bad++;
		start = ++i;
	}
	buf_append(b, p + start, n - start);
	return bad;
}

char *mime_utf8_clean(struct arena *a, const char *s)
{
	if (!s)
		return NULL;
	size_t n = strlen(s);
	if (str_valid_utf8(s, n))
		return arena_strndup(a, s, n);
	struct buf b;
	buf_init(&b, a, SIZE_MAX / 2);
	utf8_append_clean(&b, s, n);
	return buf_take(&b, NULL);
}

/*
 * Cyrillic text in a single-byte charset is mostly runs of 8-bit bytes (whole
 * words), while Western European text has a lone 8-bit byte here and there.
 * windows-1251 puts the lower-case letters at 0xE0-0xFF, koi8-r at 0xC0-0xDF,
 * and running text is mostly lower case.
 */
const char *mime_charset_guess(const char *p, size_t n)
{
	const unsigned char *u = (const unsigned char *)p;
	size_t multi, invalid, high = 0, in_runs = 0, run = 0, c0 = 0, e0 = 0;

	utf8_scan(p, n, &multi, &invalid);
	if (invalid == 0)
		return "utf-8";
	for (size_t i = 0; i <= n; i++) {
		if (i < n && u[i] >= 0x80) {
			high++;
			run++;
			c0 += u[i] >= 0xC0 && u[i] < 0xE0;
			e0 += u[i] >= 0xE0;
			continue;
		}
		if (run >= 3)
			in_runs += run;
		run = 0;
	}
	if (high > 0 && in_runs * 2 >= high && (c0 + e0) * 10 >= high * 7)
		return e0 >= c0 ? "windows-1251" : "koi8-r";
	return "windows-1252";
}

static bool charset_is(const char *cs, const char *const *names)
{
	for (; *names; names++)
		if (str_eq_ci(cs, *names))
			return true;
	return false;
}

static const char *const utf8_names[] = {"utf-8", "utf8", NULL};
static const char *const ascii_names[] = {"us-ascii", "ascii", "ansi_x3.4-1968", NULL};
static const char *const latin1_names[] = {"iso-8859-1", "iso8859-1", "latin1", "iso_8859-1", NULL};

/* True if p holds bytes 0x80-0x9F: C1 controls in ISO-8859-1, which in real
   mail are always windows-1252 punctuation (as the WHATWG encoding spec says). */
static bool has_c1(const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)p[i] >= 0x80 && (unsigned char)p[i] <= 0x9F)
			return true;
	return false;
}

/* Converts through iconv; returns the number of bytes that did not convert. */
static size_t iconv_append(struct buf *b, iconv_t cd, const char *p, size_t n)
{
	char out[4096];
	char *in = (char *)p;
	size_t inleft = n, bad = 0;

	while (inleft > 0) {
		char *o = out;
		size_t oleft = sizeof(out);
		size_t r = iconv(cd, &in, &inleft, &o, &oleft);
		buf_append(b, out, (size_t)(o - out));
		if (r != (size_t)-1 || errno == E2BIG)
			continue;
		/* EILSEQ, EINVAL (cut short at the end) or anything else: skip a byte */
		buf_puts(b, REPLACEMENT);
		in++;
		inleft--;
		bad++;
	}
	char *o = out;
	size_t oleft = sizeof(out);
	iconv(cd, NULL, NULL, &o, &oleft);
	buf_append(b, out, (size_t)(o - out));
	return bad;
}

/* CRLF becomes LF and NUL bytes go, in place. Returns the number of NULs dropped. */
static size_t normalise_lines(char *s, size_t *len)
{
	size_t j = 0, nul = 0;
	for (size_t i = 0; i < *len; i++) {
		if (s[i] == '\0') {
			nul++;
			continue;
		}
		if (s[i] == '\r' && i + 1 < *len && s[i + 1] == '\n')
			continue;
		s[j++] = s[i];
	}
	s[j] = '\0';
	*len = j;
	return nul;
}

/* Decides which charset to decode with; *note_r explains a change. */
static const char *pick_charset(struct arena *a, const char *declared, const char *p, size_t n,
				char **note_r)
{
	size_t multi, invalid;

	*note_r = NULL;
	if (!declared || !*declared || charset_is(declared, ascii_names)) {
		const char *g = mime_charset_guess(p, n);
		/* undeclared UTF-8 is common and harmless; anything else is a guess */
		if (!str_eq_ci(g, "utf-8"))
			*note_r =
			    arena_printf(a, "8-bit text %s%s%s decoded as '%s'",
					 declared && *declared ? "declared '" : "without charset",
					 declared && *declared ? declared : "",
					 declared && *declared ? "'" : "", g);
		return g;
	}
	if (charset_is(declared, utf8_names)) {
		utf8_scan(p, n, &multi, &invalid);
		if (invalid > 0 && multi == 0) {
			const char *g = mime_charset_guess(p, n);
			*note_r =
			    arena_printf(a, "text declared 'utf-8' is not, decoded as '%s'", g);
			return g;
		}
		return "utf-8";
	}
	if (charset_is(declared, latin1_names) && has_c1(p, n))
		return "windows-1252";
	return declared;
}

char *mime_charset_to_utf8(struct arena *a, const char *charset, const char *p, size_t n,
			   char **problem_r)
{
	struct buf b;
	char *note;
	size_t bad;
	const char *cs = pick_charset(a, charset, p, n, &note);

	mime_init();
	buf_init(&b, a, SIZE_MAX / 2);
	if (str_eq_ci(cs, "utf-8")) {
		bad = utf8_append_clean(&b, p, n);
	} else {
		iconv_t cd = g_mime_iconv_open("UTF-8", cs);
		if (cd == (iconv_t)-1) {
			const char *g = mime_charset_guess(p, n);
			note = arena_printf(a, "unknown charset '%s', decoded as '%s'", cs, g);
			cd = g_mime_iconv_open("UTF-8", g);
		}
		if (cd == (iconv_t)-1) {
			bad = utf8_append_clean(&b, p, n);
		} else {
			bad = iconv_append(&b, cd, p, n);
			g_mime_iconv_close(cd);
		}
	}
	size_t len;
	char *s = buf_take(&b, &len);
	size_t multi, invalid;
	utf8_scan(s, len, &multi, &invalid);
	if (invalid) { /* glibc passes some invalid UTF-8 through (> U+10FFFF) */
		buf_init(&b, a, SIZE_MAX / 2);
		bad += utf8_append_clean(&b, s, len);
		s = buf_take(&b, &len);
	}
	size_t nul = normalise_lines(s, &len);
	if (bad)
		note = arena_printf(a, "%s%s%zu bytes invalid in charset '%s' replaced",
				    note ? note : "", note ? "; " : "", bad, cs);
	if (nul)
		note = arena_printf(a, "%s%s%zu NUL bytes dropped", note ? note : "",
				    note ? "; " : "", nul);
	*problem_r = mime_utf8_clean(a, note); /* charset names are raw bytes */
	return s;
}

char *mime_charset_from_html(struct arena *a, const char *p, size_t n)
{
	static const char key[] = "charset";
	size_t lim = n < 4096 ? n : 4096;
	for (size_t i = 0; i + sizeof(key) - 1 < lim; i++) {
		if (!slice_eq_ci((struct slice){p + i, sizeof(key) - 1}, SLICE_LIT("charset")))
			continue;
		size_t j = i + sizeof(key) - 1;
		while (j < lim && (p[j] == ' ' || p[j] == '\t'))
			j++;
		if (j >= lim || p[j] != '=')
			continue;
		j++;
		while (j < lim && (p[j] == ' ' || p[j] == '"' || p[j] == '\''))
			j++;
		size_t k = j;
		while (k < lim && k - j < 40 &&
		       ((p[k] >= 'a' && p[k] <= 'z') || (p[k] >= 'A' && p[k] <= 'Z') ||
			(p[k] >= '0' && p[k] <= '9') || (p[k] && strchr("-_.:", p[k]))))
			k++;
		if (k > j)
			return arena_strndup(a, p + j, k - j);
	}
	return NULL;
}

/* A "B" encoded word at p: sets the charset and payload and returns the end,
   or NULL if p does not start one. */
static const char *b_word(const char *p, struct slice *cs_r, struct slice *data_r)
{
	if (p[0] != '=' || p[1] != '?')
		return NULL;
	const char *cs = p + 2, *q = cs;
	while (*q && *q != '?' && *q != ' ' && *q != '\t' && *q != '\r' && *q != '\n')
		q++;
	if (q == cs || q[0] != '?' || (q[1] != 'B' && q[1] != 'b') || q[2] != '?')
		return NULL;
	const char *data = q + 3, *e = data;
	while (*e && *e != '?' && *e != ' ' && *e != '\t' && *e != '\r' && *e != '\n')
		e++;
	if (e[0] != '?' || e[1] != '=')
		return NULL;
	*cs_r = (struct slice){cs, (size_t)(q - cs)};
	*data_r = (struct slice){data, (size_t)(e - data)};
	return e + 2;
}

/* Decodes one word's base64 (lenient: skips strays, stops at '=') into b. */
static void b64_append(struct buf *b, struct slice s)
{
	static const char alphabet[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	uint32_t acc = 0;
	int bits = 0;
	for (size_t i = 0; i < s.len && s.ptr[i] != '='; i++) {
		const char *pos = s.ptr[i] ? strchr(alphabet, s.ptr[i]) : NULL;
		if (!pos)
			continue;
		acc = (acc << 6) | (uint32_t)(pos - alphabet);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			buf_putc(b, (char)((acc >> bits) & 0xFF));
		}
	}
}

char *mime_rfc2047_merge(struct arena *a, const char *s)
{
	struct buf out, bytes;
	struct slice cs, data, cs2;
	bool changed = false;

	if (!s || !strstr(s, "?="))
		return NULL;
	buf_init(&out, a, SIZE_MAX / 2);
	buf_init(&bytes, a, SIZE_MAX / 2);
	for (const char *p = s; *p;) {
		const char *end = b_word(p, &cs, &data), *next;
		if (!end) {
			buf_putc(&out, *p++);
			continue;
		}
		buf_clear(&bytes);
		b64_append(&bytes, data);
		int nwords = 1;
		for (;;) {
			const char *q = end;
			while (*q == ' ' || *q == '\t' || *q == '\r' || *q == '\n')
				q++;
			if (!(next = b_word(q, &cs2, &data)) || !slice_eq_ci(cs, cs2))
				break;
			b64_append(&bytes, data);
			end = next;
			nwords++;
		}
		if (nwords == 1) {
			buf_append(&out, p, (size_t)(end - p));
		} else {
			size_t n =
			    sodium_base64_encoded_len(bytes.len, sodium_base64_VARIANT_ORIGINAL);
			char *enc = arena_alloc(a, n);
			sodium_bin2base64(enc, n, (const unsigned char *)bytes.data, bytes.len,
					  sodium_base64_VARIANT_ORIGINAL);
			buf_puts(&out, "=?");
			buf_append(&out, cs.ptr, cs.len);
			buf_puts(&out, "?B?");
			buf_puts(&out, enc);
			buf_puts(&out, "?=");
			changed = true;
		}
		p = end;
	}
	return changed ? buf_take(&out, NULL) : NULL;
}
