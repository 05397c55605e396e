/* Collected error messages: see diag.h. */
#include <stdarg.h>
#include <stdlib.h>

#include "diag.h"

static void out_of_memory(void)
{
	fputs("facet: out of memory\n", stderr);
	exit(1);
}

void diag_add(struct diag *d, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	char **msgs;
	int len;

	va_start(ap, fmt);
	len = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (len < 0)
		out_of_memory();
	msg = malloc((size_t)len + 1);
	msgs = realloc(d->msgs, (d->count + 1) * sizeof(*msgs));
	if (!msg || !msgs)
		out_of_memory();
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)len + 1, fmt, ap);
	va_end(ap);
	d->msgs = msgs;
	d->msgs[d->count++] = msg;
}

void diag_print(const struct diag *d, FILE *f, const char *prefix)
{
	for (size_t i = 0; i < d->count; i++)
		fprintf(f, "%s%s\n", prefix, d->msgs[i]);
}

void diag_clear(struct diag *d)
{
	for (size_t i = 0; i < d->count; i++)
		free(d->msgs[i]);
	free(d->msgs);
	d->msgs = NULL;
	d->count = 0;
}
