/* Failed-login throttling: after THROTTLE_MAX_FAILURES failures within
 * THROTTLE_WINDOW seconds, further attempts for that email, or from that
 * client address, are refused until the window has passed. In memory, per
 * process: a fixed table, where a full slot is simply overwritten. */
#include <string.h>

#include "api/server_int.h"
#include "base/time.h"
#include "base/banned.h"

static uint64_t key_of(const char *kind, const char *s)
{
	uint64_t h = 1469598103934665603ULL; /* FNV-1a */
	for (const char *p = kind; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ULL;
	for (const char *p = s; *p; p++) {
		unsigned char c = (unsigned char)*p;
		h = (h ^ (c >= 'A' && c <= 'Z' ? c + 32 : c)) * 1099511628211ULL;
	}
	return h ? h : 1;
}

static struct throttle_slot *slot(struct server_state *s, uint64_t key)
{
	return &s->throttle[key % THROTTLE_SLOTS];
}

static int wait_for(struct server_state *s, uint64_t key, int max, int64_t now)
{
	struct throttle_slot *t = slot(s, key);
	if (t->key != key || t->failures < max)
		return 0;
	int64_t left = t->first_at + THROTTLE_WINDOW - now;
	return left > 0 ? (int)left : 0;
}

int throttle_check(struct server_state *s, const char *email, const char *client)
{
	int64_t now = time_now();
	pthread_mutex_lock(&s->throttle_lock);
	/* An address gets more room than an account: offices share addresses. */
	int a = wait_for(s, key_of("e", email), THROTTLE_MAX_FAILURES, now);
	int b = wait_for(s, key_of("c", client), THROTTLE_MAX_FAILURES * 4, now);
	pthread_mutex_unlock(&s->throttle_lock);
	return a > b ? a : b;
}

static void fail_one(struct server_state *s, uint64_t key, int64_t now)
{
	struct throttle_slot *t = slot(s, key);
	if (t->key != key || now - t->first_at >= THROTTLE_WINDOW) {
		t->key = key;
		t->failures = 0;
		t->first_at = now;
	}
	t->failures++;
}

void throttle_fail(struct server_state *s, const char *email, const char *client)
{
	int64_t now = time_now();
	pthread_mutex_lock(&s->throttle_lock);
	fail_one(s, key_of("e", email), now);
	fail_one(s, key_of("c", client), now);
	pthread_mutex_unlock(&s->throttle_lock);
}

void throttle_clear(struct server_state *s, const char *email, const char *client)
{
	pthread_mutex_lock(&s->throttle_lock);
	struct throttle_slot *t = slot(s, key_of("e", email));
	if (t->key == key_of("e", email))
		t->key = 0;
	pthread_mutex_unlock(&s->throttle_lock);
}
