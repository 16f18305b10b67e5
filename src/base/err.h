/* struct err: an error code and a message safe to show a user. */
#ifndef BASE_ERR_H
#define BASE_ERR_H

enum err_code {
	ERR_OK = 0,
	ERR_INVALID,   /* the caller's input is wrong: 400 */
	ERR_AUTH,      /* not logged in: 401 */
	ERR_FORBIDDEN, /* logged in, not allowed: 403 */
	ERR_NOTFOUND,  /* 404 */
	ERR_CONFLICT,  /* exists already, stale version, still referenced: 409 */
	ERR_TOOBIG,    /* over a named limit: 413 */
	ERR_LIMITED,   /* too many attempts, try again later: 429 */
	ERR_TEMP,      /* remote server or disk trouble, retry later: 503 */
	ERR_INTERNAL,  /* a bug or an unexpected failure: 500, details only in the log */
};

#define ERR_MSG_MAX   256
#define ERR_FIELD_MAX 64

struct err {
	enum err_code code;
	char msg[ERR_MSG_MAX];	   /* safe to show a user: "contact 42 not found" */
	char field[ERR_FIELD_MAX]; /* the input field at fault, or "" */
};

/* Sets err (which may be NULL) and returns -1, so callers can write
   return err_set(err, ...); */
int err_set(struct err *err, enum err_code code, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* The same, naming the input field at fault (a JSON field, a CSV column). */
int err_set_field(struct err *err, enum err_code code, const char *field, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* Clears err to ERR_OK. */
void err_clear(struct err *err);

/* A stable lower-case name for code: "invalid", "not_found", ... */
const char *err_code_name(enum err_code code);

#endif
