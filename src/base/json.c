/* jansson glue: ref-counted values tied to arenas, and errors a user can act on. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/banned.h"

void json_decref_cb(void *obj)
{
	json_decref(obj);
}

json_t *json_in_arena(struct arena *a, json_t *j)
{
	if (j)
		arena_defer(a, json_decref_cb, j);
	return j;
}

json_t *json_parse(struct arena *a, const char *data, size_t len, struct err *err)
{
	json_error_t jerr;
	json_t *j = json_loadb(data, len, JSON_DECODE_ANY | JSON_REJECT_DUPLICATES, &jerr);
	if (!j) {
		err_set(err, ERR_INVALID, "invalid JSON at line %d, column %d: %s", jerr.line,
			jerr.column, jerr.text);
		return NULL;
	}
	return json_in_arena(a, j);
}

char *json_dump_arena(struct arena *a, const json_t *j)
{
	char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
	if (!s)
		return arena_strdup(a, "null");
	char *p = arena_strdup(a, s);
	free(s);
	return p;
}

const char *json_get_str(const json_t *obj, const char *key)
{
	return json_string_value(json_object_get(obj, key));
}

#undef json_pack
json_t *json_pack_checked(const char *file, int line, const char *fmt, ...)
{
	json_error_t e;
	va_list ap;
	va_start(ap, fmt);
	json_t *j = json_vpack_ex(&e, 0, fmt, ap);
	va_end(ap);
	if (!j) {
		fprintf(stderr, "parley: BUG: json_pack(\"%s\") at %s:%d: %s\n", fmt, file, line,
			e.text);
		const char *strict = getenv("PARLEY_STRICT_JSON");
		if (strict && *strict == '1')
			abort();
	}
	return j;
}
