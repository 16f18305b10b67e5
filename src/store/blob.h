/* Content-addressed blobs (raw messages, attachments) in a folder: the file
 * name is the SHA-256 of the bytes, so a blob is written once and shared. */
#ifndef STORE_BLOB_H
#define STORE_BLOB_H

#include <stddef.h>

struct arena;
struct err;

#define BLOB_MAX_SIZE (100 * 1024 * 1024)

/* Writes n bytes under dir (atomically: a temporary file, fsync, rename) unless
   a blob with that hash exists. Sets sha_hex (64 hex digits + NUL). */
int blob_put(const char *dir, const void *data, size_t n, char sha_hex[65], struct err *err);

/* Reads the blob sha_hex into *data_r (allocated in a, NUL-terminated) and *n_r.
   Returns 1, 0 if there is no such blob, -1 on error. */
int blob_get(const char *dir, const char *sha_hex, struct arena *a, char **data_r, size_t *n_r,
	     struct err *err);

/* The path of blob sha_hex under dir, allocated in a (NULL if sha_hex is not
   64 lower-case hex digits). */
char *blob_path(const char *dir, const char *sha_hex, struct arena *a);

#endif
