/* parley search QUERY: the mail search language from the shell (as an admin). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "cli/commands.h"
#include "core/mail_query.h"
#include "store/store.h"
#include "base/banned.h"

int cmd_search(struct app *app, int argc, char **argv)
{
	struct err err = {0};
	struct arena *a = arena_new();
	struct buf q;
	struct mq_node *root;
	json_t *items;
	char *next;
	struct mail_viewer v = {0, true};
	int rc = 0;
	buf_init(&q, a, MAIL_QUERY_MAX_LEN + 1);
	for (int i = 1; i < argc; i++)
		buf_printf(&q, "%s%s", i > 1 ? " " : "", argv[i]);
	if (buf_finish(&q) < 0)
		err_set(&err, ERR_TOOBIG, "the query is too long");
	if (err.code || mail_query_parse(q.data, a, &root, &err) < 0 ||
	    store_thread_search(app->store, root, &v, MAIL_LIST_MAX_LIMIT, NULL, a, &items, &next,
				&err) < 0) {
		rc = cli_fail(&err);
	} else {
		char *s = json_dumps(items, JSON_INDENT(2));
		printf("%s\n", s ? s : "[]");
		free(s);
	}
	arena_free(&a);
	return rc;
}
