/* parley account add|list|remove: connect mailboxes from the command line. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/json.h"
#include "base/secret.h"
#include "cli/cli_util.h"
#include "cli/commands.h"
#include "core/address.h"
#include "core/mail_account.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

/* Maps the command's flags onto the API's JSON, so both share validation. */
static const struct {
	const char *flag, *key;
} add_flags[] = {
    {"--email", "email"},   {"--imap", "imap"},	    {"--smtp", "smtp"},
    {"--user", "username"}, {"--preset", "preset"},
};

static int parse_add(struct app *app, int argc, char **argv, struct arena *a, json_t *in,
		     bool *pw_stdin, struct err *err)
{
	json_object_set_new(in, "name", json_string(argv[2]));
	for (int i = 3; i < argc; i++) {
		size_t j, n = sizeof(add_flags) / sizeof(add_flags[0]);
		for (j = 0; j < n && strcmp(argv[i], add_flags[j].flag) != 0; j++)
			;
		if (j < n && i + 1 < argc) {
			json_object_set_new(in, add_flags[j].key, json_string(argv[++i]));
		} else if (strcmp(argv[i], "--password-stdin") == 0) {
			*pw_stdin = true;
		} else if (strcmp(argv[i], "--shared") == 0) {
			json_object_set_new(in, "shared", json_true());
		} else if (strcmp(argv[i], "--owner") == 0 && i + 1 < argc) {
			struct user *u;
			const char *email = address_normalize(a, argv[++i]);
			int r = email ? store_user_by_email(app->store, email, a, &u, err) : 0;
			if (r < 0)
				return -1;
			if (r == 0)
				return err_set(err, ERR_NOTFOUND, "no user with email '%s'",
					       argv[i]);
			json_object_set_new(in, "owner_id", json_integer(u->id));
		} else {
			return 2;
		}
	}
	return 0;
}

static int account_add(struct app *app, int argc, char **argv, struct arena *a)
{
	struct err err = {0};
	bool pw_stdin = false;
	json_t *in = json_in_arena(a, json_object());
	if (argc < 3 || argv[2][0] == '-')
		return cli_usage("account");
	int r = parse_add(app, argc, argv, a, in, &pw_stdin, &err);
	if (r == 2)
		return cli_usage("account");
	char *pw = NULL;
	if (r < 0 || (pw_stdin && cli_read_secret(a, &pw, &err) < 0))
		return cli_fail(&err);
	if (pw)
		json_object_set_new(in, "password", json_string(pw));
	struct mail_account m;
	const char *plain;
	int64_t id;
	if (mail_account_from_json(in, 0, a, &m, &plain, &err) < 0)
		return cli_fail(&err);
	if (!m.shared && !m.owner_id) {
		fprintf(stderr, "parley: say whose mailbox it is: --owner EMAIL or --shared\n");
		return 2;
	}
	m.private_hosts = true; /* whoever runs the command line administers the server */
	if (store_account_quota(app->store, m.owner_id, m.shared, &err) < 0)
		return cli_fail(&err);
	if (plain) {
		if (app_load_key(app, &err) < 0)
			return cli_fail(&err);
		m.secret = secret_seal(&app->key, plain, strlen(plain), a);
	}
	if (store_account_create(app->store, &m, &id, &err) < 0)
		return cli_fail(&err);
	printf("mail account %lld '%s' <%s> added%s\n", (long long)id, m.name, m.email,
	       plain ? "" : " (no password: connect it with OAuth in the web UI)");
	return 0;
}

static int account_list(struct app *app, struct arena *a)
{
	struct err err = {0};
	struct mail_account **list;
	size_t n;
	if (store_account_list(app->store, a, &list, &n, &err) < 0)
		return cli_fail(&err);
	for (size_t i = 0; i < n; i++)
		printf("%-4lld %-20s %-30s %-12s %-8s %s\n", (long long)list[i]->id, list[i]->name,
		       list[i]->email, list[i]->health, list[i]->shared ? "shared" : "personal",
		       list[i]->last_error ? list[i]->last_error : "");
	return 0;
}

static int account_remove(struct app *app, const char *name, struct arena *a)
{
	struct err err = {0};
	struct mail_account *m;
	int r = store_account_by_name(app->store, name, a, &m, &err);
	if (r == 0)
		err_set(&err, ERR_NOTFOUND, "no mail account named '%s'", name);
	if (r <= 0 || store_account_delete(app->store, m->id, &err) < 0)
		return cli_fail(&err);
	printf("mail account '%s' removed\n", name);
	return 0;
}

int cmd_account(struct app *app, int argc, char **argv)
{
	struct arena *a = arena_new();
	int rc;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		rc = account_add(app, argc, argv, a);
	else if (argc == 2 && strcmp(argv[1], "list") == 0)
		rc = account_list(app, a);
	else if (argc == 3 && strcmp(argv[1], "remove") == 0)
		rc = account_remove(app, argv[2], a);
	else
		rc = cli_usage("account");
	arena_free(&a);
	return rc;
}
