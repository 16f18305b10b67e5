/* The command table and the dispatcher: `parley COMMAND [ARGS]`. */
#include <stdio.h>
#include <string.h>

#include "app.h"
#include "base/err.h"
#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/commands_smtp.h"
#include "base/banned.h"

enum cli_flags {
	CLI_STORE = 1 << 0,   /* opens the store before running */
	CLI_MIGRATE = 1 << 1, /* applies pending migrations first */
};

struct cli_cmd {
	const char *name;
	cli_fn *fn;
	unsigned flags;
	const char *summary; /* one line for `parley help` */
	const char *usage;   /* the synopsis and options for `parley help NAME` */
};

/*
 * Every command of parley. To add one: write cmd_<name>() in cmd_<name>.c,
 * declare it in commands.h and add a line here with its summary and usage
 * (a test checks that every command has both).
 */
/* A table, aligned by hand: clang-format leaves it alone. */
// clang-format off
static const struct cli_cmd commands[] = {
	{ "init", cmd_init, 0, "create the data directory, the store and the first admin",
	  "parley init [--demo] [--admin EMAIL] [--name NAME]\n"
	  "  Creates the data directory (store, secret key, blob folder) if missing,\n"
	  "  applies migrations, and with --admin (default admin@example.com when the\n"
	  "  store has no users) adds an admin with a generated password, printed once.\n"
	  "  --demo also loads the demo data." },
	{ "serve", cmd_serve, CLI_STORE | CLI_MIGRATE, "serve the web UI and the HTTP API",
	  "parley serve [--listen ADDR:PORT] [--web DIR]\n"
	  "  Serves on ADDR:PORT (default 127.0.0.1:8080) until SIGINT or SIGTERM.\n"
	  "  --web DIR (or $PARLEY_WEB) is the built web UI; by default web/dist if it\n"
	  "  is there, else only the API is served.\n"
	  "  Behind TLS, set $PARLEY_PUBLIC_URL=https://... (or list the proxies sending\n"
	  "  X-Forwarded-Proto: https in $PARLEY_TRUSTED_PROXIES, comma-separated\n"
	  "  addresses): cookies are then Secure." },
	{ "migrate", cmd_migrate, CLI_STORE, "apply pending schema migrations",
	  "parley migrate\n  Applies pending migrations and prints the schema version." },
	{ "user", cmd_user, CLI_STORE | CLI_MIGRATE, "add, list or reset users",
	  "parley user add EMAIL --name NAME --role admin|manager [--password-stdin]\n"
	  "parley user list\n"
	  "parley user passwd EMAIL [--password-stdin]\n"
	  "  Without --password-stdin a password is generated and printed once." },
	{ "token", cmd_token, CLI_STORE | CLI_MIGRATE, "create API tokens",
	  "parley token create EMAIL [--name NAME] [--expires DAYS]\n"
	  "  Prints a new API token for the user (send it as Authorization: Bearer TOKEN).\n"
	  "  --expires: it stops working after DAYS days (1 to 1830); by default never.\n"
	  "  List and revoke tokens with GET and DELETE /api/v1/tokens." },
	{ "demo", cmd_demo, CLI_STORE | CLI_MIGRATE, "load demo data",
	  "parley demo\n  Loads realistic demo data: companies, contacts, deals in every stage,\n"
	  "  orders, notes and tasks." },
	{ "import", cmd_import, CLI_STORE | CLI_MIGRATE, "import contacts from CSV",
	  "parley import contacts FILE.csv\n"
	  "  The first row names the columns. Any bad row changes nothing: every bad row\n"
	  "  is reported with its line and field." },
	{ "export", cmd_export, CLI_STORE | CLI_MIGRATE, "export contacts as CSV",
	  "parley export contacts\n  Writes every contact as CSV with a header row to stdout." },
	{ "account", cmd_account, CLI_STORE | CLI_MIGRATE, "connect mailboxes",
	  "parley account add NAME --email ADDR --imap URL --smtp URL [--user USER]\n"
	  "                   [--password-stdin] [--preset gmail|outlook] [--owner EMAIL | --shared]\n"
	  "parley account list\n"
	  "parley account remove NAME\n"
	  "  URLs: imap://HOST[:PORT] (STARTTLS; plain only on loopback), imaps://,\n"
	  "  smtp:// (STARTTLS), smtps://. The password is stored encrypted with the\n"
	  "  data directory's key." },
	{ "sync", cmd_sync, CLI_STORE | CLI_MIGRATE, "sync mailboxes over IMAP",
	  "parley sync [ACCOUNT] [--once]\n"
	  "  Syncs every enabled mail account (or only ACCOUNT): INBOX, Sent and Archive,\n"
	  "  newest first with progress, flags both ways, expunges, changes made in\n"
	  "  Parley. --once makes one pass and exits; otherwise it keeps running on IDLE\n"
	  "  until SIGINT or SIGTERM (parley serve does this too). TLS certificates are\n"
	  "  checked against the system's CAs, or the file in $PARLEY_CA_FILE." },
	{ "outbox", cmd_outbox, CLI_STORE | CLI_MIGRATE, "send queued mail",
	  "parley outbox run [--once]\n"
	  "parley outbox list\n"
	  "  run sends every due message (queued, deferred and scheduled) and, without\n"
	  "  --once, keeps going until SIGINT or SIGTERM (parley serve does this too).\n"
	  "  list prints the newest 200: id, status, attempts, the sending address,\n"
	  "  by:USER_ID (who caused the mail, '-' if unknown), subject and last error." },
	{ "search", cmd_search, CLI_STORE | CLI_MIGRATE, "search mail threads",
	  "parley search QUERY\n"
	  "  The query language: words, \"phrases\", from: to: cc: subject: has:attachment\n"
	  "  filename: is:unread is:flagged in:FOLDER account: before: after: contact:ID\n"
	  "  company:ID deal:ID, AND OR NOT, -, parentheses. Prints the threads as JSON." },
	{ "mustache", cmd_mustache, 0, "render a Mustache template (for template authors)",
	  "parley mustache render TEMPLATE_FILE --context CTX.json [--partials DIR]\n"
	  "  Prints the rendering. Partial NAME is read from DIR/NAME.mustache; '-' reads\n"
	  "  the template or the context from stdin." },
	{ "ics", cmd_ics, 0, "read an iCalendar file (JSON)",
	  "parley ics show FILE\n"
	  "  Prints what FILE says as JSON: method, and for each event uid, sequence,\n"
	  "  summary, status, start (UTC), tzid, location, organizer and attendees with\n"
	  "  their answers ('-' reads stdin)." },
	{ "mime", cmd_mime, 0, "parse and thread messages (JSON)",
	  "parley mime parse FILE\n"
	  "parley mime thread [--own ADDRESS]... FILE|DIR...\n"
	  "  parse prints the message as JSON (message_id, subject, from, to, cc, date,\n"
	  "  in_reply_to, references, text, html, attachments); thread prints the threads\n"
	  "  as nested arrays of Message-IDs. A DIR is read like a Maildir (cur/, new/).\n"
	  "  A message without references joins a thread by its subject only if it is\n"
	  "  a reply (\"Re:\" and the like) sharing a participant other than the\n"
	  "  mailbox's own addresses (--own, repeatable)." },
	{ "html", cmd_html, 0, "sanitise mail HTML or turn it into text",
	  "parley html sanitize FILE [--allow-remote]\n"
	  "parley html text FILE\n"
	  "  sanitize prints the HTML Parley would show (allowlisted elements and\n"
	  "  attributes only; remote images blocked unless --allow-remote); text prints\n"
	  "  the plain text used for previews and search. FILE may be '-'." },
	{ "smtp-send", cmd_smtp_send, 0, "send one message over SMTP (for debugging)",
	  "parley smtp-send URL --from ADDR --to ADDR [--to ADDR...] [--user USER\n"
	  "                 --password-stdin [--xoauth2]] [--ca FILE] [--helo NAME]\n"
	  "                 [--timeout SECONDS] FILE.eml\n"
	  "  Sends FILE (CRLF lines) to smtp://HOST[:PORT] (STARTTLS) or smtps://, prints\n"
	  "  {\"result\",\"code\",\"reply\",\"stage\",\"nrejected\"} and exits 0 when sent,\n"
	  "  75 on a temporary failure, 1 on a permanent one." },
	{ "version", cmd_version, 0, "print the version", "parley version" },
	{ "help", cmd_help, 0, "show help for a command", "parley help [COMMAND]" },
};
// clang-format on

