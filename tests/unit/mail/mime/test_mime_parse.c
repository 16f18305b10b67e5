/* Unit tests for mail/mime/mime_parse.c.
 *
 * Fixtures: every tests/data/mime/NNNN-name.eml is parsed and its JSON
 * (mime_message_to_json()) compared with NNNN-name.expect.json, which holds
 * only the fields that matter for that case:
 *   "key": value    the field must equal value exactly;
 *   "key~": value   a string field must contain value; an array field must,
 *                   for each element of value, have an element that contains
 *                   it (strings) or has its fields (objects);
 *   "error": "name" mime_parse() must fail with that err_code_name().
 * Adding a case means adding two files.
 *
 * The corpus case runs /work/shared/corpus/gen-corpus.py (found through
 * $PARLEY_CORPUS_GEN or ../shared, ../../shared) for 300 messages and checks
 * parsing and threading against its manifest.json.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "test.h"
#include "base/arena.h"
#include "base/err.h"
#include "base/str.h"
#include "base/time.h"
#include "core/thread_jwz.h"
#include "mail/mime/mime_parse.h"
#include "base/banned.h"

/* Reads a whole file into a; NULL if it cannot. */
static char *slurp(struct arena *a, const char *path, size_t *len_r)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	size_t got;
	while ((got = fread(buf + len, 1, cap - len, f)) > 0) {
		len += got;
		if (len == cap)
			buf = realloc(buf, cap *= 2);
	}
	fclose(f);
	char *p = arena_memdup(a, buf, len + 1);
	p[len] = '\0';
	free(buf);
	*len_r = len;
	return p;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted names in dir ending in suffix, allocated in a; NULL-terminated. */
static char **list_files(struct arena *a, const char *dir, const char *suffix, size_t *n_r)
{
	DIR *d = opendir(dir);
	size_t n = 0, cap = 64, sl = strlen(suffix);
	char **names = arena_alloc(a, cap * sizeof(*names));
	struct dirent *e;
	while (d && (e = readdir(d))) {
		size_t l = strlen(e->d_name);
		if (l < sl || strcmp(e->d_name + l - sl, suffix) != 0 || e->d_name[0] == '.')
			continue;
		if (n + 1 == cap) {
			char **more = arena_alloc(a, cap * 2 * sizeof(*names));
			memcpy(more, names, n * sizeof(*names));
			names = more;
			cap *= 2;
		}
		names[n++] = arena_strdup(a, e->d_name);
	}
	if (d)
		closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	*n_r = n;
	return names;
}

/* The "key~" rule: substring for strings, each wanted string in some element. */
static bool contains(const json_t *got, const json_t *want)
{
	if (json_is_string(want))
		return json_is_string(got) &&
		       strstr(json_string_value(got), json_string_value(want));
	if (json_is_object(want)) { /* each field of want, exactly */
		const char *key;
		json_t *v;
		json_object_foreach((json_t *)want, key, v)
		{
			if (!json_equal(json_object_get(got, key), v))
				return false;
		}
		return json_is_object(got);
	}
	if (!json_is_array(want) || !json_is_array(got))
		return false;
	size_t i, j;
	json_t *w, *g;
	json_array_foreach(want, i, w)
	{
		bool found = false;
		json_array_foreach(got, j, g)
		{
			found |= contains(g, w);
		}
		if (!found)
			return false;
	}
	return true;
}

static void check_fields(const char *name, const json_t *got, const json_t *expect)
{
	const char *key;
	json_t *want;
	json_object_foreach((json_t *)expect, key, want)
	{
		size_t kl = strlen(key);
		bool sub = kl > 0 && key[kl - 1] == '~';
		char field[64];
		snprintf(field, sizeof(field), "%.*s", (int)(sub ? kl - 1 : kl), key);
		json_t *g = json_object_get(got, field);
		bool ok = sub ? contains(g, want) : json_equal(g, want);
		if (!ok) {
			char *gs = g ? json_dumps(g, JSON_ENCODE_ANY) : NULL;
			char *ws = json_dumps(want, JSON_ENCODE_ANY);
			CHECK_MSG(ok, "%s: %s: got %.400s, want %.400s", name, key,
				  gs ? gs : "(absent)", ws);
			free(gs);
			free(ws);
		}
	}
}

