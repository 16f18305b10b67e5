/* Sealing stored credentials with the data directory's key. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/secret.h"
#include "base/banned.h"

#define SEAL_PREFIX "v1:"

int secret_key_load(const char *path, struct secret_key *key, struct err *err)
{
	char hex[SECRET_KEY_BYTES * 2 + 8];
	struct stat sb;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return err_set(err, ERR_TEMP, "cannot read key file '%s': %s", path,
			       strerror(errno));
	if (fstat(fd, &sb) == 0 && (sb.st_mode & 077)) {
		close(fd);
		return err_set(err, ERR_FORBIDDEN,
			       "key file '%s' is readable by others: chmod 600 it", path);
	}
	ssize_t n = read(fd, hex, sizeof(hex) - 1);
	close(fd);
	if (n < SECRET_KEY_BYTES * 2)
		return err_set(err, ERR_INVALID, "key file '%s' is too short", path);
	size_t bin_len = 0;
	if (sodium_hex2bin(key->k, sizeof(key->k), hex, (size_t)n, "\r\n", &bin_len, NULL) != 0 ||
	    bin_len != SECRET_KEY_BYTES)
		return err_set(err, ERR_INVALID, "key file '%s' is not 64 hex digits", path);
	return 0;
}

char *secret_seal(const struct secret_key *key, const void *plain, size_t n, struct arena *a)
{
	size_t raw_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + n;
	unsigned char *raw = arena_alloc(a, raw_len);
	randombytes_buf(raw, crypto_secretbox_NONCEBYTES);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, plain, n, raw, key->k);
	size_t b64_len = sodium_base64_ENCODED_LEN(raw_len, sodium_base64_VARIANT_ORIGINAL);
	char *out = arena_alloc(a, sizeof(SEAL_PREFIX) + b64_len);
	memcpy(out, SEAL_PREFIX, sizeof(SEAL_PREFIX) - 1);
	sodium_bin2base64(out + sizeof(SEAL_PREFIX) - 1, b64_len, raw, raw_len,
			  sodium_base64_VARIANT_ORIGINAL);
	return out;
}

int secret_open(const struct secret_key *key, const char *sealed, struct arena *a, char **plain_r,
		size_t *n_r, struct err *err)
{
	size_t len = strlen(sealed), raw_len = 0;
	if (strncmp(sealed, SEAL_PREFIX, sizeof(SEAL_PREFIX) - 1) != 0 ||
	    len > SECRET_MAX_PLAIN * 2)
		return err_set(err, ERR_INVALID, "not a sealed secret");
	unsigned char *raw = arena_alloc(a, len);
	if (sodium_base642bin(raw, len, sealed + 3, len - 3, NULL, &raw_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL) != 0 ||
	    raw_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES)
		return err_set(err, ERR_INVALID, "not a sealed secret");
	size_t n = raw_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	char *plain = arena_alloc(a, n + 1);
	if (crypto_secretbox_open_easy((unsigned char *)plain, raw + crypto_secretbox_NONCEBYTES,
				       raw_len - crypto_secretbox_NONCEBYTES, raw, key->k) != 0)
		return err_set(err, ERR_INVALID,
			       "a stored secret cannot be opened with this data directory's key");
	*plain_r = plain;
	if (n_r)
		*n_r = n;
	return 0;
}
