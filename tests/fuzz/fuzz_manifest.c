/*
 * libFuzzer target for the boot-image reader the hypervisor runs at boot
 * (core/manifest.c): manifest_check, then every VM node through
 * manifest_parse_vm and the trust list through manifest_trust, on arbitrary
 * bytes. What the reader accepts is checked against what it promises: every
 * image or package range inside the input. Seeds: tests/fuzz/manifest-corpus.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/manifest.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void within(uint64_t off, uint64_t len, size_t size)
{
	if (off > size || len > size - off)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[200];
	/* The hypervisor reads the boot image where QEMU put it: page aligned. */
	uint8_t *image = aligned_alloc(4096, size ? (size + 4095) & ~(size_t)4095 : 4096);
	if (!image)
		return 0;
	memcpy(image, data, size);
	if (manifest_check(image, size, err, sizeof(err)) == 0) {
		struct persona_trusted_key keys[MANIFEST_MAX_KEYS];
		int n = manifest_trust(image, keys, MANIFEST_MAX_KEYS, err, sizeof(err));
		if (n > MANIFEST_MAX_KEYS)
			abort();
		unsigned vms = 0;
		for (int node = manifest_next_vm(image, -1); node >= 0 && vms < 64;
		     node = manifest_next_vm(image, node), vms++) {
			struct vm_config c;
			if (manifest_parse_vm(image, size, node, &c, err, sizeof(err)))
				continue;
			if (c.package) {
				within(c.package_offset, c.package_size, size);
			} else {
				within(c.kernel_offset, c.kernel_size, size);
				within(c.initrd_offset, c.initrd_size, size);
				if (strlen(c.cmdline) >= MANIFEST_CMDLINE_MAX)
					abort();
			}
		}
	}
	free(image);
	return 0;
}
