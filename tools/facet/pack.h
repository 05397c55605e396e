/*
 * Writing the boot image (include/abi/manifest.h) from loaded VM configs:
 * the FDT manifest, then every distinct kernel and initrd file once, each at
 * a MANIFEST_IMAGE_ALIGN-aligned offset.
 */
#ifndef FACET_TOOL_PACK_H
#define FACET_TOOL_PACK_H

#include <stddef.h>
#include <stdint.h>

#include "abi/manifest.h"
#include "config.h"
#include "diag.h"

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
 * Lays out the boot image for n VMs (n <= MANIFEST_MAX_VMS) and builds its
 * manifest. Files are told apart by device and inode, so one file named by
 * several configs, even by different paths, is stored once.
 * Returns 0, or -1 after adding messages to d. Free with pack_plan_free.
 */
int pack_plan(const struct vm_spec *vms, size_t n, struct pack_plan *plan, struct diag *d);

/*
 * Writes the planned boot image to out (through a temporary file renamed
 * into place). Returns 0, or -1 after adding messages to d.
 */
int pack_write(const struct pack_plan *plan, const char *out, struct diag *d);

void pack_plan_free(struct pack_plan *plan);

#endif
