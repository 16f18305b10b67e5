/* Request bodies within server-wide budgets: a small body is kept in the
 * request's arena, a larger one is written to an unlinked 0600 file in the
 * data directory as it arrives and mapped read-only once whole, so memory does
 * not grow with uploads. Bodies are read only after authentication (the
 * router checks the headers first). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE /* O_TMPFILE */
#endif
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "api/http_server.h"
#include "api/req.h"
#include "api/server_int.h"
#include "app.h"
#include "base/arena.h"
#include "base/fdio.h"
#include "base/log.h"
#include "base/banned.h"

/* Takes n from a budget unless that would pass max. */
static bool take_mem(struct server_state *s, size_t n)
{
	size_t cur = atomic_load(&s->mem_buffered);
	do {
		if (n > HTTP_MAX_BUFFERED - cur)
			return false;
	} while (!atomic_compare_exchange_weak(&s->mem_buffered, &cur, cur + n));
	return true;
}

static bool take_disk(struct server_state *s, long long n)
{
	long long cur = atomic_load(&s->disk_spooled);
	do {
		if (n > HTTP_MAX_SPOOLED - cur)
			return false;
	} while (!atomic_compare_exchange_weak(&s->disk_spooled, &cur, cur + n));
	return true;
}

int body_admit(struct req *rq, long long declared)
{
	struct server_state *s = rq->srv;
	if (declared <= 0 || (size_t)declared > rq->body.max)
		return 0; /* none, or too big: refused with 413 */
	if (declared <= HTTP_MEM_BODY)
		return HTTP_MAX_BUFFERED - atomic_load(&s->mem_buffered) >= (size_t)declared ? 0
											     : -1;
	return HTTP_MAX_SPOOLED - atomic_load(&s->disk_spooled) >= declared ? 0 : -1;
}

static void spool_close(void *p)
{
	close(*(int *)p);
}

/* An unlinked file in the data directory, 0600. */
static int spool_open(struct req *rq)
{
	const char *dir = rq->app->data_dir;
	int fd = open(dir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
	if (fd < 0) {
		char *path = arena_printf(rq->arena, "%s/.upload-XXXXXX", dir);
		fd = mkostemp(path, O_CLOEXEC);
		if (fd >= 0)
			unlink(path);
	}
	if (fd < 0) {
		log_error("request %s: cannot spool the body in %s: %s", rq->id, dir,
			  strerror(errno));
		return -1;
	}
	rq->spool_fd = fd;
	int *fdp = arena_alloc(rq->arena, sizeof(*fdp));
	*fdp = fd;
	arena_defer(rq->arena, spool_close, fdp);
	return 0;
}

/* Moves what is in memory to a new spool file. */
static int spool_start(struct req *rq)
{
	if (spool_open(rq) < 0 || !take_disk(rq->srv, (long long)rq->body.len) ||
	    fd_write_all(rq->spool_fd, rq->body.data, rq->body.len) < 0)
		return -1;
	rq->disk_taken += rq->body.len;
	atomic_fetch_sub(&rq->srv->mem_buffered, rq->mem_taken);
	rq->mem_taken = 0;
	return 0;
}

void body_append(struct req *rq, const char *data, size_t n)
{
	if (rq->body_too_big || rq->body_refused)
		return; /* discarded: the answer is already decided */
	size_t have = rq->spool_fd >= 0 ? rq->disk_taken : rq->body.len;
	if (n > rq->body.max - have) {
		rq->body_too_big = true;
		return;
	}
	if (rq->spool_fd < 0 && have + n <= HTTP_MEM_BODY && take_mem(rq->srv, n)) {
		buf_append(&rq->body, data, n);
		rq->mem_taken += n;
		return;
	}
	if ((rq->spool_fd < 0 && spool_start(rq) < 0) || !take_disk(rq->srv, (long long)n)) {
		rq->body_refused = true;
		return;
	}
	rq->disk_taken += n;
	if (fd_write_all(rq->spool_fd, data, n) < 0)
		rq->body_refused = true;
}

static void unmap(void *p)
{
	struct buf *b = p;
	munmap(b->data, b->len + 1);
}

int body_finish(struct req *rq)
{
	if (rq->spool_fd < 0)
		return 0;
	size_t len = rq->disk_taken;
	/* A NUL after the body, as buf promises. */
	if (fd_write_all(rq->spool_fd, "", 1) < 0)
		return -1;
	void *map = mmap(NULL, len + 1, PROT_READ, MAP_PRIVATE, rq->spool_fd, 0);
	if (map == MAP_FAILED) {
		log_error("request %s: cannot map the spooled body: %s", rq->id, strerror(errno));
		return -1;
	}
	rq->body.data = map;
	rq->body.len = len;
	rq->body.cap = 0;
	arena_defer(rq->arena, unmap, &rq->body);
	return 0;
}

void body_release(struct req *rq)
{
	atomic_fetch_sub(&rq->srv->mem_buffered, rq->mem_taken);
	atomic_fetch_sub(&rq->srv->disk_spooled, (long long)rq->disk_taken);
	rq->mem_taken = 0;
	rq->disk_taken = 0;
}
