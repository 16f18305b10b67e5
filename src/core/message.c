/* struct message helpers: problems and header lookup. */
#include <stdio.h>
#include <string.h>

#include "base/arena.h"
#include "base/str.h"
#include "core/message.h"
#include "base/banned.h"

struct message *message_new(struct arena *a)
{
	return arena_alloc(a, sizeof(struct message));
}

void message_add_problem(struct message *m, struct arena *a, const char *fmt, ...)
{
	m->malformed = true;
	if (m->nproblems >= MESSAGE_MAX_PROBLEMS) {
		m->nproblems_dropped++;
		return;
	}
	va_list ap;
	va_start(ap, fmt);
	char *text = arena_vprintf(a, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < m->nproblems; i++)
		if (strcmp(m->problems[i], text) == 0)
			return;
	/* The list stays short, so growing by copying is cheap enough. */
	char **p = arena_alloc(a, (m->nproblems + 1) * sizeof(*p));
	if (m->nproblems)
		memcpy(p, m->problems, m->nproblems * sizeof(*p));
	p[m->nproblems++] = text;
	m->problems = p;
}

const char *message_header(const struct message *m, const char *name)
{
	for (size_t i = 0; i < m->nheaders; i++)
		if (str_eq_ci(m->headers[i].name, name))
			return m->headers[i].value;
	return NULL;
}
