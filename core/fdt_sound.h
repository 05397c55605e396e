/*
 * Checks that make an untrusted flattened device tree safe to hand to
 * libfdt 1.6.1 (Debian 12), whose fdt_check_full dereferences NULL on trees
 * older than version 17 and walks forever on a property length near 4 GiB
 * (both found by tests/fuzz). Every blob that comes from outside the
 * hypervisor (boot-image manifest, persona manifest) passes here first.
 */
#ifndef FACET_CORE_FDT_SOUND_H
#define FACET_CORE_FDT_SOUND_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The header's version is at least 17, its blocks are aligned
 * (Devicetree Spec 5.1), and its structure block walks forwards to FDT_END
 * without leaving the block (5.4). Returns NULL, or what is wrong.
 */
const char *fdt_sound(const void *fdt);
/* The structure-block walk alone. */
bool fdt_struct_block_is_sound(const void *fdt);

#endif
