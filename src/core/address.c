/* Email addresses and domains: validation and the normal form Parley stores
 * and matches on (lower case, trimmed). */
#include <ctype.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/str.h"
#include "core/address.h"
#include "core/entity.h"
#include "base/banned.h"

static bool domain_ok(const char *d)
{
	size_t label = 0, n = strlen(d);
	if (n == 0 || n > ADDRESS_MAX_DOMAIN || d[0] == '.' || d[n - 1] == '.')
		return false;
	for (const char *p = d; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '.') {
			if (label == 0 || p[-1] == '-')
				return false;
			label = 0;
			continue;
		}
		if (!(isalnum(c) || c == '-' || c >= 0x80))
			return false;
		if (label == 0 && c == '-')
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

static bool local_ok(const char *l, size_t n)
{
	static const char specials[] = "!#$%&'*+/=?^_`{|}~.-";
	if (n == 0 || n > 64 || l[0] == '.' || l[n - 1] == '.')
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)l[i];
		if (c == '.' && l[i + 1] == '.')
			return false;
		if (!(isalnum(c) || c >= 0x80 || (c && strchr(specials, c))))
			return false;
	}
	return true;
}

char *address_normalize(struct arena *a, const char *in)
{
	char *s = str_lower(a, str_trim(a, in));
	const char *at = strrchr(s, '@');
	if (!at || !str_valid_utf8(s, strlen(s)) || !local_ok(s, (size_t)(at - s)) ||
	    !domain_ok(at + 1))
		return NULL;
	return s;
}

char *address_domain_normalize(struct arena *a, const char *in)
{
	char *s = str_lower(a, str_trim(a, in));
	if (s[0] == '@')
		s++;
	return domain_ok(s) && str_valid_utf8(s, strlen(s)) ? s : NULL;
}

int norm_email(const json_t *in, const struct entity_env *env, struct arena *a, json_t **out_r,
	       struct err *err)
{
	const char *s = json_string_value(in);
	char *n = s ? address_normalize(a, s) : NULL;
	if (!n)
		return err_set(err, ERR_INVALID, "'%s' is not an email address",
			       s ? s : "(not a string)");
	*out_r = json_in_arena(a, json_string(n));
	return 0;
}

int norm_domain(const json_t *in, const struct entity_env *env, struct arena *a, json_t **out_r,
		struct err *err)
{
	const char *s = json_string_value(in);
	char *n = s ? address_domain_normalize(a, s) : NULL;
	if (!n)
		return err_set(err, ERR_INVALID, "'%s' is not a domain name",
			       s ? s : "(not a string)");
	*out_r = json_in_arena(a, json_string(n));
	return 0;
}
