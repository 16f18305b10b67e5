/* The mail search language: words, "phrases", field:value terms, AND / OR /
 * NOT, '-' and parentheses. Parsed into a tree here; the store turns the tree
 * into SQL and full-text queries. */
#ifndef CORE_MAIL_QUERY_H
#define CORE_MAIL_QUERY_H

#include <stdbool.h>
#include <stdint.h>

struct arena;
struct err;

#define MAIL_QUERY_MAX_LEN   2000
#define MAIL_QUERY_MAX_TERMS 50
#define MAIL_QUERY_MAX_DEPTH 20

enum mq_field {
	MQ_TEXT, /* a bare word or phrase: subject, body, participants, file names */
	MQ_FROM,
	MQ_TO,
	MQ_CC,
	MQ_SUBJECT,
	MQ_HAS, /* has:attachment */
	MQ_FILENAME,
	MQ_IS,	    /* is:unread, is:read, is:flagged, is:unflagged */
	MQ_IN,	    /* in:FOLDER (a name, or a special use: sent, drafts, trash...) */
	MQ_ACCOUNT, /* account:NAME-or-ID */
	MQ_BEFORE,  /* before:YYYY-MM-DD, or before:-7d (7 days before now) */
	MQ_AFTER,   /* after:YYYY-MM-DD, or after:-30d, after:-2w, after:today */
	MQ_CONTACT, /* contact:ID or contact:"Ada Lovelace" (number 0: a name) */
	MQ_COMPANY,
	MQ_DEAL,
};

enum mq_kind { MQ_AND, MQ_OR, MQ_NOT, MQ_TERM };

struct mq_node {
	enum mq_kind kind;
	struct mq_node *left, *right; /* AND, OR: both; NOT: left */
	enum mq_field field;	      /* MQ_TERM */
	char *value;		      /* MQ_TERM: the word or phrase, unquoted */
	bool phrase;
	int64_t number; /* dates (Unix seconds) and ids, parsed; 0 for a record's name */
};

/* Parses q into a tree allocated in a. An empty query gives *root_r = NULL
   (everything). Errors are ERR_INVALID "... at column N" with field "q". */
int mail_query_parse(const char *q, struct arena *a, struct mq_node **root_r, struct err *err);
/* The same with relative dates (after:-30d) counted back from now (Unix
   seconds) rather than the clock: mail_query_parse() passes time_now(). */
int mail_query_parse_at(const char *q, int64_t now, struct arena *a, struct mq_node **root_r,
			struct err *err);

/* The field's name as written in queries ("from"), for messages. */
const char *mail_query_field_name(enum mq_field f);

#endif
