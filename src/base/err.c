/* Error values: set once where the failure is known, carried up unchanged. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/err.h"
#include "base/banned.h"

static const char *const code_names[] = {
    [ERR_OK] = "ok",
    [ERR_INVALID] = "invalid",
    [ERR_AUTH] = "unauthorized",
    [ERR_FORBIDDEN] = "forbidden",
    [ERR_NOTFOUND] = "not_found",
    [ERR_CONFLICT] = "conflict",
    [ERR_TOOBIG] = "too_big",
    [ERR_LIMITED] = "too_many_requests",
    [ERR_TEMP] = "unavailable",
    [ERR_INTERNAL] = "internal",
};

static int err_vset(struct err *err, enum err_code code, const char *field, const char *fmt,
		    va_list ap)
{
	if (!err)
		return -1;
	err->code = code;
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	return -1;
}

int err_set(struct err *err, enum err_code code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(err, code, NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int err_set_field(struct err *err, enum err_code code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	err_vset(err, code, field, fmt, ap);
	va_end(ap);
	return -1;
}

void err_clear(struct err *err)
{
	err->code = ERR_OK;
	err->msg[0] = '\0';
	err->field[0] = '\0';
}

const char *err_code_name(enum err_code code)
{
	if ((unsigned)code < sizeof(code_names) / sizeof(code_names[0]))
		return code_names[code];
	return "internal";
}
