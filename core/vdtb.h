/*
 * The device tree facet generates for each VM: the virtual board of
 * include/abi/board.h described the way QEMU virt describes itself, so the
 * same kernel boots on both. Plain C on libfdt (sequential-write API).
 */
#ifndef FACET_CORE_VDTB_H
#define FACET_CORE_VDTB_H

#include <stddef.h>
#include <stdint.h>

struct vdtb_params {
	uint64_t ram_base, ram_size;    /* guest-physical */
	unsigned nr_vcpus;              /* 1..BOARD_MAX_VCPUS; MPIDR Aff0 = index */
	const char *cmdline;            /* /chosen/bootargs; may be NULL */
	uint64_t initrd_start, initrd_size; /* guest-physical; size 0 = none */
};

/* Writes the DTB into buf. Returns 0, or a negative libfdt error code. */
int vdtb_build(void *buf, size_t bufsize, const struct vdtb_params *p);

#endif
