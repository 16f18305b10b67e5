/* The contact <-> CSV row mapping behind `parley import` and `parley export`:
 * header names to fields, cells to contact input, records to rows. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/contact_csv.h"
#include "core/csv.h"
#include "base/banned.h"

#define CUSTOM_PREFIX "custom."

/*
 * The names an import column may have (lower case). To accept a new alias,
 * add a line; to map a new field, add an enum contact_col value too and
 * handle it in put_cell().
 */
static const struct {
	const char *name;
	enum contact_col col;
} aliases[] = {
    {"id", CONTACT_COL_IGNORED},
    {"created_at", CONTACT_COL_IGNORED},
    {"updated_at", CONTACT_COL_IGNORED},
    {"first_name", CONTACT_COL_FIRST_NAME},
    {"first name", CONTACT_COL_FIRST_NAME},
    {"firstname", CONTACT_COL_FIRST_NAME},
    {"given name", CONTACT_COL_FIRST_NAME},
    {"last_name", CONTACT_COL_LAST_NAME},
    {"last name", CONTACT_COL_LAST_NAME},
    {"lastname", CONTACT_COL_LAST_NAME},
    {"surname", CONTACT_COL_LAST_NAME},
    {"family name", CONTACT_COL_LAST_NAME},
    {"email", CONTACT_COL_EMAIL},
    {"emails", CONTACT_COL_EMAIL},
    {"e-mail", CONTACT_COL_EMAIL},
    {"phone", CONTACT_COL_PHONE},
    {"phones", CONTACT_COL_PHONE},
    {"company", CONTACT_COL_COMPANY},
    {"company_id", CONTACT_COL_COMPANY_ID},
    {"owner", CONTACT_COL_OWNER},
    {"owner_id", CONTACT_COL_OWNER_ID},
    {"tags", CONTACT_COL_TAGS},
    {"stage", CONTACT_COL_STAGE},
};

#define NALIASES (sizeof(aliases) / sizeof(aliases[0]))

static const char *const export_cols[] = {
    "id",	  "first_name", "last_name", "emails", "phones",     "company",
    "company_id", "owner",	"tags",	     "stage",  "created_at", "updated_at",
};

#define NEXPORT (sizeof(export_cols) / sizeof(export_cols[0]))

/* True if name is base, then an optional ' ' or '_', then digits: "email2". */
static bool numbered(const char *name, const char *base)
{
	size_t n = strlen(base);
	if (strncmp(name, base, n) != 0)
		return false;
	name += n;
	if (*name == ' ' || *name == '_')
		name++;
	if (!isdigit((unsigned char)*name))
		return false;
	while (isdigit((unsigned char)*name))
		name++;
	return *name == '\0';
}

/* The column for a lower-cased, trimmed name; -1 if unknown. */
static int lookup(const char *name)
{
	for (size_t i = 0; i < NALIASES; i++)
		if (strcmp(aliases[i].name, name) == 0)
			return (int)aliases[i].col;
	if (numbered(name, "email"))
		return CONTACT_COL_EMAIL;
	if (numbered(name, "phone"))
		return CONTACT_COL_PHONE;
	if (str_starts_with(name, CUSTOM_PREFIX))
		return CONTACT_COL_CUSTOM;
	return -1;
}

/* An earlier column the same as column i (same field or same custom key), or -1. */
static long repeated(const struct contact_csv_map *map, size_t i)
{
	enum contact_col c = map->cols[i];
	if (c == CONTACT_COL_IGNORED || c == CONTACT_COL_EMAIL || c == CONTACT_COL_PHONE)
		return -1;
	for (size_t j = 0; j < i; j++)
		if (map->cols[j] == c && (c != CONTACT_COL_CUSTOM ||
					  strcmp(map->custom_keys[j], map->custom_keys[i]) == 0))
			return (long)j;
	return -1;
}

