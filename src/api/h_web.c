/* The web UI: the single-page app built into web/dist (index.html and
 * assets/NAME.HASH.EXT), read once at start into a small table and served
 * from memory. Deep links (/contacts/12) get index.html; the app routes in the
 * browser. Without a built UI the server is API-only and GET / is h_index.
 *
 * Only names in the table are ever served: a request names a file, never a
 * path, so there is nothing to traverse. Hashed names never change content,
 * so assets are cached for a year; index.html is revalidated every time. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/handlers.h"
#include "api/req.h"
#include "api/server_int.h"
#include "base/buf.h"
#include "base/err.h"
#include "base/mem.h"
#include "base/str.h"
#include "base/banned.h"

#define WEB_CSP                                                                                    \
	"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "          \
	"frame-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "     \
	"form-action 'self'"
#define WEB_IMMUTABLE "public, max-age=31536000, immutable"
#define WEB_STEM_MAX  64
#define WEB_HASH_MIN  8
#define WEB_HASH_MAX  64

struct web_file {
	char *name;	  /* "app.3F9A1C2B.js"; owned */
	const char *type; /* Content-Type */
	char *data;	  /* owned */
	size_t len;
	char *gz; /* the gzip-compressed bytes from NAME.gz, or NULL; owned */
	size_t gz_len;
};

/* Owned by the server (server_state.web); read-only once loaded, so the
   request threads share it without a lock. */
struct web_root {
	struct web_file index;
	struct web_file assets[WEB_MAX_FILES];
	size_t nassets;
};

static const struct {
	const char *ext;
	const char *type;
} web_types[] = {
    {"js", "text/javascript; charset=utf-8"},
    {"css", "text/css; charset=utf-8"},
    {"map", "application/json"},
    {"svg", "image/svg+xml"},
    {"png", "image/png"},
    {"ico", "image/x-icon"},
    {"woff2", "font/woff2"},
};

static bool stem_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
}

static bool hash_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The Content-Type of an asset called name if name is STEM.HASH.EXT (the
   build's hashed names), or NULL: nothing else is ever served. */
static const char *asset_type(const char *name)
{
	size_t n = 0, h = 0;
	while (stem_char(name[n]))
		n++;
	if (n == 0 || n > WEB_STEM_MAX || name[n] != '.')
		return NULL;
	const char *p = name + n + 1;
	while (hash_char(p[h]))
		h++;
	if (h < WEB_HASH_MIN || h > WEB_HASH_MAX || p[h] != '.')
		return NULL;
	for (size_t i = 0; i < sizeof(web_types) / sizeof(web_types[0]); i++)
		if (strcmp(p + h + 1, web_types[i].ext) == 0)
			return web_types[i].type;
	return NULL;
}

/* Reads the regular file at path into *data_r (caller frees). Returns 1, 0 if
   there is no such file, -1 on error. */
static int read_whole(const char *path, char **data_r, size_t *len_r, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return errno == ENOENT
			   ? 0
			   : err_set(err, ERR_TEMP, "cannot open '%s': %s", path, strerror(errno));
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode) || sb.st_size > WEB_MAX_FILE) {
		close(fd);
		return err_set(err, ERR_INVALID, "'%s' is not a regular file of at most %d bytes",
			       path, WEB_MAX_FILE);
	}
	size_t len = (size_t)sb.st_size, got = 0;
	char *data = xmalloc(len + 1);
	while (got < len) {
		ssize_t r = read(fd, data + got, len - got);
		if (r <= 0) {
			if (r < 0 && errno == EINTR)
				continue;
			free(data);
			close(fd);
			return err_set(err, ERR_TEMP, "cannot read '%s': %s", path,
				       r < 0 ? strerror(errno) : "file shrank");
		}
		got += (size_t)r;
	}
	close(fd);
	data[len] = '\0';
	*data_r = data;
	*len_r = len;
	return 1;
}

static void file_release(struct web_file *f)
{
	free(f->name);
	free(f->data);
	free(f->gz);
	memset(f, 0, sizeof(*f));
}

/* Loads DIR/assets/name (known to be a hashed name) and its .gz sibling. */
static int load_asset(struct web_root *root, const char *dir, const char *name, const char *type,
		      struct err *err)
{
	if (root->nassets == WEB_MAX_FILES)
		return err_set(err, ERR_INVALID, "'%s/assets' has more than %d files", dir,
			       WEB_MAX_FILES);
	struct web_file *f = &root->assets[root->nassets];
	char path[4096];
	snprintf(path, sizeof(path), "%s/assets/%s", dir, name);
	int r = read_whole(path, &f->data, &f->len, err);
	if (r <= 0)
		return r; /* vanished since readdir(): skip it */
	f->name = xstrdup(name);
	f->type = type;
	root->nassets++;
	snprintf(path, sizeof(path), "%s/assets/%s.gz", dir, name);
	return read_whole(path, &f->gz, &f->gz_len, err) < 0 ? -1 : 0;
}

