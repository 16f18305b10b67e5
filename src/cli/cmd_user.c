/* parley user add|list|passwd and parley token create. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/id.h"
#include "base/json.h"
#include "base/time.h"
#include "cli/commands.h"
#include "cli/cli_util.h"
#include "core/address.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

static int user_add(struct app *app, int argc, char **argv, struct arena *a)
{
	const char *email_in = NULL, *name = NULL, *role_s = NULL;
	bool from_stdin = false;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--role") == 0 && i + 1 < argc)
			role_s = argv[++i];
		else if (strcmp(argv[i], "--password-stdin") == 0)
			from_stdin = true;
		else if (argv[i][0] != '-' && !email_in)
			email_in = argv[i];
		else
			return cli_usage("user");
	}
	if (!email_in || !name || !role_s)
		return cli_usage("user");
	struct err err = {0};
	enum user_role role;
	const char *email = address_normalize(a, email_in);
	if (!email) {
		fprintf(stderr, "parley: '%s' is not an email address\n", email_in);
		return 1;
	}
	if (user_name_check(name, &err) < 0 || user_role_parse(role_s, &role, &err) < 0)
		return cli_fail(&err);
	char *pw;
	if (from_stdin) {
		if (cli_read_secret(a, &pw, &err) < 0)
			return cli_fail(&err);
	} else {
		pw = user_password_generate(a);
	}
	char hash[USER_HASH_MAX];
	int64_t id;
	if (user_password_check(pw, &err) < 0 || user_password_hash(pw, hash, &err) < 0 ||
	    store_user_create(app->store, email, name, role, hash, &id, &err) < 0)
		return cli_fail(&err);
	printf("user %lld %s (%s) added\n", (long long)id, email, user_role_name(role));
	if (!from_stdin)
		printf("password: %s\n", pw);
	return 0;
}

static int user_list(struct app *app, struct arena *a)
{
	struct err err = {0};
	json_t *items;
	if (store_user_list(app->store, a, &items, &err) < 0)
		return cli_fail(&err);
	size_t i;
	json_t *u;
	json_array_foreach(items, i, u)
	{
		printf("%-5lld %-32s %-8s %-6s %s\n",
		       (long long)json_integer_value(json_object_get(u, "id")),
		       json_get_str(u, "email"), json_get_str(u, "role"),
		       json_is_true(json_object_get(u, "active")) ? "active" : "off",
		       json_get_str(u, "name"));
	}
	return 0;
}

/* A new password for a user: from stdin, or generated and printed once. */
static int user_passwd(struct app *app, int argc, char **argv, struct arena *a)
{
	bool from_stdin = argc == 4 && strcmp(argv[3], "--password-stdin") == 0;
	if (argc != 3 && !from_stdin)
		return cli_usage("user");
	struct err err = {0};
	struct user *u;
	const char *email = address_normalize(a, argv[2]);
	int r = email ? store_user_by_email(app->store, email, a, &u, &err) : 0;
	if (r <= 0) {
		if (r == 0)
			err_set(&err, ERR_NOTFOUND, "no user with email '%s'", argv[2]);
		return cli_fail(&err);
	}
	char *pw = user_password_generate(a);
	if (from_stdin && cli_read_secret(a, &pw, &err) < 0)
		return cli_fail(&err);
	u->password_hash = arena_alloc(a, USER_HASH_MAX);
	if (user_password_check(pw, &err) < 0 ||
	    user_password_hash(pw, u->password_hash, &err) < 0 ||
	    store_user_save(app->store, u, &err) < 0 ||
	    store_sessions_end(app->store, u->id, NULL, &err) < 0)
		return cli_fail(&err);
	printf("password of %s changed (their sessions ended)\n", u->email);
	if (!from_stdin)
		printf("password: %s\n", pw);
	return 0;
}

int cmd_user(struct app *app, int argc, char **argv)
{
	struct arena *a = arena_new();
	int rc;
	if (argc >= 2 && strcmp(argv[1], "add") == 0)
		rc = user_add(app, argc, argv, a);
	else if (argc >= 3 && strcmp(argv[1], "passwd") == 0)
		rc = user_passwd(app, argc, argv, a);
	else if (argc == 2 && strcmp(argv[1], "list") == 0)
		rc = user_list(app, a);
	else
		rc = cli_usage("user");
	arena_free(&a);
	return rc;
}

int cmd_token(struct app *app, int argc, char **argv)
{
	const char *name = "cli";
	long days = 0;
	if (argc < 3 || strcmp(argv[1], "create") != 0)
		return cli_usage("token");
	for (int i = 3; i < argc; i++) {
		char *end;
		if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else if (strcmp(argv[i], "--expires") == 0 && i + 1 < argc &&
			 (days = strtol(argv[++i], &end, 10)) > 0 && days <= 1830 && !*end)
			continue;
		else
			return cli_usage("token");
	}
	struct arena *a = arena_new();
	struct err err = {0};
	struct user *u;
	int rc = 0;
	const char *email = address_normalize(a, argv[2]);
	int r = email ? store_user_by_email(app->store, email, a, &u, &err) : 0;
	if (r <= 0) {
		if (r == 0)
			err_set(&err, ERR_NOTFOUND, "no user with email '%s'", argv[2]);
		rc = cli_fail(&err);
	} else {
		char token[ID_TOKEN_MAX], hash[65];
		int64_t id;
		id_random_hex(token, ID_TOKEN_BYTES);
		id_sha256_hex(token, hash);
		int64_t expires = days ? time_now() + (int64_t)days * 24 * 3600 : 0;
		if (store_token_create(app->store, u->id, name, hash, expires, &id, &err) < 0)
			rc = cli_fail(&err);
		else
			printf("%s\n", token);
	}
	arena_free(&a);
	return rc;
}
