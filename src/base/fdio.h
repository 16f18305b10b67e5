/* Small helpers over file descriptors. */
#ifndef BASE_FDIO_H
#define BASE_FDIO_H

#include <stddef.h>

/* Writes all n bytes of p to fd, retrying short writes and EINTR. Returns 0, or
   -1 with errno set. */
int fd_write_all(int fd, const void *p, size_t n);

#endif