static int load_assets(struct web_root *root, const char *dir, struct err *err)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/assets", dir);
	DIR *d = opendir(path);
	if (!d)
		return errno == ENOENT
			   ? 0
			   : err_set(err, ERR_TEMP, "cannot read '%s': %s", path, strerror(errno));
	struct dirent *de;
	int r = 0;
	while (r == 0 && (de = readdir(d)) != NULL) {
		const char *type = asset_type(de->d_name);
		if (type)
			r = load_asset(root, dir, de->d_name, type, err);
	}
	closedir(d);
	return r;
}

int web_root_load(const char *dir, struct web_root **root_r, struct err *err)
{
	struct web_root *root = xcalloc(1, sizeof(*root));
	char path[4096];
	*root_r = NULL;
	if (strlen(dir) > sizeof(path) - 100) {
		free(root);
		return err_set(err, ERR_INVALID, "the web directory's name is too long");
	}
	snprintf(path, sizeof(path), "%s/index.html", dir);
	int r = read_whole(path, &root->index.data, &root->index.len, err);
	if (r == 1) {
		root->index.name = xstrdup("index.html");
		root->index.type = "text/html; charset=utf-8";
		r = load_assets(root, dir, err) < 0 ? -1 : 1;
	}
	if (r == 1)
		*root_r = root;
	else
		web_root_free(&root);
	return r;
}

void web_root_free(struct web_root **rootp)
{
	struct web_root *root = *rootp;
	if (!root)
		return;
	file_release(&root->index);
	for (size_t i = 0; i < root->nassets; i++)
		file_release(&root->assets[i]);
	free(root);
	*rootp = NULL;
}

size_t web_root_count(const struct web_root *root)
{
	return root ? root->nassets : 0;
}

/* True if the client's Accept-Encoding allows gzip (and does not set q=0). */
static bool accepts_gzip(const char *ae)
{
	for (const char *p = ae; p && *p;) {
		while (*p == ' ' || *p == ',')
			p++;
		size_t n = strcspn(p, ",;");
		const char *params = p + n, *next = strchr(p, ',');
		if (n >= 4 && strncasecmp(p, "gzip", 4) == 0 && (n == 4 || p[4] == ' ')) {
			const char *q = *params == ';' ? strstr(params, "q=") : NULL;
			if (!q || (next && q > next))
				return true;
			for (q += 2; *q == '0' || *q == '.'; q++)
				;
			return *q >= '1' && *q <= '9';
		}
		p = next;
	}
	return false;
}

static int send_file(struct req *rq, const struct web_file *f, const char *cache)
{
	bool gz = f->gz && accepts_gzip(req_header(rq, "Accept-Encoding"));
	rq->status = 200;
	rq->content_type = f->type;
	req_add_header(rq, "Cache-Control", cache);
	if (f->gz)
		req_add_header(rq, "Vary", "Accept-Encoding");
	if (gz)
		req_add_header(rq, "Content-Encoding", "gzip");
	buf_clear(&rq->resp);
	buf_append(&rq->resp, gz ? f->gz : f->data, gz ? f->gz_len : f->len);
	return 0;
}

static int send_index(struct req *rq)
{
	req_add_header(rq, "Content-Security-Policy", WEB_CSP);
	req_add_header(rq, "X-Frame-Options", "DENY");
	return send_file(rq, &rq->srv->web->index, "no-cache");
}

int h_web_index(struct req *rq)
{
	return rq->srv->web ? send_index(rq) : h_index(rq);
}

int h_web_asset(struct req *rq)
{
	const struct web_root *root = rq->srv->web;
	const char *name = rq->params[0];
	for (size_t i = 0; root && asset_type(name) && i < root->nassets; i++)
		if (strcmp(root->assets[i].name, name) == 0)
			return send_file(rq, &root->assets[i], WEB_IMMUTABLE);
	return err_set(&rq->err, ERR_NOTFOUND, "no such asset: '%s'", rq->path);
}

#define WEB_MAX_PAGE_PATH 1024

/* Paths that belong to the server, never to the UI (in any letter case): a
   miss there is a 404. */
static bool server_path(const char *path)
{
	static const char *const prefixes[] = {"/api",		 "/assets", "/healthz",
					       "/metrics",	 "/hooks",  "/unsubscribe",
					       "/calendar/feed", "/oauth"};
	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t n = strlen(prefixes[i]);
		if (strncasecmp(path, prefixes[i], n) == 0 && (path[n] == '/' || path[n] == '\0'))
			return true;
	}
	return false;
}

bool web_page_path(const struct server_state *s, const char *path)
{
	return s->web && strlen(path) <= WEB_MAX_PAGE_PATH && !server_path(path);
}

int h_web_app(struct req *rq)
{
	if (!web_page_path(rq->srv, rq->path))
		return err_set(&rq->err, ERR_NOTFOUND, "no such resource: '%s'", rq->path);
	return send_index(rq);
}
