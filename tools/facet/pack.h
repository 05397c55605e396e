/*
 * Writing the boot image (include/abi/manifest.h) from loaded VM configs and
 * persona packages: the FDT manifest (with the trust list, if any), then
 * every distinct kernel, initrd and package file once, each at a
 * MANIFEST_IMAGE_ALIGN-aligned offset.
 */
#ifndef FACET_TOOL_PACK_H
#define FACET_TOOL_PACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/manifest.h"
#include "config.h"
#include "diag.h"
#include "trust.h"

#define PACK_MAX_FILES (2 * MANIFEST_MAX_VMS)

struct pack_file {
	const char *path;
	uint64_t size;
	uint64_t offset; /* in the boot image */
};

/* Where everything goes: the manifest is built, the files are not read yet. */
struct pack_plan {
	void *manifest; /* FDT, manifest_size bytes, malloc'd */
	size_t manifest_size;
	struct pack_file files[PACK_MAX_FILES];
	size_t nfiles;
	uint64_t total_size; /* of the whole boot image */
};

/*
 * Whether path is a persona package rather than a text config: its name ends
 * in ".pkg" or it starts with PERSONA_MAGIC.
 */
bool pack_is_package(const char *path);

/*
 * Loads a persona package as a VM to pack: checks that it is one (its
 * header, layout and manifest, as persona_parse reads them; no signature or
 * hash, which are the hypervisor's to check) and takes its name, memory and
 * vcpus for the other checks and messages. With CONFIG_NO_RANGE_CHECK, a
 * package that does not parse is packed all the same (for tests of the
 * hypervisor's own checks), nameless. Returns 0, or -1 after adding a
 * message naming the file to d. vm must be freed with config_free either way.
 */
int pack_load_package(const char *path, unsigned flags, struct vm_spec *vm, struct diag *d);

/*
 * Lays out the boot image for n VMs (n <= MANIFEST_MAX_VMS) and the trust
 * list keys[nkeys] (nkeys <= MANIFEST_MAX_KEYS), and builds its manifest.
 * Files are told apart by device and inode, so one file named several
 * times, even by different paths, is stored once.
 * Returns 0, or -1 after adding messages to d. Free with pack_plan_free.
 */
int pack_plan(const struct vm_spec *vms, size_t n, const struct trust_key *keys, size_t nkeys,
	      struct pack_plan *plan, struct diag *d);

/*
 * Writes the planned boot image to out (through a temporary file renamed
 * into place). Returns 0, or -1 after adding messages to d.
 */
int pack_write(const struct pack_plan *plan, const char *out, struct diag *d);

void pack_plan_free(struct pack_plan *plan);

#endif
