/* Company queries beyond the generic records: lookup by name, for import. */
#include "base/err.h"
#include "store/store_int.h"
#include "base/banned.h"

int store_company_by_name(struct store *st, const char *name, int64_t *id_r, struct err *err)
{
	struct stmt *s;
	if (store_prepare(st, "SELECT MIN(id) FROM companies WHERE lower(name) = lower(?)", &s,
			  err) < 0)
		return -1;
	stmt_bind_text(s, 1, name);
	int r = stmt_step(s, err);
	if (r == 1 && stmt_is_null(s, 0))
		r = 0; /* MIN() over no rows */
	else if (r == 1)
		*id_r = stmt_int(s, 0);
	stmt_free(&s);
	return r;
}