static void run_fixture(const char *dir, const char *eml)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct message *m;
	json_error_t jerr;
	size_t len, base = strlen(eml) - 4;
	char *raw = slurp(a, arena_printf(a, "%s/%s", dir, eml), &len);
	char *ep = arena_printf(a, "%s/%.*s.expect.json", dir, (int)base, eml);
	json_t *expect = json_load_file(ep, 0, &jerr);

	CHECK_MSG(raw != NULL, "%s: cannot read", eml);
	CHECK_MSG(expect != NULL, "%s: %s", ep, jerr.text);
	if (raw && expect) {
		const char *want_err = json_string_value(json_object_get(expect, "error"));
		int r = mime_parse((struct slice){raw, len}, a, &m, &err);
		if (want_err) {
			CHECK_MSG(r < 0 && strcmp(err_code_name(err.code), want_err) == 0,
				  "%s: want error %s, got r=%d %s", eml, want_err, r,
				  err_code_name(err.code));
		} else if (r < 0) {
			CHECK_MSG(0, "%s: mime_parse failed: %s", eml, err.msg);
		} else {
			json_t *got;
			CHECK(mime_message_to_json(m, &got) == 0);
			check_fields(eml, got, expect);
			char *dump = json_dumps(got, 0);
			CHECK_MSG(dump != NULL, "%s: JSON does not serialise", eml);
			free(dump);
			json_decref(got);
		}
	}
	json_decref(expect);
	arena_free(&a);
}

static void test_mime_parse__fixtures(void)
{
	struct arena *a = arena_new();
	const char *dir = arena_printf(a, "%s/mime", test_data_dir());
	size_t n;
	char **names = list_files(a, dir, ".eml", &n);

	CHECK_MSG(n >= 25, "only %zu fixtures in %s", n, dir);
	for (size_t i = 0; i < n; i++)
		run_fixture(dir, names[i]);
	arena_free(&a);
}

static void test_mime_parse__limits(void)
{
	struct arena *a = arena_new();
	struct err err = {0};
	struct message *m = NULL;
	size_t big = (size_t)MIME_MAX_SIZE + 1;
	char *raw = arena_alloc(a, big);

	memset(raw, 'a', big);
	CHECK(mime_parse((struct slice){raw, 0}, a, &m, &err) < 0);
	CHECK_INT(err.code, ERR_INVALID);
	CHECK(mime_parse((struct slice){raw, big}, a, &m, &err) < 0);
	CHECK_INT(err.code, ERR_TOOBIG);
	CHECK(strstr(err.msg, "50 MB") != NULL);
	/* just under the limit is parsed, however silly */
	CHECK(mime_parse((struct slice){raw, big - 1}, a, &m, &err) == 0);
	CHECK(m && m->malformed);
	arena_free(&a);
}

/* The JSON has every contract key, and attachments exactly theirs. */
static void test_mime_parse__json_contract(void)
{
	static const char *const keys[] = {"message_id", "subject",	"from",	       "to",
					   "cc",	 "date",	"in_reply_to", "references",
					   "text",	 "html",	"attachments", "malformed",
					   "problems",	 "thread_index"};
	static const char raw[] =
	    "From: A <a@x>\nTo: b@x\nSubject: s\nDate: Tue, 24 Nov 2026 "
	    "10:44:54 +0000\nMessage-ID: <m@x>\nContent-Type: "
	    "multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
	    "hi\n--b\nContent-Type: application/pdf; name=f.pdf\n\nPDF\n--b--\n";
	struct arena *a = arena_new();
	struct err err = {0};
	struct message *m;
	json_t *j;

	CHECK(mime_parse(SLICE_LIT(raw), a, &m, &err) == 0);
	CHECK(mime_message_to_json(m, &j) == 0);
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		CHECK_MSG(json_object_get(j, keys[i]) != NULL, "key %s missing", keys[i]);
	CHECK_STR(json_string_value(json_object_get(j, "date")), "2026-11-24T10:44:54Z");
	json_t *at = json_array_get(json_object_get(j, "attachments"), 0);
	CHECK_INT(json_object_size(at), 4);
	CHECK_STR(json_string_value(json_object_get(at, "filename")), "f.pdf");
	CHECK_INT(json_integer_value(json_object_get(at, "size")), 3);
	CHECK_STR(json_string_value(json_object_get(at, "sha256")),
		  "1d393b0081b632c54654eb08c345ff76b92ae4efe0768b4c0f64b9ebbe920492");
	json_decref(j);
	arena_free(&a);
}

