/* Orders: a contact's purchase history. The total is the sum of the items
 * (qty x price, minor units); computed when not given, checked when given. */
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/entity.h"
#include "base/banned.h"

#define ORDER_MAX_ITEM_TEXT 500
#define ORDER_MAX_QTY	    1000000
#define ORDER_MAX_PRICE	    100000000000LL /* a billion in major units */

static const char *const order_statuses[] = {"placed",	  "paid",     "shipped", "delivered",
					     "cancelled", "refunded", NULL};

static int item_text(json_t *item, const json_t *in, const char *key, bool required,
		     struct arena *a, struct err *err)
{
	const json_t *v = json_object_get(in, key);
	if (!v || json_is_null(v)) {
		if (required)
			return err_set(err, ERR_INVALID, "'%s' is required", key);
		return 0;
	}
	const char *s = json_string_value(v);
	if (!s || !str_valid_utf8(s, strlen(s)) || strlen(s) > ORDER_MAX_ITEM_TEXT)
		return err_set(err, ERR_INVALID, "'%s' must be a string of at most %d bytes", key,
			       ORDER_MAX_ITEM_TEXT);
	json_object_set_new(item, key, json_string(str_trim(a, s)));
	return 0;
}

static int item_int(json_t *item, const json_t *in, const char *key, long long min, long long max,
		    struct err *err)
{
	const json_t *v = json_object_get(in, key);
	if (!json_is_integer(v) || json_integer_value(v) < min || json_integer_value(v) > max)
		return err_set(err, ERR_INVALID, "'%s' must be an integer from %lld to %lld", key,
			       min, max);
	json_object_set_new(item, key, json_integer(json_integer_value(v)));
	return 0;
}

int norm_order_item(const json_t *in, const struct entity_env *env, struct arena *a, json_t **out_r,
		    struct err *err)
{
	if (!json_is_object(in))
		return err_set(err, ERR_INVALID,
			       "an item must be an object {sku, name, qty, price}");
	const char *key;
	const json_t *v;
	json_object_foreach((json_t *)in, key, v)
	{
		if (strcmp(key, "sku") && strcmp(key, "name") && strcmp(key, "qty") &&
		    strcmp(key, "price"))
			return err_set(err, ERR_INVALID, "unknown item field '%s'", key);
	}
	json_t *item = json_in_arena(a, json_object());
	if (item_text(item, in, "sku", false, a, err) < 0 ||
	    item_text(item, in, "name", true, a, err) < 0 ||
	    item_int(item, in, "qty", 1, ORDER_MAX_QTY, err) < 0 ||
	    item_int(item, in, "price", 0, ORDER_MAX_PRICE, err) < 0)
		return -1;
	*out_r = item;
	return 0;
}

static int order_check(json_t *rec, const json_t *merged, const struct entity_env *env,
		       struct err *err)
{
	long long sum = 0;
	size_t i;
	const json_t *item;
	json_array_foreach(json_object_get(merged, "items"), i, item)
	{
		long long line;
		if (__builtin_mul_overflow(
			(long long)json_integer_value(json_object_get(item, "qty")),
			(long long)json_integer_value(json_object_get(item, "price")), &line) ||
		    __builtin_add_overflow(sum, line, &sum))
			return err_set_field(err, ERR_INVALID, "items",
					     "the order's total is too large");
	}
	const json_t *given = json_object_get(rec, "total");
	if (given) {
		if (json_integer_value(given) != sum)
			return err_set_field(err, ERR_INVALID, "total",
					     "'total' is %lld but the items add up to %lld",
					     (long long)json_integer_value(given), sum);
	} else if (json_object_get(rec, "items")) {
		json_object_set_new(rec, "total", json_integer(sum));
	}
	return 0;
}

static const struct field_def order_fields[] = {
    {.name = "contact_id",
     .type = FT_REF,
     .flags = FIELD_REQUIRED,
     .filter = "contact",
     .ref = "contacts"},
    {.name = "deal_id", .type = FT_REF, .filter = "deal", .ref = "deals"},
    {.name = "items",
     .type = FT_LIST,
     .flags = FIELD_REQUIRED,
     .max_len = 1000,
     .norm = norm_order_item},
    {.name = "total", .type = FT_INT, .flags = FIELD_NOTNULL, .min = 0},
    {.name = "currency", .type = FT_CURRENCY, .flags = FIELD_NOTNULL, .dflt = "\"USD\""},
    {.name = "placed_at", .type = FT_TIME, .flags = FIELD_NOTNULL, .dflt = "\"now\""},
    {.name = "status",
     .type = FT_ENUM,
     .flags = FIELD_NOTNULL,
     .filter = "status",
     .dflt = "\"paid\"",
     .values = order_statuses},
};

static const char *const creator_only[] = {"created_by", NULL};

const struct entity_def order_def = {
    .name = "order",
    .table = "orders",
    .fields = order_fields,
    .nfields = sizeof(order_fields) / sizeof(order_fields[0]),
    .perm_fields = creator_only,
    .check = order_check,
};
