/*
 * VM config files (docs/config.md): one VM per file, `key = value` lines.
 * Loading a file checks everything that can be checked on the host: syntax,
 * keys, values, the files it names and whether kernel, initrd and device
 * tree fit in the VM's memory. Problems go to a struct diag, each naming the
 * file and the line or key.
 */
#ifndef FACET_TOOL_CONFIG_H
#define FACET_TOOL_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#include "abi/manifest.h"
#include "diag.h"

/* Default for the optional vcpus key. */
#define CONFIG_DEFAULT_VCPUS 1

/* Flags for config_load. */
enum {
	/* Keep memory and vcpus as written even if out of range, and skip the fit
	 * check: for boot images that test the hypervisor's own validation. */
	CONFIG_NO_RANGE_CHECK = 1u << 0,
};

struct vm_spec {
	char *source; /* the config file, as given */
	char name[MANIFEST_NAME_MAX + 1];
	char *kernel;  /* path, relative ones resolved against the config's directory */
	char *initrd;  /* likewise; NULL if none */
	char *cmdline; /* NULL if none */
	uint32_t memory_mib;
	uint32_t vcpus;
	uint64_t kernel_size, initrd_size; /* file sizes when loaded */
	/*
	 * A VM from a persona package (pack_load_package) instead of a config:
	 * the package file, stored whole. name, memory_mib and vcpus are then
	 * the package's own (read, not verified: the hypervisor does that), or
	 * empty for a package packed unread with CONFIG_NO_RANGE_CHECK; kernel,
	 * initrd and cmdline are NULL.
	 */
	char *package;
	uint64_t package_size;
	uint64_t min_rollback; /* the lowest rollback index the hypervisor accepts */
};

/*
 * Parses config text (len bytes, read from source) into vm, without looking
 * at the files it names. Returns 0, or -1 after adding messages to d.
 * vm must be freed with config_free either way.
 */
int config_parse(const char *source, const char *text, size_t len, unsigned flags,
		 struct vm_spec *vm, struct diag *d);

/*
 * Reads and parses the config file at path, then checks the kernel and
 * initrd files and the memory layout. Returns 0, or -1 after adding
 * messages to d. vm must be freed with config_free either way.
 */
int config_load(const char *path, unsigned flags, struct vm_spec *vm, struct diag *d);

/*
 * Checks vm against the n VMs accepted before it, in command-line order:
 * unique names (a package whose name is unknown has none to compare) and at
 * most MANIFEST_MAX_VMS VMs. Returns 0, or -1 after
 * adding a message to d.
 */
int config_check_set(const struct vm_spec *vm, const struct vm_spec *earlier, size_t n,
		     struct diag *d);

void config_free(struct vm_spec *vm);

#endif
