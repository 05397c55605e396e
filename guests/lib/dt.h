/*
 * What a guest learns from the device tree the loader passes in x0 (Linux
 * arm64 booting.rst): its RAM, its vCPUs' MPIDRs, the GIC windows and the
 * command line (/chosen/bootargs, copied because tests may overwrite the blob).
 */
#ifndef GUEST_DT_H
#define GUEST_DT_H

#include <abi/board.h>

#include "base.h"

#define DT_BOOTARGS_MAX 1024

struct dt_info {
	bool valid; /* a device tree was found and parsed */
	uint64_t ram_base, ram_size;
	unsigned ncpus;
	uint64_t mpidr[BOARD_MAX_VCPUS]; /* affinity fields only, by CPU index */
	uint64_t gicd_base, gicd_size;
	uint64_t gicr_base, gicr_size;
	char bootargs[DT_BOOTARGS_MAX];
};

extern struct dt_info dt;

/* Fills `dt`; falls back to board.h defaults (and says so) without a valid blob. */
void dt_parse(uintptr_t blob);
/* Finds "key=value" in the boot arguments; value is not NUL-terminated. */
bool dt_bootarg(const char *key, const char **val, size_t *len);
uint64_t dt_bootarg_u64(const char *key, uint64_t fallback);

#endif
