/* parley init: the data directory, the store, the first admin, demo data. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/err.h"
#include "cli/commands.h"
#include "cli/demo.h"
#include "core/address.h"
#include "core/user.h"
#include "store/store.h"
#include "base/banned.h"

#define INIT_DEFAULT_ADMIN "admin@example.com"

static int add_admin(struct app *app, const char *email_in, const char *name, struct err *err)
{
	struct arena *a = arena_new();
	int rc = -1;
	const char *email = address_normalize(a, email_in);
	char hash[USER_HASH_MAX];
	int64_t id;
	char *pw = user_password_generate(a);
	if (!email)
		err_set(err, ERR_INVALID, "'%s' is not an email address", email_in);
	else if (user_name_check(name, err) == 0 && user_password_hash(pw, hash, err) == 0 &&
		 store_user_create(app->store, email, name, USER_ADMIN, hash, &id, err) == 0) {
		printf("admin login: %s\npassword:    %s\n(shown once; only its hash is stored)\n",
		       email, pw);
		rc = 0;
	}
	arena_free(&a);
	return rc;
}

int cmd_init(struct app *app, int argc, char **argv)
{
	const char *admin = NULL, *name = "Admin";
	bool demo = false;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--demo") == 0)
			demo = true;
		else if (strcmp(argv[i], "--admin") == 0 && i + 1 < argc)
			admin = argv[++i];
		else if (strcmp(argv[i], "--name") == 0 && i + 1 < argc)
			name = argv[++i];
		else
			return cli_usage("init");
	}
	struct err err = {0};
	int fresh = app_data_init(app, &err);
	if (fresh < 0 || app_open_store(app, true, &err) < 0)
		return cli_fail(&err);
	printf("data directory %s %s\n", app->data_dir, fresh ? "created" : "exists");
	int64_t users = 0, contacts = 0;
	if (store_query_int(app->store, "SELECT COUNT(*) FROM users", &users, &err, 0) < 0 ||
	    store_query_int(app->store, "SELECT COUNT(*) FROM contacts", &contacts, &err, 0) < 0)
		return cli_fail(&err);
	if ((admin || users == 0) &&
	    add_admin(app, admin ? admin : INIT_DEFAULT_ADMIN, name, &err) < 0)
		return cli_fail(&err);
	if (demo && contacts == 0) {
		char blobs[4096];
		snprintf(blobs, sizeof(blobs), "%s/%s", app->data_dir, APP_BLOB_DIR);
		if (demo_load(app->store, &err) < 0 || demo_mail_load(app->store, blobs, &err) < 0)
			return cli_fail(&err);
		printf("demo data loaded\n");
	}
	return 0;
}
