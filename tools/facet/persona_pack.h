/*
 * Making and signing persona packages (docs/persona-format.md). Packing and
 * signing are separate steps, so that signing can happen elsewhere (another
 * machine, an HSM): persona_pack_* writes a package with an empty signature
 * block, persona_pack_sign* fills it in.
 */
#ifndef FACET_TOOL_PERSONA_PACK_H
#define FACET_TOOL_PERSONA_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "core/persona.h"
#include "diag.h"
#include "persona_crypto.h"

/* What goes into a package's manifest. The caller has checked the values. */
struct persona_pack_spec {
	const char *name;
	enum persona_role role;
	const char *owner;
	uint64_t rollback_index;
	uint32_t memory_mib;
	uint32_t vcpus;
	uint32_t priority;
	const char *cmdline; /* NULL: none */
	const char *devices[PERSONA_MAX_DEVICES];
	size_t ndevices;
};

/*
 * Lays out and builds an unsigned package in memory from the images
 * (images[PERSONA_IMAGE_KERNEL] required; others with len 0 are left out).
 * *pkg is malloc'd (8-byte aligned). Returns 0, or -1 after adding messages to d.
 */
int persona_pack_build(const struct persona_pack_spec *spec,
		       const struct persona_span images[PERSONA_IMAGE_COUNT], uint8_t **pkg,
		       size_t *size, struct diag *d);

/*
 * The same from image files (paths[k] NULL: none), written to out through a
 * temporary file renamed into place.
 */
int persona_pack_write(const struct persona_pack_spec *spec,
		       const char *const paths[PERSONA_IMAGE_COUNT], const char *out,
		       struct diag *d);

/*
 * Signs the package in memory with key: fills its signature block, then
 * verifies the whole package with the key's public half (a package whose
 * images no longer match the manifest is not signed). what names the package
 * in messages. Returns 0, or -1 after adding messages to d.
 */
int persona_pack_sign_buf(uint8_t *pkg, size_t size, const struct persona_crypto_key *key,
			  const char *what, struct diag *d);

/* The same on a package file, whose signature block is rewritten in place. */
int persona_pack_sign(const char *path, const struct persona_crypto_key *key, struct diag *d);

/* Reads a whole file into a malloc'd (so 8-byte aligned) buffer. NULL after a message to d. */
uint8_t *persona_pack_read_file(const char *path, size_t *size, struct diag *d);

#endif