static int map_column(const struct csv_record *hdr, size_t i, struct arena *a,
		      struct contact_csv_map *map, struct err *err)
{
	char *raw = str_trim(a, slice_dup(a, hdr->fields[i]));
	char *name = str_lower(a, raw);
	if (!*name)
		return err_set_field(err, ERR_INVALID, "", "column %zu has no name", i + 1);
	int col = lookup(name);
	if (col < 0)
		return err_set_field(err, ERR_INVALID, raw,
				     "unknown column '%s' (known: first_name, last_name, email, "
				     "phone, company, company_id, owner, owner_id, tags, stage, "
				     "custom.KEY)",
				     raw);
	map->cols[i] = (enum contact_col)col;
	if (col == CONTACT_COL_CUSTOM) {
		map->custom_keys[i] = str_trim(a, raw + strlen(CUSTOM_PREFIX));
		if (!*map->custom_keys[i])
			return err_set_field(err, ERR_INVALID, raw,
					     "column '%s' needs a key after 'custom.'", raw);
	}
	long prev = repeated(map, i);
	if (prev >= 0)
		return err_set_field(err, ERR_INVALID, raw,
				     "column '%s' fills the same field as column %ld", raw,
				     prev + 1);
	return 0;
}

int contact_csv_map_header(const struct csv_record *hdr, struct arena *a,
			   struct contact_csv_map *map, struct err *err)
{
	memset(map, 0, sizeof(*map));
	map->ncols = hdr->nfields;
	for (size_t i = 0; i < hdr->nfields; i++)
		if (map_column(hdr, i, a, map, err) < 0)
			return -1;
	return 0;
}

/* Appends the parts of s between any of seps, trimmed, to list (empty parts skipped). */
static void split_into(json_t *list, const char *s, const char *seps, struct arena *a)
{
	while (*s) {
		size_t n = strcspn(s, seps);
		char *part = str_trim(a, arena_strndup(a, s, n));
		if (*part)
			json_array_append_new(list, json_string(part));
		s += n;
		if (*s)
			s++;
	}
}

static int parse_id(const char *s, const char *field, int64_t *id_r, struct err *err)
{
	if (str_to_id(s, id_r) < 0)
		return err_set_field(err, ERR_INVALID, field,
				     "'%s' must be a positive id, not '%s'", field, s);
	return 0;
}

static int set_text(json_t *obj, const char *key, const char *s, struct err *err)
{
	if (json_object_set_new(obj, key, json_string(s)) < 0)
		return err_set_field(err, ERR_INVALID, key, "'%s' is not valid UTF-8", key);
	return 0;
}

/* Puts one non-empty cell s of column i into row. */
static int put_cell(const struct contact_csv_map *map, size_t i, const char *s, struct arena *a,
		    struct contact_csv_row *row, json_t *lists[3], json_t *custom, struct err *err)
{
	switch (map->cols[i]) {
	case CONTACT_COL_IGNORED:
		return 0;
	case CONTACT_COL_FIRST_NAME:
		return set_text(row->input, "first_name", s, err);
	case CONTACT_COL_LAST_NAME:
		return set_text(row->input, "last_name", s, err);
	case CONTACT_COL_EMAIL:
		split_into(lists[0], s, ";,", a);
		return 0;
	case CONTACT_COL_PHONE:
		split_into(lists[1], s, ";", a);
		return 0;
	case CONTACT_COL_TAGS:
		split_into(lists[2], s, ";,", a);
		return 0;
	case CONTACT_COL_STAGE:
		return set_text(row->input, "stage", str_lower(a, s), err);
	case CONTACT_COL_COMPANY:
		row->company = s;
		return 0;
	case CONTACT_COL_OWNER:
		row->owner = s;
		return 0;
	case CONTACT_COL_COMPANY_ID:
		return parse_id(s, "company_id", &row->company_id, err);
	case CONTACT_COL_OWNER_ID:
		return parse_id(s, "owner_id", &row->owner_id, err);
	case CONTACT_COL_CUSTOM:
		return set_text(custom, map->custom_keys[i], s, err);
	}
	return err_set(err, ERR_INTERNAL, "column %zu has no mapping", i + 1);
}

