/* Reading a whole file, with errors that name it. */
#ifndef FACET_TOOL_FILEIO_H
#define FACET_TOOL_FILEIO_H

#include <stddef.h>
#include <stdint.h>

#include "diag.h"

/*
 * Reads the regular file path, at most max bytes (else "path: too_big").
 * Returns a malloc'd buffer of *size bytes plus a NUL after them, or NULL
 * with the reason added to d.
 */
uint8_t *file_read(const char *path, uint64_t max, const char *too_big, size_t *size,
		   struct diag *d);

#endif
