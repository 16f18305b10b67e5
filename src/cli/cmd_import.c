/* parley import contacts FILE.csv: all rows or none (io/contact_import.c). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/arena.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/json.h"
#include "cli/commands.h"
#include "core/csv.h"
#include "io/contact_import.h"
#include "base/banned.h"

/* The whole of path in *data_r (allocated in a); ERR_TOOBIG past CSV_MAX_FILE. */
static int read_file(const char *path, struct arena *a, struct slice *data_r, struct err *err)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(err, ERR_NOTFOUND, "cannot open '%s': %s", path, strerror(errno));
	struct buf b;
	buf_init(&b, a, CSV_MAX_FILE);
	char chunk[64 * 1024];
	size_t n;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0 && !b.overflow)
		buf_append(&b, chunk, n);
	bool failed = ferror(f);
	fclose(f);
	if (failed)
		return err_set(err, ERR_TEMP, "cannot read '%s'", path);
	if (buf_finish(&b) < 0)
		return err_set(err, ERR_TOOBIG, "'%s' is larger than %d MiB", path,
			       CSV_MAX_FILE / (1024 * 1024));
	*data_r = (struct slice){b.data, b.len};
	return 0;
}

/* Prints each error as "line N: field 'F': MESSAGE" to stderr. */
static void print_errors(const json_t *errors)
{
	size_t i;
	const json_t *e;
	json_array_foreach(errors, i, e)
	{
		const char *field = json_get_str(e, "field");
		fprintf(stderr,
			"line %lld: ", (long long)json_integer_value(json_object_get(e, "line")));
		if (field && *field)
			fprintf(stderr, "field '%s': ", field);
		fprintf(stderr, "%s\n", json_get_str(e, "message"));
	}
}

int cmd_import(struct app *app, int argc, char **argv)
{
	if (argc != 3 || strcmp(argv[1], "contacts") != 0)
		return cli_usage("import");
	struct arena *a = arena_new();
	struct err err = {0};
	struct slice data;
	json_t *report;
	int rc = 0;
	if (read_file(argv[2], a, &data, &err) < 0 ||
	    contact_import_csv(app->store, data, 0, false, a, &report, &err) < 0) {
		rc = cli_fail(&err);
	} else if (json_array_size(json_object_get(report, "errors")) > 0) {
		print_errors(json_object_get(report, "errors"));
		size_t n = json_array_size(json_object_get(report, "errors"));
		fprintf(stderr, "parley: nothing imported: %zu error%s in '%s'\n", n,
			n == 1 ? "" : "s", argv[2]);
		rc = 1;
	} else {
		printf("imported %lld contacts\n",
		       (long long)json_integer_value(json_object_get(report, "imported")));
	}
	arena_free(&a);
	return rc;
}
