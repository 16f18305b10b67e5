/* E.164 normalisation without a numbering-plan database: separators dropped,
 * 00 or + as the international prefix, a configured country code otherwise. */
#include <ctype.h>
#include <string.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "core/entity.h"
#include "core/phone.h"
#include "base/banned.h"

int phone_normalize(const char *in, const char *default_cc, struct arena *a, char **out_r,
		    struct err *err)
{
	char digits[64];
	size_t n = 0;
	bool plus = false;
	for (const char *p = in; *p; p++) {
		unsigned char c = (unsigned char)*p;
		if (isdigit(c)) {
			if (n >= sizeof(digits) - 1)
				return err_set(err, ERR_INVALID,
					       "'%s' is too long for a phone number", in);
			digits[n++] = (char)c;
		} else if (c == '+' && n == 0 && !plus) {
			plus = true;
		} else if (!strchr(" -.()/\t", c)) {
			return err_set(err, ERR_INVALID, "'%s' is not a phone number", in);
		}
	}
	digits[n] = '\0';
	const char *d = digits;
	if (!plus && n > 2 && d[0] == '0' && d[1] == '0') {
		plus = true;
		d += 2;
	}
	const char *cc = "";
	if (!plus) {
		if (!default_cc || !*default_cc)
			return err_set(err, ERR_INVALID,
				       "'%s' needs an international prefix such as +44 (no default "
				       "country code is set)",
				       in);
		cc = default_cc;
		if (d[0] == '0')
			d++;
	}
	size_t total = strlen(cc) + strlen(d);
	if (total < PHONE_MIN_DIGITS || total > PHONE_MAX_DIGITS || (!*cc && d[0] == '0'))
		return err_set(err, ERR_INVALID, "'%s' is not a valid international number", in);
	*out_r = arena_printf(a, "+%s%s", cc, d);
	return 0;
}

int norm_phone(const json_t *in, const struct entity_env *env, struct arena *a, json_t **out_r,
	       struct err *err)
{
	char *out;
	if (!json_is_string(in))
		return err_set(err, ERR_INVALID, "a phone number must be a string");
	if (phone_normalize(json_string_value(in), env->default_country_code, a, &out, err) < 0)
		return -1;
	*out_r = json_in_arena(a, json_string(out));
	return 0;
}
