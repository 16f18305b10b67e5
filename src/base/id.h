/* Random tokens and secret comparison (libsodium). */
#ifndef BASE_ID_H
#define BASE_ID_H

#include <stdbool.h>
#include <stddef.h>

#define ID_TOKEN_BYTES 32
#define ID_TOKEN_MAX   (ID_TOKEN_BYTES * 2 + 1)

/* Must be called once before any other id_ function; 0 or -1. */
int id_init(void);

/* Writes nbytes of randomness as lower-case hex (2*nbytes+1 bytes with NUL) into out. */
void id_random_hex(char *out, size_t nbytes);

/* Writes the SHA-256 of s as hex into out (65 bytes): tokens are stored hashed. */
void id_sha256_hex(const char *s, char out[65]);

/* HMAC-SHA256 of msg under key (a string), as hex (65 bytes with NUL). */
void id_hmac_hex(const char *key, const char *msg, char out[65]);

/* Constant-time comparison of two NUL-terminated strings. */
bool id_secret_eq(const char *a, const char *b);

#endif
