/*
 * Booting facet on QEMU's virt machine: the hypervisor image as -kernel, the
 * boot image as -initrd, the console on this terminal or pipe.
 */
#ifndef FACET_TOOL_RUN_H
#define FACET_TOOL_RUN_H

struct run_opts {
	unsigned smp;	       /* host CPUs QEMU emulates */
	const char *cpu;       /* -cpu model */
	unsigned long mem_mib; /* -m */
	unsigned timeout_sec;  /* 0: none */
	char **qemu_args;      /* appended as given */
	int nqemu_args;
};

/* Exit status of `facet run` when --timeout ends QEMU, as timeout(1) has it. */
#define RUN_TIMEOUT_STATUS 124

/*
 * Finds the hypervisor image: $FACET_BIN, else facet.bin next to this
 * program. Returns a malloc'd path, or NULL after printing why.
 */
char *run_find_facet_bin(void);

/*
 * Runs QEMU ($FACET_QEMU, else qemu-system-aarch64 on PATH) and waits for
 * it. Returns the exit status for `facet run`: QEMU's own, 128 + signal if
 * a signal ended it, RUN_TIMEOUT_STATUS on timeout, 127 if it cannot start.
 */
int run_qemu(const struct run_opts *o, const char *facet_bin, const char *boot_image);

#endif
