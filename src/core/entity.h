/* Domain records described by tables: each entity (contact, company, deal, ...)
 * is a list of typed fields, and one validator, one store mapping and one set
 * of HTTP handlers work from those tables. A record in flight is a jansson
 * object holding only stored fields, normalised (times as Unix seconds). */
#ifndef CORE_ENTITY_H
#define CORE_ENTITY_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

struct arena;
struct err;

enum field_type {
	FT_TEXT,     /* string, trimmed, at most max_len bytes */
	FT_INT,	     /* integer, at least min (amounts in minor units, counts) */
	FT_BOOL,     /* true / false */
	FT_TIME,     /* RFC 3339 in, Unix seconds stored, ISO 8601 UTC out */
	FT_DATE,     /* "YYYY-MM-DD" */
	FT_REF,	     /* id of a record in ref_table */
	FT_ENUM,     /* one of values[] (or the deal pipeline with FIELD_PIPELINE) */
	FT_CURRENCY, /* ISO 4217 code, upper-cased */
	FT_OBJECT,   /* a JSON object (custom fields, payloads) */
	FT_LIST,     /* a JSON array; each element passed through norm */
	FT_REFLIST,  /* an array of ids in ref_table, stored as links */
};

enum field_flags {
	FIELD_REQUIRED = 1 << 0, /* must be present and non-empty on create */
	FIELD_READONLY = 1 << 1, /* set by Parley; ignored in input */
	FIELD_INDEXED = 1 << 2,	 /* FT_LIST of strings: values kept in list_values for filters */
	FIELD_SEARCH = 1 << 3,	 /* matched by the list parameter q */
	FIELD_PIPELINE = 1 << 4, /* FT_ENUM whose values are the configured deal stages */
	FIELD_NOTNULL = 1 << 5,	 /* may be omitted (default applies) but never null */
};

struct entity_env;

/* Normalises one list element in place or into *out_r (allocated in a, or a new
   json reference tied to a). Returns 0, or -1 with err set (field not filled in:
   the caller names it). */
typedef int field_norm_fn(const json_t *in, const struct entity_env *env, struct arena *a,
			  json_t **out_r, struct err *err);

struct field_def {
	const char *name;
	enum field_type type;
	unsigned flags;
	const char *filter;	   /* list query parameter that filters on it, or NULL */
	const char *ref;	   /* FT_REF / FT_REFLIST: the referenced table */
	const char *dflt;	   /* JSON text of the default on create, or NULL */
	const char *const *values; /* FT_ENUM: NULL-terminated */
	long long min;		   /* FT_INT: the smallest value allowed */
	size_t max_len;		   /* FT_TEXT; FT_LIST: most elements; FT_OBJECT: bytes */
	field_norm_fn *norm;	   /* FT_LIST element normaliser, or NULL for strings */
};

/* Cross-field rules run after the fields are valid. rec is what will be written
   (may be changed: computed fields), merged is old overlaid with rec. */
typedef int entity_check_fn(json_t *rec, const json_t *merged, const struct entity_env *env,
			    struct err *err);

struct entity_def {
	const char *name;  /* singular: "contact"; events are "contact.created" */
	const char *table; /* plural: "contacts"; the table and the API path */
	const struct field_def *fields;
	size_t nfields;
	const char *const *perm_fields; /* a manager may change the record if one of
					   these holds their id; NULL-terminated */
	entity_check_fn *check;
	bool has_timeline;	    /* GET /api/v1/<table>/{id}/timeline */
	const char *timeline_field; /* the activities link field: "contact_ids" */
};

/* Settings that validation depends on. */
struct entity_env {
	const char *const *stages;	  /* deal pipeline, NULL-terminated */
	const char *default_country_code; /* digits, e.g. "44"; NULL or "": phones need '+' */
	long long now;			  /* Unix seconds, for defaults */
};

extern const struct entity_def company_def, contact_def, deal_def, order_def, note_def, task_def,
    activity_def, meeting_def;

/* Every entity, in the order the API documents them; NULL-terminated. */
extern const struct entity_def *const entities[];

/* The entity named name (singular) or table (plural), or NULL. */
const struct entity_def *entity_find(const char *name_or_table);

/* The field called name, or NULL. */
const struct field_def *entity_field(const struct entity_def *def, const char *name);

/* Validates a client's JSON object for def. old is NULL on create (required
   fields and defaults apply) or the stored record on update (only the given
   fields are checked). Unknown fields are an error; read-only fields and "id"
   are ignored. Returns 0 and *rec_r (a new object tied to a) or -1 with err set,
   err->field naming the field. */
int entity_validate(const struct entity_def *def, const json_t *input, const json_t *old,
		    const struct entity_env *env, struct arena *a, json_t **rec_r, struct err *err);

/* The default deal pipeline. */
extern const char *const entity_default_stages[];

/* Element normalisers, exported for tests and for mail linking. */
field_norm_fn norm_email, norm_phone, norm_tag, norm_domain, norm_order_item, norm_attendee;

#endif
