/* See core/fdt_sound.h. */
#include <libfdt.h>
#include <stdio.h>
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

int fdt_sound(const void *fdt, size_t size, bool exact, char *why, size_t len)
{
	static const char damaged[] = "manifest is damaged: ";
	int rc = fdt_check_header(fdt);

	if (rc < 0)
		snprintf(why, len, "manifest is not a device tree: %s", fdt_strerror(rc));
	else if (exact ? fdt_totalsize(fdt) != size : fdt_totalsize(fdt) > size)
		snprintf(why, len, "manifest claims %u bytes, its region has %lu",
			 fdt_totalsize(fdt), (unsigned long)size);
	/*
	 * Before 16: full paths as node names; 16: no size_dt_struct. Writers
	 * use 17, and libfdt 1.6.1's fdt_check_full dereferences NULL on some
	 * older trees (found by tests/fuzz).
	 */
	else if (fdt_version(fdt) < 17)
		snprintf(why, len, "%sdevice tree version %u is older than 17", damaged,
			 fdt_version(fdt));
	/* Devicetree Spec 5.1: reservation block 8-byte aligned, structure block 4-byte. */
	else if (fdt_off_mem_rsvmap(fdt) % 8 != 0 || fdt_off_dt_struct(fdt) % 4 != 0)
		snprintf(why, len,
			 "%sdevice tree blocks are misaligned (reservation block at %u, structure "
			 "block at %u)",
			 damaged, fdt_off_mem_rsvmap(fdt), fdt_off_dt_struct(fdt));
	else if (!fdt_struct_block_is_sound(fdt))
		snprintf(why, len,
			 "%sa tag or length runs outside the device tree's structure block",
			 damaged);
	/* The walks that follow assume a sound structure block: check all of it now. */
	else if ((rc = fdt_check_full(fdt, fdt_totalsize(fdt))) < 0)
		snprintf(why, len, "%s%s", damaged, fdt_strerror(rc));
	else
		return 0;
	return -1;
}

bool fdt_is_string(const void *val, int len, size_t max)
{
	return len > 0 && (size_t)len <= max &&
	       memchr(val, '\0', (size_t)len) == (const char *)val + len - 1;
}

int fdt_u32_in(const char *what, const void *val, int vlen, uint32_t min, uint32_t max,
	       uint32_t *out, char *why, size_t len)
{
	uint32_t v;

	if (vlen != (int)sizeof(fdt32_t))
		snprintf(why, len, "%s is %d bytes, not one cell", what, vlen);
	else if ((v = fdt32_ld(val)) < min || v > max)
		snprintf(why, len, "%s = %u is out of range %u..%u", what, v, min, max);
	else {
		*out = v;
		return 0;
	}
	return -1;
}

bool fdt_is_name(const char *s)
{
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') ||
		      (*s >= '0' && *s <= '9') || *s == '_' || *s == '-'))
			return false;
	return true;
}

enum fdt_entries_err fdt_entries(const void *fdt, int node, bool subnodes, const char *const *names,
				 int n, uint32_t required, const char *fatal, struct fdt_entries *e)
{
	const char *what = subnodes ? "node" : "property";
	int off;

	memset(e, 0, sizeof(*e));
	for (off = subnodes ? fdt_first_subnode(fdt, node) : fdt_first_property_offset(fdt, node);
	     off >= 0;
	     off = subnodes ? fdt_next_subnode(fdt, off) : fdt_next_property_offset(fdt, off)) {
		const char *name;
		const void *val;
		int len, i;

		if (subnodes) {
			val = name = fdt_get_name(fdt, off, &len);
			len = name ? off : len;
		} else {
			val = fdt_getprop_by_offset(fdt, off, &name, &len);
		}
		if (!val) {
			snprintf(e->why, sizeof(e->why), "unreadable %s: %s", what,
				 fdt_strerror(len));
			return FDT_ENTRIES_UNREADABLE;
		}
		for (i = 0; i < n; i++)
			if (strcmp(name, names[i]) == 0)
				break;
		if (i == n) {
			if (strncmp(name, fatal, strlen(fatal)) != 0)
				continue;
			snprintf(e->why, sizeof(e->why), "unknown %s%s '%s'",
				 fatal[0] ? "critical " : "", what, name);
			return FDT_ENTRIES_UNKNOWN;
		}
		if (e->seen & (1u << i)) {
			snprintf(e->why, sizeof(e->why), "%s '%s' appears twice", what, name);
			return FDT_ENTRIES_TWICE;
		}
		e->seen |= 1u << i;
		e->val[i] = val;
		e->len[i] = len;
	}
	if (off != -FDT_ERR_NOTFOUND) {
		snprintf(e->why, sizeof(e->why), "bad %s list: %s", what, fdt_strerror(off));
		return FDT_ENTRIES_BAD_LIST;
	}
	required &= ~e->seen;
	if (required) {
		snprintf(e->why, sizeof(e->why), "required %s '%s' is missing", what,
			 names[__builtin_ctz(required)]);
		return FDT_ENTRIES_MISSING;
	}
	return FDT_ENTRIES_OK;
}
