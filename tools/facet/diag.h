/*
 * Collected error messages. Checks add one line per problem and carry on, so
 * that a user sees every mistake in a config at once; the caller decides
 * where the lines go (stderr for `facet check`, a "skipping" note for
 * `facet run`, assertions in the unit tests).
 */
#ifndef FACET_TOOL_DIAG_H
#define FACET_TOOL_DIAG_H

#include <stdio.h>

struct diag {
	char **msgs; /* each one line, without the newline */
	size_t count;
};

/* Adds a message. Out of memory ends the tool: nothing useful is left to do. */
void diag_add(struct diag *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Prints every message as "<prefix><message>\n". */
void diag_print(const struct diag *d, FILE *f, const char *prefix);

/* Forgets every message. */
void diag_clear(struct diag *d);

#endif
