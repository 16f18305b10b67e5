/* Telephone numbers in E.164 form: "+" and 8 to 15 digits. */
#ifndef CORE_PHONE_H
#define CORE_PHONE_H

struct arena;
struct err;

#define PHONE_MIN_DIGITS 7
#define PHONE_MAX_DIGITS 15

/* Normalises a number as people write it ("+1 (415) 555-0100", "0044 20 ...",
   "020 7946 0000" with default_cc "44") to E.164, allocated in a. default_cc
   (digits, may be NULL) applies to numbers without an international prefix,
   dropping one trunk '0'. Returns 0 and *out_r, or -1 with err saying why. */
int phone_normalize(const char *in, const char *default_cc, struct arena *a, char **out_r,
		    struct err *err);

#endif
