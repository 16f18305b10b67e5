/* The OpenAPI 3.1 document, generated from the route table and the entity
 * tables so that it cannot drift from what the server does. */
#include <ctype.h>
#include <string.h>

#include "base/json.h"
#include "api/openapi.h"
#include "api/router.h"
#include "base/arena.h"
#include "base/str.h"
#include "core/entity.h"
#include "store/store.h"
#include "base/banned.h"

static json_t *field_schema(const struct field_def *f)
{
	json_t *s;
	switch (f->type) {
	case FT_TEXT:
		s = json_pack("{ss}", "type", "string");
		if (f->max_len)
			json_object_set_new(s, "maxLength", json_integer((json_int_t)f->max_len));
		break;
	case FT_INT:
		s = json_pack("{sssI}", "type", "integer", "minimum", (json_int_t)f->min);
		break;
	case FT_BOOL:
		s = json_pack("{ss}", "type", "boolean");
		break;
	case FT_TIME:
		s = json_pack("{ssss}", "type", "string", "format", "date-time");
		break;
	case FT_DATE:
		s = json_pack("{ssss}", "type", "string", "format", "date");
		break;
	case FT_REF:
		s = json_pack("{s:s, s:s+}", "type", "integer", "description", "id of a record in ",
			      f->ref);
		break;
	case FT_ENUM: {
		s = json_pack("{ss}", "type", "string");
		if (f->values) {
			json_t *e = json_array();
			for (size_t i = 0; f->values[i]; i++)
				json_array_append_new(e, json_string(f->values[i]));
			json_object_set_new(s, "enum", e);
		} else {
			json_object_set_new(s, "description",
					    json_string("one of the configured pipeline stages "
							"(GET /api/v1/settings)"));
		}
		break;
	}
	case FT_CURRENCY:
		s = json_pack("{ssss}", "type", "string", "pattern", "^[A-Z]{3}$");
		break;
	case FT_OBJECT:
		s = json_pack("{ss}", "type", "object");
		break;
	case FT_LIST:
		s = json_pack("{sss{ss}}", "type", "array", "items", "type",
			      f->norm == norm_order_item ? "object" : "string");
		break;
	case FT_REFLIST:
		s = json_pack("{sss{ss}}", "type", "array", "items", "type", "integer");
		break;
	default:
		s = json_object();
	}
	if (f->flags & FIELD_READONLY)
		json_object_set_new(s, "readOnly", json_true());
	return s;
}

static json_t *entity_schema(const struct entity_def *def)
{
	json_t *props = json_object(), *req = json_array();
	json_object_set_new(props, "id", json_pack("{sssb}", "type", "integer", "readOnly", 1));
	for (size_t i = 0; i < def->nfields; i++) {
		const struct field_def *f = &def->fields[i];
		json_object_set_new(props, f->name, field_schema(f));
		if (f->flags & FIELD_REQUIRED)
			json_array_append_new(req, json_string(f->name));
	}
	static const char *const stamps[] = {"created_at", "updated_at"};
	for (size_t i = 0; i < 2; i++)
		json_object_set_new(
		    props, stamps[i],
		    json_pack("{sssssb}", "type", "string", "format", "date-time", "readOnly", 1));
	json_object_set_new(props, "created_by",
			    json_pack("{sssb}", "type", "integer", "readOnly", 1));
	return json_pack("{sssoso}", "type", "object", "properties", props, "required", req);
}

static char *schema_name(struct arena *a, const struct entity_def *def)
{
	char *n = arena_strdup(a, def->name);
	n[0] = (char)toupper((unsigned char)n[0]);
	return n;
}

static json_t *query_param(const char *name, const char *type, const char *desc)
{
	return json_pack("{sssss{ss}ss}", "name", name, "in", "query", "schema", "type", type,
			 "description", desc);
}