static bool utf8_ok(const char *s)
{
	return !s || str_valid_utf8(s, strlen(s));
}

static bool addresses_ok(const struct address_list *l)
{
	for (size_t i = 0; i < l->len; i++)
		if (!utf8_ok(l->items[i].name) || !utf8_ok(l->items[i].address))
			return false;
	return true;
}

/* Every string of a parsed message is valid UTF-8, whatever the input. */
static bool message_utf8_ok(const struct message *m)
{
	bool ok = utf8_ok(m->message_id) && utf8_ok(m->subject) && utf8_ok(m->in_reply_to) &&
		  utf8_ok(m->thread_index) && utf8_ok(m->text) && utf8_ok(m->html) &&
		  addresses_ok(&m->from) && addresses_ok(&m->to) && addresses_ok(&m->cc) &&
		  addresses_ok(&m->bcc) && addresses_ok(&m->reply_to);
	for (size_t i = 0; i < m->nreferences; i++)
		ok &= utf8_ok(m->references[i]);
	for (size_t i = 0; i < m->nproblems; i++)
		ok &= utf8_ok(m->problems[i]);
	for (size_t i = 0; i < m->nheaders; i++)
		ok &= utf8_ok(m->headers[i].name) && utf8_ok(m->headers[i].value);
	for (size_t i = 0; i < m->nattachments; i++)
		ok &= utf8_ok(m->attachments[i].filename) &&
		      utf8_ok(m->attachments[i].content_type) &&
		      utf8_ok(m->attachments[i].content_id);
	return ok;
}

/* Seeded mutations of the fixtures (a poor man's fuzzer; tests/fuzz/ is the
   real one): parsing never fails or crashes, and all text stays UTF-8. */
static void test_mime_parse__mutations(void)
{
	static const char *const tokens[] = {
	    "\n--", "boundary=", "=?utf-8?B?",	     "?=", "\r\n",	    "\n\n",
	    "\xff", "charset=x", "\xf4\x90\x80\x80", "=",  "message/rfc822"};
	struct arena *a = arena_new();
	const char *dir = arena_printf(a, "%s/mime", test_data_dir());
	size_t n;
	char **names = list_files(a, dir, ".eml", &n);
	unsigned seed = 1;

	for (int round = 0; round < 600 && n > 0; round++) {
		struct arena *t = arena_new();
		struct err err = {0};
		struct message *m;
		size_t len;
		seed = seed * 1103515245u + 12345u;
		const char *name = names[(seed >> 8) % n];
		char *raw = slurp(t, arena_printf(t, "%s/%s", dir, name), &len);
		char *buf = arena_alloc(t, len + 64 * 16 + 1);
		memcpy(buf, raw, len);
		for (int k = 0; k < 8; k++) {
			seed = seed * 1103515245u + 12345u;
			size_t pos = len ? (seed >> 4) % len : 0;
			const char *tok =
			    tokens[(seed >> 20) % (sizeof(tokens) / sizeof(tokens[0]))];
			size_t tl = strlen(tok);
			if (seed & 1) { /* insert a token */
				memmove(buf + pos + tl, buf + pos, len - pos);
				memcpy(buf + pos, tok, tl);
				len += tl;
			} else if (len) { /* overwrite a byte */
				buf[pos] = (char)(seed >> 24);
			}
		}
		int r = mime_parse((struct slice){buf, len}, t, &m, &err);
		CHECK_MSG(r == 0 || len == 0, "round %d (%s): %s", round, name, err.msg);
		if (r == 0)
			CHECK_MSG(message_utf8_ok(m), "round %d (%s): invalid UTF-8", round, name);
		arena_free(&t);
	}
	arena_free(&a);
}

/* What the corpus manifest lets us check, counted from the parsed messages. */
struct corpus_counts {
	size_t replies, attachments, encoded_subjects, from_top, subject_phrase, invoice,
	    date_q1_2022, rare_word;
};

