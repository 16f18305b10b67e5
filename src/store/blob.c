/* Content-addressed blob files: DIR/ab/abcdef... (two-level fan-out). */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/fdio.h"
#include "base/id.h"
#include "store/blob.h"
#include "base/banned.h"

char *blob_path(const char *dir, const char *sha_hex, struct arena *a)
{
	if (strlen(sha_hex) != 64 || strspn(sha_hex, "0123456789abcdef") != 64)
		return NULL;
	return arena_printf(a, "%s/%.2s/%s", dir, sha_hex, sha_hex);
}

int blob_put(const char *dir, const void *data, size_t n, char sha_hex[65], struct err *err)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	char sub[4096], path[4200], tmp[4300], rnd[17];
	if (n > BLOB_MAX_SIZE)
		return err_set(err, ERR_TOOBIG, "a blob of %zu bytes is over the limit of %d", n,
			       BLOB_MAX_SIZE);
	crypto_hash_sha256(h, data, n);
	sodium_bin2hex(sha_hex, 65, h, sizeof(h));
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, sha_hex);
	snprintf(path, sizeof(path), "%s/%s", sub, sha_hex);
	if (access(path, F_OK) == 0)
		return 0;
	if (mkdir(sub, 0700) < 0 && errno != EEXIST)
		return err_set(err, ERR_TEMP, "cannot create '%s': %s", sub, strerror(errno));
	id_random_hex(rnd, 8);
	snprintf(tmp, sizeof(tmp), "%s.tmp-%s", path, rnd);
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return err_set(err, ERR_TEMP, "cannot create '%s': %s", tmp, strerror(errno));
	if (fd_write_all(fd, data, n) < 0 || fsync(fd) < 0) {
		int e = errno;
		close(fd);
		unlink(tmp);
		return err_set(err, ERR_TEMP, "cannot write '%s': %s", tmp, strerror(e));
	}
	close(fd);
	if (rename(tmp, path) < 0) {
		int e = errno;
		unlink(tmp);
		return err_set(err, ERR_TEMP, "cannot rename '%s': %s", tmp, strerror(e));
	}
	return 0;
}

int blob_get(const char *dir, const char *sha_hex, struct arena *a, char **data_r, size_t *n_r,
	     struct err *err)
{
	char *path = blob_path(dir, sha_hex, a);
	if (!path)
		return 0;
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return errno == ENOENT
			   ? 0
			   : err_set(err, ERR_TEMP, "cannot read blob: %s", strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) < 0 || sb.st_size > BLOB_MAX_SIZE) {
		close(fd);
		return err_set(err, ERR_TEMP, "cannot read blob '%s'", sha_hex);
	}
	char *data = arena_alloc(a, (size_t)sb.st_size + 1);
	size_t got = 0;
	while (got < (size_t)sb.st_size) {
		ssize_t r = read(fd, data + got, (size_t)sb.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			close(fd);
			return err_set(err, ERR_TEMP, "cannot read blob '%s'", sha_hex);
		}
		got += (size_t)r;
	}
	close(fd);
	*data_r = data;
	*n_r = got;
	return 1;
}
