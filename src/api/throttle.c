/* Failed-login throttling: after THROTTLE_MAX_FAILURES failures within
 * THROTTLE_WINDOW seconds, further attempts for that email, or from that
 * client address, are refused until the window has passed. In memory, per
 * process. Keys are SipHash-2-4 (crypto_shorthash) under a random key drawn
 * on first use, so colliding keys cannot be chosen; a counter is never
 * overwritten while live: when a key finds no free or expired slot among its
 * THROTTLE_PROBE candidates the attempt is refused (server_int.h). */
#include <sodium.h>
#include <string.h>

#include "api/server_int.h"
#include "base/time.h"
#include "base/banned.h"

#define KEY_MAX 512 /* bytes of an email or address hashed (they are shorter) */

/* Called with the lock held. */
static uint64_t key_of(struct server_state *s, const char *kind, const char *str)
{
	unsigned char in[KEY_MAX + 2], out[crypto_shorthash_BYTES];
	size_t n = 0;
	if (!s->throttle_keyed) {
		crypto_shorthash_keygen(s->throttle_key);
		s->throttle_keyed = true;
	}
	in[n++] = (unsigned char)kind[0];
	in[n++] = ':';
	for (const char *p = str; *p && n < sizeof(in); p++) {
		unsigned char c = (unsigned char)*p;
		in[n++] = c >= 'A' && c <= 'Z' ? (unsigned char)(c + 32) : c;
	}
	crypto_shorthash(out, in, n, s->throttle_key);
	uint64_t h;
	memcpy(&h, out, sizeof(h));
	return h ? h : 1;
}

static bool live(const struct throttle_slot *t, int64_t now)
{
	return t->key != 0 && now - t->first_at < THROTTLE_WINDOW;
}

/* The slot holding key's live counter, or NULL. */
static struct throttle_slot *find(struct server_state *s, uint64_t key, int64_t now)
{
	for (size_t i = 0; i < THROTTLE_PROBE; i++) {
		struct throttle_slot *t = &s->throttle[(key + i) % THROTTLE_SLOTS];
		if (t->key == key && live(t, now))
			return t;
	}
	return NULL;
}

/* key's live counter, or a fresh one in a free or expired slot; NULL if
   every candidate slot holds another live counter (the table is full there). */
static struct throttle_slot *find_or_add(struct server_state *s, uint64_t key, int64_t now)
{
	struct throttle_slot *t = find(s, key, now);
	for (size_t i = 0; !t && i < THROTTLE_PROBE; i++) {
		struct throttle_slot *c = &s->throttle[(key + i) % THROTTLE_SLOTS];
		if (!live(c, now)) {
			*c = (struct throttle_slot){.key = key, .failures = 0, .first_at = now};
			t = c;
		}
	}
	return t;
}

static int wait_for(struct server_state *s, uint64_t key, int max, int64_t now)
{
	struct throttle_slot *t = find(s, key, now);
	if (!t) {
		/* No counter yet: refuse if none could be kept for it. */
		for (size_t i = 0; i < THROTTLE_PROBE; i++)
			if (!live(&s->throttle[(key + i) % THROTTLE_SLOTS], now))
				return 0;
		return THROTTLE_WINDOW;
	}
	if (t->failures < max)
		return 0;
	int64_t left = t->first_at + THROTTLE_WINDOW - now;
	return left > 0 ? (int)left : 0;
}

int throttle_check(struct server_state *s, const char *email, const char *client)
{
	int64_t now = time_now();
	pthread_mutex_lock(&s->throttle_lock);
	/* An address gets more room than an account: offices share addresses. */
	int a = wait_for(s, key_of(s, "e", email), THROTTLE_MAX_FAILURES, now);
	int b = wait_for(s, key_of(s, "c", client), THROTTLE_MAX_FAILURES * 4, now);
	pthread_mutex_unlock(&s->throttle_lock);
	return a > b ? a : b;
}

static void fail_one(struct server_state *s, uint64_t key, int64_t now)
{
	struct throttle_slot *t = find_or_add(s, key, now);
	if (t)
		t->failures++;
}

void throttle_fail(struct server_state *s, const char *email, const char *client)
{
	int64_t now = time_now();
	pthread_mutex_lock(&s->throttle_lock);
	fail_one(s, key_of(s, "e", email), now);
	fail_one(s, key_of(s, "c", client), now);
	pthread_mutex_unlock(&s->throttle_lock);
}

void throttle_clear(struct server_state *s, const char *email, const char *client)
{
	(void)client; /* an address's failures stand: it may be guessing many emails */
	pthread_mutex_lock(&s->throttle_lock);
	struct throttle_slot *t = find(s, key_of(s, "e", email), time_now());
	if (t)
		t->failures = 0;
	pthread_mutex_unlock(&s->throttle_lock);
}