#define NCOMMANDS (sizeof(commands) / sizeof(commands[0]))

/* err_code -> exit status: 1 for the caller's mistakes and failures alike,
   except a temporary failure (75, EX_TEMPFAIL) worth retrying. */
int cli_fail(const struct err *err)
{
	fprintf(stderr, "parley: %s\n", err->msg[0] ? err->msg : "unknown error");
	return err->code == ERR_TEMP ? 75 : 1;
}

static const struct cli_cmd *find(const char *name)
{
	for (size_t i = 0; i < NCOMMANDS; i++)
		if (strcmp(commands[i].name, name) == 0)
			return &commands[i];
	return NULL;
}

int cli_usage(const char *name)
{
	const struct cli_cmd *c = find(name);
	if (c)
		fprintf(stderr, "usage: %s\n", c->usage);
	return 2;
}

int cmd_help(struct app *app, int argc, char **argv)
{
	if (argc > 1) {
		const struct cli_cmd *c = find(argv[1]);
		if (!c) {
			fprintf(stderr, "parley: no command '%s' (see 'parley help')\n", argv[1]);
			return 2;
		}
		printf("%s\n\n%s\n", c->summary, c->usage);
		return 0;
	}
	printf("usage: parley [--data DIR] [--db URL] COMMAND [ARGS]\n\n"
	       "  --data DIR   the data directory (default ./var, or $PARLEY_DATA)\n"
	       "  --db URL     the store (default: sqlite:DIR/parley.db)\n\ncommands:\n");
	for (size_t i = 0; i < NCOMMANDS; i++)
		printf("  %-10s %s\n", commands[i].name, commands[i].summary);
	printf("\n'parley help COMMAND' shows a command's options.\n");
	return 0;
}

int cli_dispatch(struct app *app, int argc, char **argv)
{
	if (argc < 1)
		return cmd_help(app, 0, argv);
	const struct cli_cmd *c = find(argv[0]);
	if (!c) {
		fprintf(stderr, "parley: no command '%s' (see 'parley help')\n", argv[0]);
		return 2;
	}
	if (argc > 1 && (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0)) {
		char *help_argv[] = {"help", argv[0], NULL};
		return cmd_help(app, 2, help_argv);
	}
	struct err err = {0};
	if ((c->flags & CLI_STORE) && app_open_store(app, c->flags & CLI_MIGRATE, &err) < 0)
		return cli_fail(&err);
	return c->fn(app, argc, argv);
}