static const char *corpus_generator(void)
{
	static const char *const paths[] = {"../shared/corpus/gen-corpus.py",
					    "../../shared/corpus/gen-corpus.py",
					    "/work/shared/corpus/gen-corpus.py"};
	const char *env = getenv("PARLEY_CORPUS_GEN");
	if (env)
		return access(env, R_OK) == 0 ? env : NULL;
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		if (access(paths[i], R_OK) == 0)
			return paths[i];
	return NULL;
}

static bool has_8bit(const char *s)
{
	for (; s && *s; s++)
		if ((unsigned char)*s >= 0x80)
			return true;
	return false;
}

static void corpus_count(struct arena *a, const struct message *m, const json_t *q,
			 struct corpus_counts *k)
{
	const char *top = json_string_value(json_object_get(json_object_get(q, "from"), "address"));
	const char *subject = m->subject ? str_lower(a, m->subject) : "";
	const char *body = m->text ? m->text : m->html ? m->html : "";
	int64_t from, to;

	time_parse_date("2022-01-01", &from);
	time_parse_date("2022-04-01", &to);
	k->replies += m->in_reply_to != NULL;
	for (size_t i = 0; i < m->nattachments; i++)
		k->attachments += m->attachments[i].disposition == ATTACHMENT_ATTACHMENT;
	k->encoded_subjects += has_8bit(m->subject);
	k->from_top += m->from.len && top && strcmp(m->from.items[0].address, top) == 0;
	k->subject_phrase += strstr(subject, "quarterly report") != NULL;
	k->invoice += strstr(subject, "invoice") != NULL;
	k->date_q1_2022 += m->has_date && m->date >= from && m->date < to;
	k->rare_word += strstr(body, "zephyrmatic") != NULL;
}

static size_t manifest_num(const json_t *man, const char *a, const char *b, const char *c)
{
	const json_t *j = json_object_get(man, a);
	if (b)
		j = json_object_get(j, b);
	if (c)
		j = json_object_get(j, c);
	return (size_t)json_integer_value(j);
}

/* Checks a forest: every message once, every reply under its In-Reply-To.
   Returns the number of roots; *lists_r counts roots that are mailing list posts. */
static size_t corpus_check_threads(struct arena *a, struct jwz_node *roots, size_t n,
				   size_t *lists_r)
{
	struct jwz_node **stack = arena_alloc(a, (2 * n + 1) * sizeof(*stack));
	size_t top = 0, seen = 0, nroots = 0;

	*lists_r = 0;
	for (struct jwz_node *r = roots; r; r = r->next) {
		nroots++;
		CHECK_MSG(!r->placeholder, "placeholder root %s", r->message_id);
		*lists_r += r->user != NULL;
		stack[top++] = r;
	}
	while (top > 0) {
		struct jwz_node *x = stack[--top];
		seen += !x->placeholder;
		if (x->parent && x->msg && x->msg->in_reply_to)
			CHECK_MSG(strcmp(x->msg->in_reply_to, x->parent->message_id) == 0,
				  "%s is under %s, not %s", x->message_id, x->parent->message_id,
				  x->msg->in_reply_to);
		else if (x->msg && x->msg->in_reply_to)
			CHECK_MSG(0, "reply %s is a root", x->message_id);
		for (struct jwz_node *c = x->child; c; c = c->next)
			stack[top++] = c;
	}
	CHECK_MSG(seen == n, "%zu messages in the threads, %zu given", seen, n);
	return nroots;
}

static void corpus_threads(struct arena *a, const struct jwz_msg *msgs, size_t n, const json_t *man)
{
	size_t replies = manifest_num(man, "stats", "replies", NULL), lists;
	const char *owner = json_string_value(json_object_get(man, "owner"));
	struct jwz_opts opts = {.flags = JWZ_NO_SUBJECT};

	/* by references alone: a thread per message that is not a reply */
	size_t roots = corpus_check_threads(a, thread_jwz_build(msgs, n, &opts, a), n, &lists);
	CHECK_INT(roots, n - replies);
	CHECK_INT(roots - lists, manifest_num(man, "threads_started", NULL, NULL));

	/* subject fallback may only merge, never break a reference */
	opts = (struct jwz_opts){.own_addresses = &owner, .nown = 1};
	size_t merged = corpus_check_threads(a, thread_jwz_build(msgs, n, &opts, a), n, &lists);
	CHECK_MSG(merged <= roots, "%zu threads with subjects, %zu without", merged, roots);
}

