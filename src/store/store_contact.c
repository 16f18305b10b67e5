/* Contact queries beyond the generic records: lookup by email address and the
 * custom keys in use, for import and export. */
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/mem.h"
#include "store/store_int.h"
#include "base/banned.h"

int store_contact_by_email(struct store *st, const char *email, int64_t *id_r, struct err *err)
{
	char *lower = xstrdup(email);
	for (char *p = lower; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	struct stmt *s;
	int r = store_prepare(st,
			      "SELECT MIN(record_id) FROM list_values WHERE entity = ? AND "
			      "field = ? AND value = ?",
			      &s, err);
	if (r == 0) {
		stmt_bind_text(s, 1, "contacts");
		stmt_bind_text(s, 2, "emails");
		stmt_bind_text(s, 3, lower);
		r = stmt_step(s, err);
		if (r == 1 && stmt_is_null(s, 0))
			r = 0; /* MIN() over no rows */
		else if (r == 1)
			*id_r = stmt_int(s, 0);
		stmt_free(&s);
	}
	free(lower);
	return r;
}

static int cmp_str(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The keys of set as a sorted JSON array. */
static json_t *sorted_keys(const json_t *set)
{
	size_t n = json_object_size(set), i = 0;
	const char **keys = xcalloc(n ? n : 1, sizeof(*keys));
	const char *k;
	const json_t *v;
	json_object_foreach((json_t *)set, k, v) keys[i++] = k;
	qsort(keys, n, sizeof(*keys), cmp_str);
	json_t *out = json_array();
	for (i = 0; i < n; i++)
		json_array_append_new(out, json_string(keys[i]));
	free(keys);
	return out;
}

int store_contact_custom_keys(struct store *st, int64_t max_id, struct arena *a, json_t **keys_r,
			      struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT custom FROM contacts WHERE id <= ? AND custom <> '{}'", &s,
			  err) < 0)
		return -1;
	stmt_bind_int(s, 1, max_id);
	json_t *set = json_in_arena(a, json_object());
	int r;
	while ((r = stmt_step(s, err)) == 1) {
		const char *text = stmt_text(s, 0);
		json_t *custom = text ? json_loads(text, 0, NULL) : NULL;
		const char *k;
		json_t *v;
		json_object_foreach(custom, k, v)
		{
			json_object_set_new(set, k, json_true());
		}
		json_decref(custom);
	}
	stmt_free(&s);
	if (r < 0)
		return -1;
	*keys_r = json_in_arena(a, sorted_keys(set));
	return 0;
}
