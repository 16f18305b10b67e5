/* parley mime: look at mail files the way Parley reads them.
 *
 *   parley mime parse FILE
 *	Prints the message as pretty JSON (mime_message_to_json()). Any file
 *	gives JSON, with "malformed": true if it had to be repaired; exit 0.
 *	An unreadable, empty or too big (MIME_MAX_SIZE) file exits 1.
 *
 *   parley mime thread [--own ADDRESS]... FILE...
 *	Threads the messages (thread_jwz_build()) and prints the threads as
 *	nested JSON arrays of Message-IDs. A DIRECTORY stands for the files in
 *	it (and in its cur/ and new/, for a Maildir). Each thread is an array
 *	whose first element is the root's Message-ID (a placeholder root, a
 *	message referred to but not given, uses its id too; a message without
 *	one gives null), followed by one such array per child, recursively:
 *
 *	    [["a@x", ["b@x", ["c@x"]], ["d@x"]], ["e@x"]]
 *
 *	is two threads: a@x with replies b@x (itself answered by c@x) and d@x;
 *	and e@x alone. Roots and children are in date order. --own names the
 *	mailbox's own addresses, which never count as a shared participant in
 *	the subject fallback (which also needs a "Re:"-like marker). Files that are
 *	empty or too big are skipped with a warning on stderr; an unreadable
 *	one exits 1 and prints nothing.
 *
 * Neither uses app (it may be NULL): they touch no store.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "base/arena.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/vec.h"
#include "cli/commands.h"
#include "core/thread_jwz.h"
#include "mail/mime/mime_parse.h"
#include "base/banned.h"

static const char usage[] = "usage: parley mime parse FILE\n"
			    "       parley mime thread [--own ADDRESS]... FILE|DIR...\n";

/* Reads a whole file into a. A regular file over MIME_MAX_SIZE is refused
   (ERR_TOOBIG); from anything else at most MIME_MAX_SIZE + 1 bytes are read,
   enough for mime_parse() to refuse it. */
static int read_file(const char *path, struct arena *a, struct slice *out, struct err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	if (!f)
		return err_set(err, ERR_NOTFOUND, "cannot read '%s': %s", path, strerror(errno));
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		fclose(f);
		return err_set(err, ERR_INVALID, "cannot read '%s': %s", path, strerror(EISDIR));
	}
	if (S_ISREG(st.st_mode) && st.st_size > MIME_MAX_SIZE) {
		fclose(f);
		return err_set(err, ERR_TOOBIG, "'%s' is %lld bytes, over the limit of %d MB", path,
			       (long long)st.st_size, MIME_MAX_SIZE / (1024 * 1024));
	}
	size_t cap = 64 * 1024, len = 0, limit = (size_t)MIME_MAX_SIZE + 1;
	char *data = xmalloc(cap);
	for (;;) {
		if (len == cap && cap < limit) {
			cap = cap * 2 < limit ? cap * 2 : limit;
			data = xrealloc(data, cap);
		}
		size_t want = cap - len;
		size_t got = want ? fread(data + len, 1, want, f) : 0;
		len += got;
		if (got < want || len >= limit)
			break;
	}
	int failed = ferror(f);
	int saved = errno;
	fclose(f);
	if (failed) {
		free(data);
		return err_set(err, ERR_TEMP, "cannot read '%s': %s", path, strerror(saved));
	}
	out->ptr = arena_memdup(a, data, len);
	out->len = len;
	free(data);
	return 0;
}

static int fail(const struct err *err)
{
	fprintf(stderr, "parley: %s\n", err->msg);
	return 1;
}

static int mime_cmd_parse(const char *path)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct slice raw;
	struct message *m;
	json_t *j = NULL;
	int rc = 0;

	if (read_file(path, a, &raw, &err) < 0) {
		rc = fail(&err);
	} else if (mime_parse(raw, a, &m, &err) < 0) {
		fprintf(stderr, "parley: '%s': %s\n", path, err.msg);
		rc = 1;
	} else if (mime_message_to_json(m, &j) < 0 ||
		   json_dumpf(j, stdout, JSON_INDENT(2) | JSON_PRESERVE_ORDER) < 0) {
		fprintf(stderr, "parley: cannot write JSON\n");
		rc = 1;
	} else {
		fputc('\n', stdout);
	}
	json_decref(j);
	arena_free(&a);
	return rc;
}

struct path_vec {
	char **items;
	size_t len;
	size_t cap;
};

