/* Secrets at rest: libsodium secretbox (XSalsa20-Poly1305) under the data
   directory's key. Sealed text is "v1:" + base64(nonce || ciphertext). */
#ifndef BASE_SECRET_H
#define BASE_SECRET_H

#include <stddef.h>

struct arena;
struct err;

#define SECRET_KEY_BYTES 32
#define SECRET_MAX_PLAIN (64 * 1024)

struct secret_key {
	unsigned char k[SECRET_KEY_BYTES];
};

/* Reads the key file (64 hex digits, as app_data_init() writes it).
   ERR_TEMP if unreadable, ERR_INVALID if malformed; refuses a file readable
   by group or others (ERR_FORBIDDEN). */
int secret_key_load(const char *path, struct secret_key *key, struct err *err);

/* Seals plain (n bytes), allocated in a. */
char *secret_seal(const struct secret_key *key, const void *plain, size_t n, struct arena *a);

/* Opens sealed; *plain_r (NUL-terminated, allocated in a) and *n_r.
   ERR_INVALID if it was not sealed under this key or was tampered with. */
int secret_open(const struct secret_key *key, const char *sealed, struct arena *a, char **plain_r,
		size_t *n_r, struct err *err);

#endif