static void corpus_parse(struct arena *a, const char *dir, const json_t *man)
{
	size_t n;
	const char *cur = arena_printf(a, "%s/Maildir/cur", dir);
	char **names = list_files(a, cur, "", &n);
	const json_t *q = json_object_get(man, "queries");
	struct jwz_msg *msgs = arena_alloc(a, (n + 1) * sizeof(*msgs));
	struct corpus_counts k = {0};
	static char list_mark;

	CHECK_INT(n, manifest_num(man, "count", NULL, NULL));
	for (size_t i = 0; i < n; i++) {
		struct arena *t = arena_new();
		struct err err = {0};
		struct message *m;
		size_t len;
		char *raw = slurp(t, arena_printf(t, "%s/%s", cur, names[i]), &len);
		if (raw && mime_parse((struct slice){raw, len}, t, &m, &err) == 0) {
			CHECK_MSG(!m->malformed, "%s: %s", names[i],
				  m->nproblems ? m->problems[0] : "");
			corpus_count(t, m, q, &k);
			thread_jwz_msg_init(&msgs[i], m,
					    message_header(m, "List-Id") ? &list_mark : NULL, a);
		} else {
			CHECK_MSG(0, "%s: %s", names[i], err.msg);
		}
		arena_free(&t);
	}
	CHECK_INT(k.replies, manifest_num(man, "stats", "replies", NULL));
	CHECK_INT(k.attachments, manifest_num(man, "stats", "attachments", NULL));
	CHECK_INT(k.encoded_subjects, manifest_num(man, "stats", "encoded_subjects", NULL));
	CHECK_INT(k.from_top, manifest_num(q, "from", "messages", NULL));
	CHECK_INT(k.subject_phrase, manifest_num(q, "subject_phrase", "messages", NULL));
	CHECK_INT(k.invoice, manifest_num(q, "common_word", "subject_messages", NULL));
	CHECK_INT(k.date_q1_2022, manifest_num(q, "date_range", "messages", NULL));
	CHECK_INT(k.rare_word, manifest_num(q, "rare_word", "messages", NULL));
	corpus_threads(a, msgs, n, man);
}

static void test_mime_parse__corpus(void)
{
	const char *gen = corpus_generator();
	if (!gen || system("python3 --version >/dev/null 2>&1") != 0) {
		printf("# skip: python3 or gen-corpus.py not found (set PARLEY_CORPUS_GEN)\n");
		return;
	}
	struct arena *a = arena_new();
	const char *tmp = getenv("TMPDIR");
	char *dir = arena_printf(a, "%s/parley-corpus-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	json_error_t jerr;

	CHECK(mkdtemp(dir) != NULL);
	int rc = system(
	    arena_printf(a, "python3 '%s' --count 300 --seed 1 --out '%s' >/dev/null", gen, dir));
	CHECK_MSG(rc == 0, "gen-corpus.py failed: %d", rc);
	json_t *man = json_load_file(arena_printf(a, "%s/manifest.json", dir), 0, &jerr);
	CHECK_MSG(man != NULL, "manifest.json: %s", jerr.text);
	if (rc == 0 && man)
		corpus_parse(a, dir, man);
	json_decref(man);
	if (system(arena_printf(a, "rm -rf '%s'", dir)) != 0)
		printf("# could not remove %s\n", dir);
	arena_free(&a);
}

void test_mime_parse(void)
{
	static bool registered;
	if (!registered) /* GMime's global state goes at exit, so LSan sees none */
		atexit(mime_shutdown);
	registered = true;
	TEST_RUN(test_mime_parse__fixtures);
	TEST_RUN(test_mime_parse__limits);
	TEST_RUN(test_mime_parse__json_contract);
	TEST_RUN(test_mime_parse__mutations);
	TEST_RUN(test_mime_parse__corpus);
}
