/* libetpan waits on its sockets with select(), which cannot take a descriptor
 * at or above FD_SETSIZE (1024): FD_SET would write past the set. The HTTP
 * server may hold thousands of connections, so a new mail socket can get a
 * high number. A few low descriptors are kept in reserve, open on /dev/null,
 * and a high socket is moved onto one with dup2(). The reserve is topped up
 * on every call while low numbers are free. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sys/select.h>
#include <unistd.h>

#include "mail/lowfd.h"
#include "base/banned.h"

#define LOWFD_RESERVE 64

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static int reserve[LOWFD_RESERVE];
static int nreserve;

/* Opens /dev/null until the reserve is full or the numbers are no longer low. */
static void top_up(void)
{
	while (nreserve < LOWFD_RESERVE) {
		int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return;
		if (fd >= FD_SETSIZE) {
			close(fd);
			return;
		}
		reserve[nreserve++] = fd;
	}
}

int lowfd_move(int fd)
{
	pthread_mutex_lock(&lock);
	top_up();
	if (fd < FD_SETSIZE) {
		pthread_mutex_unlock(&lock);
		return fd;
	}
	int low = nreserve > 0 ? reserve[--nreserve] : -1;
	pthread_mutex_unlock(&lock);
	if (low < 0 || dup3(fd, low, O_CLOEXEC) < 0) {
		close(fd);
		if (low >= 0)
			close(low);
		errno = EMFILE;
		return -1;
	}
	close(fd);
	return low;
}
