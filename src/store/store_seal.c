/* Secrets at rest in the store: the key the store seals with (the data
 * directory's, set once at start), and sealing what older versions kept in
 * plain text (run after the migrations: SQL cannot seal). Sealed by the store:
 * the unsubscribe signing key and the OAuth client secrets (store_settings.c),
 * webhook signing secrets (store_automation.c); mailbox passwords arrive
 * sealed from the layers above. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/secret.h"
#include "store/store_int.h"
#include "base/banned.h"

static struct secret_key sealing_key;
static bool have_key;

void store_sealing_key_set(const struct secret_key *key)
{
	sealing_key = *key;
	have_key = true;
}

int store_seal(const char *plain, struct arena *a, char **sealed_r, struct err *err)
{
	if (!have_key)
		return err_set(err, ERR_INTERNAL, "no sealing key is loaded");
	*sealed_r = secret_seal(&sealing_key, plain, strlen(plain), a);
	return 0;
}

int store_unseal(const char *sealed, struct arena *a, char **plain_r, struct err *err)
{
	if (!have_key)
		return err_set(err, ERR_INTERNAL, "no sealing key is loaded");
	return secret_open(&sealing_key, sealed, a, plain_r, NULL, err);
}

/* Settings the store seals (store_settings.c seals them on every write). */
static const char *const sealed_settings[] = {"unsubscribe.secret", "oauth.gmail", "oauth.outlook",
					      NULL};

static int seal_rules(struct store *st, struct arena *a, struct err *err)
{
	struct stmt *s;
	json_t *ids = json_in_arena(a, json_array());
	if (store_prepare(st, "SELECT id FROM rules WHERE actions LIKE '%\"secret\"%'", &s, err) <
	    0)
		return -1;
	int r;
	while ((r = stmt_step(s, err)) == 1)
		json_array_append_new(ids, json_integer(stmt_int(s, 0)));
	stmt_free(&s);
	if (r < 0)
		return -1;
	size_t i;
	json_t *id;
	json_array_foreach(ids, i, id)
	{
		json_t *rule;
		int64_t got;
		/* A rule read and saved again keeps its secret, sealed. */
		if (store_rule_get(st, json_integer_value(id), a, &rule, err) < 0 ||
		    store_rule_save(st, json_integer_value(id), rule, 0, &got, err) < 0)
			return -1;
	}
	return 0;
}

int store_seal_plaintext(struct store *st, struct err *err)
{
	if (!have_key)
		return 0;
	struct arena *a = arena_new();
	int rc = 0;
	for (size_t i = 0; rc == 0 && sealed_settings[i]; i++) {
		json_t *v;
		int r = store_setting_sealed_raw(st, sealed_settings[i], err);
		if (r < 0 || r == 1)
			rc = r < 0 ? -1 : 0;
		else if ((r = store_setting_get(st, sealed_settings[i], a, &v, err)) < 0)
			rc = -1;
		else if (r == 1 && store_setting_set(st, sealed_settings[i], v, err) < 0)
			rc = -1;
	}
	if (rc == 0)
		rc = seal_rules(st, a, err);
	arena_free(&a);
	return rc;
}
