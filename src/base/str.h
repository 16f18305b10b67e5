/* Strings and slices: small helpers over NUL-terminated UTF-8 and byte ranges. */
#ifndef BASE_STR_H
#define BASE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct arena;

/* Bytes that may not be NUL-terminated or valid UTF-8; never owns them. */
struct slice {
	const char *ptr;
	size_t len;
};

#define SLICE_LIT(s) ((struct slice){(s), sizeof(s) - 1})
#define SLICE_STR(s) ((struct slice){(s), strlen(s)})

bool slice_eq(struct slice a, struct slice b);
bool slice_eq_ci(struct slice a, struct slice b);
/* A NUL-terminated copy allocated in a. */
char *slice_dup(struct arena *a, struct slice s);

/* ASCII case-insensitive comparison of NUL-terminated strings. */
bool str_eq_ci(const char *a, const char *b);
bool str_starts_with(const char *s, const char *prefix);
/* A copy of s with ASCII letters lowered, allocated in a. */
char *str_lower(struct arena *a, const char *s);
/* A copy of s without leading and trailing ASCII white space, allocated in a. */
char *str_trim(struct arena *a, const char *s);
/* True if s holds a CR or LF (never allowed in a header value). */
bool str_has_crlf(const char *s);
/* True if s holds an ASCII control character (C0 or DEL; tab included) or a C1
   control (U+0080-U+009F) or a line/paragraph separator (U+2028, U+2029). */
bool str_has_ctl(const char *s);
/* A copy of s (allocated in a) with each such control replaced by a space; NULL for NULL. */
char *str_no_ctl(struct arena *a, const char *s);
/* True if the n bytes at s are valid UTF-8 with no NUL. */
bool str_valid_utf8(const char *s, size_t n);
/* Parses a whole decimal integer (optional sign); 0 on success, -1 otherwise. */
int str_to_int64(const char *s, int64_t *v_r);
/* Parses a canonical id: decimal digits only, no sign, no leading zero, no space,
   1 to INT64_MAX ("007", "+7", " 7", "0x7", "1e3" are refused). 0 or -1. */
int str_to_id(const char *s, int64_t *id_r);

#endif
