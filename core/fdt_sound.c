/* See core/fdt_sound.h. */
#include <libfdt.h>
#include <string.h>

#include "core/fdt_sound.h"

/*
 * libfdt 1.6.1's fdt_next_tag adds a property's 32-bit length to a signed
 * offset without bounding it: a length near 4 GiB steps backwards, and
 * fdt_check_full then walks forever (found by tests/fuzz; later libfdt
 * bounds it). So the structure block is walked here first, and accepted only
 * if every tag steps forwards, stays inside the block and FDT_END ends it.
 * Tags and layout: Devicetree Specification 5.4.
 */
bool fdt_struct_block_is_sound(const void *blob)
{
	const uint8_t *fdt = blob;
	uint64_t pos = fdt_off_dt_struct(fdt);
	uint64_t end = pos + fdt_size_dt_struct(fdt);

	while (end - pos >= 4) {
		uint32_t tag = fdt32_ld((const fdt32_t *)(fdt + pos));
		const uint8_t *nul;
		uint32_t len;

		pos += 4;
		switch (tag) {
		case FDT_BEGIN_NODE: /* the name, NUL-terminated, padded to 4 bytes */
			nul = memchr(fdt + pos, '\0', (size_t)(end - pos));
			if (!nul)
				return false;
			pos = (uint64_t)(nul + 1 - fdt);
			break;
		case FDT_PROP: /* len, nameoff, then len bytes of value, padded */
			if (end - pos < 8)
				return false;
			len = fdt32_ld((const fdt32_t *)(fdt + pos));
			pos += 8;
			if (len > end - pos)
				return false;
			pos += len;
			break;
		case FDT_END_NODE:
		case FDT_NOP:
			break;
		case FDT_END:
			return true;
		default:
			return false;
		}
		pos = (pos + 3) & ~(uint64_t)3;
		if (pos > end)
			return false;
	}
	return false;
}

const char *fdt_sound(const void *fdt)
{
	/* Before 16: full paths as node names; 16: no size_dt_struct. Writers use 17. */
	if (fdt_version(fdt) < 17)
		return "device tree version is older than 17";
	if (fdt_off_mem_rsvmap(fdt) % 8 != 0 || fdt_off_dt_struct(fdt) % 4 != 0)
		return "device tree blocks are misaligned";
	if (!fdt_struct_block_is_sound(fdt))
		return "a tag or length runs outside the device tree's structure block";
	return NULL;
}