int contact_csv_row_parse(const struct contact_csv_map *map, const struct csv_record *rec,
			  struct arena *a, struct contact_csv_row *row, struct err *err)
{
	static const char *const list_names[3] = {"emails", "phones", "tags"};
	if (rec->nfields > map->ncols)
		return err_set(err, ERR_INVALID, "the row has %zu fields but the header only %zu",
			       rec->nfields, map->ncols);
	memset(row, 0, sizeof(*row));
	row->input = json_in_arena(a, json_object());
	json_t *lists[3], *custom = json_in_arena(a, json_object());
	for (size_t i = 0; i < 3; i++)
		lists[i] = json_in_arena(a, json_array());
	row->blank = true;
	for (size_t i = 0; i < rec->nfields; i++) {
		char *s = str_trim(a, slice_dup(a, csv_unguard(rec->fields[i])));
		if (!*s)
			continue;
		row->blank = false;
		if (put_cell(map, i, s, a, row, lists, custom, err) < 0)
			return -1;
	}
	for (size_t i = 0; i < 3; i++)
		if (json_array_size(lists[i]) > 0)
			json_object_set(row->input, list_names[i], lists[i]);
	if (json_object_size(custom) > 0)
		json_object_set(row->input, "custom", custom);
	return 0;
}

void contact_csv_write_header(struct buf *b, const json_t *custom_keys)
{
	for (size_t i = 0; i < NEXPORT; i++)
		csv_write_field(b, SLICE_STR(export_cols[i]), i == 0);
	size_t i;
	const json_t *k;
	json_array_foreach(custom_keys, i, k)
	{
		struct buf name;
		buf_init(&name, NULL, CSV_MAX_FIELD);
		buf_printf(&name, CUSTOM_PREFIX "%s", json_string_value(k));
		csv_write_field(b, (struct slice){name.data, name.len}, false);
		buf_release(&name);
	}
	csv_write_end(b);
}

/* The strings of list joined with ';', allocated in a. */
static const char *joined(const json_t *list, struct arena *a)
{
	struct buf out;
	buf_init(&out, a, CSV_MAX_FIELD);
	size_t i;
	const json_t *v;
	json_array_foreach(list, i, v)
	{
		if (i > 0)
			buf_putc(&out, ';');
		buf_puts(&out, json_string_value(v) ? json_string_value(v) : "");
	}
	return out.data;
}

/* The text of a JSON value for a cell: strings as they are, null empty,
   integers in decimal, anything else as JSON; allocated in a. */
static const char *cell(const json_t *v, struct arena *a)
{
	if (!v || json_is_null(v))
		return "";
	if (json_is_string(v))
		return json_string_value(v);
	if (json_is_integer(v))
		return arena_printf(a, "%lld", (long long)json_integer_value(v));
	return json_dump_arena(a, v);
}

void contact_csv_write_row(struct buf *b, const json_t *contact, const char *company,
			   const char *owner, const json_t *custom_keys, struct arena *a)
{
	const char *v[NEXPORT] = {
	    cell(json_object_get(contact, "id"), a),
	    cell(json_object_get(contact, "first_name"), a),
	    cell(json_object_get(contact, "last_name"), a),
	    joined(json_object_get(contact, "emails"), a),
	    joined(json_object_get(contact, "phones"), a),
	    company ? company : "",
	    cell(json_object_get(contact, "company_id"), a),
	    owner ? owner : "",
	    joined(json_object_get(contact, "tags"), a),
	    cell(json_object_get(contact, "stage"), a),
	    cell(json_object_get(contact, "created_at"), a),
	    cell(json_object_get(contact, "updated_at"), a),
	};
	for (size_t i = 0; i < NEXPORT; i++)
		csv_write_field(b, SLICE_STR(v[i]), i == 0);
	const json_t *custom = json_object_get(contact, "custom");
	size_t i;
	const json_t *k;
	json_array_foreach(custom_keys, i, k)
	{
		const char *s = cell(json_object_get(custom, json_string_value(k)), a);
		csv_write_field(b, SLICE_STR(s), false);
	}
	csv_write_end(b);
}