static int path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Regular files directly in dir, sorted, added to v (allocated in a). */
static void list_dir(const char *dir, struct arena *a, struct path_vec *v)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t start = v->len;
	if (!d)
		return;
	while ((e = readdir(d))) {
		struct stat st;
		char *p = arena_printf(a, "%s/%s", dir, e->d_name);
		if (e->d_name[0] != '.' && stat(p, &st) == 0 && S_ISREG(st.st_mode))
			VEC_PUSH(*v, p);
	}
	closedir(d);
	if (v->len > start)
		qsort(v->items + start, v->len - start, sizeof(*v->items), path_cmp);
}

static void add_path(const char *path, struct arena *a, struct path_vec *v)
{
	struct stat st;
	if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode)) {
		VEC_PUSH(*v, arena_strdup(a, path));
		return;
	}
	list_dir(path, a, v);
	list_dir(arena_printf(a, "%s/cur", path), a, v);
	list_dir(arena_printf(a, "%s/new", path), a, v);
}

/* Builds the nested arrays without recursion: each node's array is made when
   it is popped and appended to its parent's, children pushed last-first. */
static json_t *threads_json(const struct jwz_node *roots, size_t nmsgs, struct arena *a)
{
	struct item {
		const struct jwz_node *node;
		json_t *into;
	};
	size_t cap = 2 * nmsgs + 16, top = 0;
	struct item *stack = arena_alloc(a, cap * sizeof(*stack));
	json_t *all = json_array();

	for (const struct jwz_node *r = roots; r; r = r->next)
		top++;
	size_t i = top;
	for (const struct jwz_node *r = roots; r; r = r->next)
		stack[--i] = (struct item){r, all};
	while (top > 0) {
		struct item it = stack[--top];
		json_t *arr = json_array();
		json_array_append_new(arr, it.node->message_id ? json_string(it.node->message_id)
							       : json_null());
		json_array_append_new(it.into, arr);
		size_t nkids = 0;
		for (const struct jwz_node *k = it.node->child; k; k = k->next)
			nkids++;
		i = top + nkids;
		for (const struct jwz_node *k = it.node->child; k; k = k->next)
			stack[--i] = (struct item){k, arr};
		top += nkids;
	}
	return all;
}

/* Parses one file into *jm (strings in a; the message dies with its own
   arena). 1 if parsed, 0 if skipped (empty, too big), -1 if unreadable. */
static int thread_one(const char *path, struct arena *a, struct jwz_msg *jm)
{
	struct arena *tmp = arena_new();
	struct err err = {0};
	struct slice raw;
	struct message *m;
	int rc = -1;

	if (read_file(path, tmp, &raw, &err) < 0 && err.code != ERR_TOOBIG) {
		fail(&err);
	} else if (err.code == ERR_TOOBIG) {
		fprintf(stderr, "parley: skipped: %s\n", err.msg);
		rc = 0;
	} else if (mime_parse(raw, tmp, &m, &err) < 0) {
		fprintf(stderr, "parley: '%s' skipped: %s\n", path, err.msg);
		rc = 0;
	} else {
		thread_jwz_msg_init(jm, m, NULL, a);
		rc = 1;
	}
	arena_free(&tmp);
	return rc;
}

static int mime_cmd_thread(int argc, char **argv)
{
	struct arena *a = arena_new();
	struct path_vec paths = {0};
	const char **own = arena_alloc(a, ((size_t)argc + 1) * sizeof(*own));
	struct jwz_opts opts = {.own_addresses = own};
	int rc = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--own") == 0 && i + 1 < argc)
			own[opts.nown++] = argv[++i];
		else
			add_path(argv[i], a, &paths);
	}
	struct jwz_msg *msgs = arena_alloc(a, (paths.len + 1) * sizeof(*msgs));
	size_t n = 0;
	for (size_t i = 0; i < paths.len && rc == 0; i++) {
		int r = thread_one(paths.items[i], a, &msgs[n]);
		if (r < 0)
			rc = 1;
		n += r > 0;
	}
	if (rc == 0) {
		struct jwz_node *roots = thread_jwz_build(msgs, n, &opts, a);
		json_t *j = threads_json(roots, n, a);
		if (json_dumpf(j, stdout, JSON_PRESERVE_ORDER) < 0)
			rc = 1;
		fputc('\n', stdout);
		json_decref(j);
	}
	VEC_FREE(paths);
	arena_free(&a);
	return rc;
}

int cmd_mime(struct app *app, int argc, char **argv)
{
	(void)app;
	if (argc == 3 && strcmp(argv[1], "parse") == 0)
		return mime_cmd_parse(argv[2]);
	if (argc >= 3 && strcmp(argv[1], "thread") == 0)
		return mime_cmd_thread(argc - 2, argv + 2);
	fputs(usage, stderr);
	return 2;
}
