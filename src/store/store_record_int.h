/* Private to store/: the row <-> JSON mapping shared by the record files. */
#ifndef STORE_STORE_RECORD_INT_H
#define STORE_STORE_RECORD_INT_H

#include <jansson.h>

struct arena;
struct entity_def;
struct field_def;
struct stmt;
struct store;
struct err;

/* "id, f1, f2, ..., created_at, updated_at, created_by", each name after prefix
   ("a." for a join); allocated in a. */
const char *record_columns(const struct entity_def *def, struct arena *a, const char *prefix);

/* The current row (selected with record_columns()) as a new JSON object; the
   FT_REFLIST fields are empty arrays until record_load_links(). */
json_t *record_from_row(struct stmt *s, const struct entity_def *def);

/* Fills obj's FT_REFLIST fields from the links table. */
int record_load_links(struct store *st, const struct entity_def *def, json_t *obj, struct err *err);

/* Binds a validated value (NULL or null binds NULL; arrays and objects as JSON text). */
void record_bind(struct stmt *s, int idx, const struct field_def *f, const json_t *v,
		 struct arena *a);

#endif