static json_t *parameters(const struct route *r)
{
	json_t *ps = json_array();
	if (strstr(r->path, "{id}"))
		json_array_append_new(ps, json_pack("{sssssbs{ss}}", "name", "id", "in", "path",
						    "required", 1, "schema", "type", "integer"));
	bool list = strcmp(r->method, "GET") == 0 && r->entity && !strstr(r->path, "{id}");
	bool timeline = strstr(r->path, "/timeline") != NULL;
	if (!list && !timeline)
		return ps;
	json_array_append_new(ps, query_param("limit", "integer", "page size, 1 to 500 (50)"));
	json_array_append_new(ps, query_param("cursor", "string", "next_cursor of the last page"));
	json_array_append_new(ps, query_param("q", "string", "text to look for"));
	if (timeline) {
		json_array_append_new(ps, query_param("kind", "string", "one activity kind"));
		return ps;
	}
	for (size_t i = 0; i < r->entity->nfields; i++) {
		const struct field_def *f = &r->entity->fields[i];
		if (f->filter)
			json_array_append_new(ps, query_param(f->filter, "string", f->name));
	}
	return ps;
}

static json_t *operation(const struct route *r, struct arena *a)
{
	json_t *op = json_pack("{ssso}", "summary", r->summary, "parameters", parameters(r));
	char *opid = arena_printf(a, "%s %s", r->method, r->path);
	for (char *p = opid; *p; p++)
		if (!isalnum((unsigned char)*p))
			*p = '_';
	json_object_set_new(op, "operationId", json_string(opid));
	const char *ref =
	    r->entity ? arena_printf(a, "#/components/schemas/%s", schema_name(a, r->entity))
		      : NULL;
	if (r->flags & ROUTE_JSON)
		json_object_set_new(op, "requestBody",
				    json_pack("{sbs{s{s{ss}}}}", "required", 1, "content",
					      "application/json", "schema", ref ? "$ref" : "type",
					      ref ? ref : "object"));
	const char *ok = strcmp(r->method, "POST") == 0	    ? "201"
			 : strcmp(r->method, "DELETE") == 0 ? "204"
							    : "200";
	json_t *resp = json_pack("{s{ss}s{ss}}", ok, "description", "success", "default",
				 "description", "an error: {\"error\": {code, message, field}}");
	json_object_set_new(op, "responses", resp);
	if (r->flags & ROUTE_PUBLIC)
		json_object_set_new(op, "security", json_array());
	return op;
}

json_t *openapi_document(const char *version)
{
	struct arena *a = arena_new();
	json_t *paths = json_object(), *schemas = json_object();
	for (size_t i = 0; i < nroutes; i++) {
		const struct route *r = &routes[i];
		if (r->flags & ROUTE_FALLBACK)
			continue; /* web UI pages, not the API */
		json_t *item = json_object_get(paths, r->path);
		if (!item) {
			item = json_object();
			json_object_set_new(paths, r->path, item);
		}
		char *m = str_lower(a, r->method);
		json_object_set_new(item, m, operation(r, a));
	}
	for (size_t i = 0; entities[i]; i++)
		json_object_set_new(schemas, schema_name(a, entities[i]),
				    entity_schema(entities[i]));
	json_t *doc = json_pack(
	    "{sss{ssssss}s[{ss}]sos{sos{s{ssss}s{ssssss}}}s[{s[]}{s[]}]}", "openapi", "3.1.0",
	    "info", "title", "Parley API", "version", version, "description",
	    "Parley, a CRM communications hub. Errors are {\"error\": {\"code\", \"message\", "
	    "\"field\"}}; lists are {\"items\": [...], \"next_cursor\": ...}.",
	    "servers", "url", "/", "paths", paths, "components", "schemas", schemas,
	    "securitySchemes", "bearer", "type", "http", "scheme", "bearer", "session", "type",
	    "apiKey", "in", "cookie", "name", "parley_session", "security", "bearer", "session");
	arena_free(&a);
	return doc;
}
