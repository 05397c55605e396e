/*
 * Reading the boot-image manifest (include/abi/manifest.h). The same code
 * runs in the hypervisor, which validates every VM again before building it,
 * and in the host tool and unit tests. Plain C on libfdt: no system registers.
 */
#ifndef FACET_CORE_MANIFEST_H
#define FACET_CORE_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/manifest.h"
#include "core/persona.h"

struct vm_config {
	char name[MANIFEST_NAME_MAX + 1];
	uint32_t memory_mib;
	uint32_t vcpus;
	uint64_t kernel_offset, kernel_size;
	uint64_t initrd_offset, initrd_size; /* size 0: no initrd */
	const char *cmdline;                 /* points into the manifest; "" if none */
	const char *source;                  /* points into the manifest; "" if none */
	/*
	 * A package VM (a "package" property): only these and source are set;
	 * the rest comes from the package once it is verified.
	 */
	bool package;
	uint64_t package_offset, package_size;
	uint64_t min_rollback;
};

/*
 * Checks the manifest header of a boot image of image_size bytes.
 * Returns 0, or -1 with a message in err.
 */
int manifest_check(const void *image, size_t image_size, char *err, size_t errlen);

/*
 * Iterates the VM nodes: returns the FDT offset of the first (prev < 0) or
 * next VM node, or a negative value when there are no more.
 */
int manifest_next_vm(const void *image, int prev);

/*
 * Parses and validates one VM node: every property known and well formed,
 * the images inside the boot image of image_size bytes. Returns 0, or -1 with
 * a message naming the VM (or its node) and the problem in err.
 */
int manifest_parse_vm(const void *image, size_t image_size, int node, struct vm_config *out,
		      char *err, size_t errlen);

/*
 * Reads the trust list (/trust/key@N) into keys[max], as persona_verify takes
 * it; a key's label points into the manifest ("" if none). Returns the
 * number of keys (0 if there is no /trust node), or -1 with a message in err.
 */
int manifest_trust(const void *image, struct persona_trusted_key *keys, unsigned max, char *err,
		   size_t errlen);

#endif
