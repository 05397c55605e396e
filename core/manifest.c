/*
 * Reading the boot-image manifest (format: include/abi/manifest.h).
 *
 * The manifest comes from a file on the host, so nothing in it is trusted:
 * the whole structure block is checked once (fdt_check_full) before any walk,
 * every property is checked for its exact length before it is read, and every
 * image range is checked against the size of the boot image. A bad VM node
 * is refused with a message; it never stops the reader.
 *
 * Runs at EL2 (freestanding, picolibc) and on the host: only string.h,
 * snprintf and libfdt. 64-bit values print as unsigned long, which is 64 bits
 * on both (LP64).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "core/fdt_sound.h"

#include "abi/board.h"
#include "core/manifest.h"

/* The properties a VM node may have; a bit each, to catch unknown and repeated ones. */
enum vm_prop {
	VM_PROP_NAME,
	VM_PROP_MEMORY,
	VM_PROP_VCPUS,
	VM_PROP_KERNEL,
	VM_PROP_INITRD,
	VM_PROP_CMDLINE,
	VM_PROP_SOURCE,
	VM_PROP_COUNT,
};

static const struct {
	const char *name;
	bool required;
} vm_props[VM_PROP_COUNT] = {
    [VM_PROP_NAME] = {"name", true},	  [VM_PROP_MEMORY] = {"memory-mib", true},
    [VM_PROP_VCPUS] = {"vcpus", true},	  [VM_PROP_KERNEL] = {"kernel", true},
    [VM_PROP_INITRD] = {"initrd", false}, [VM_PROP_CMDLINE] = {"cmdline", false},
    [VM_PROP_SOURCE] = {"source", false},
};

/* Limit for the source property: it only ever holds a path for messages. */
#define MANIFEST_SOURCE_MAX 4096

int manifest_check(const void *image, size_t image_size, char *err, size_t errlen)
{
	int rc, root, len;
	const void *prop;

	if (image_size < sizeof(struct fdt_header)) {
		snprintf(err, errlen, "boot image: %lu bytes is too small to hold a manifest",
			 (unsigned long)image_size);
		return -1;
	}
	rc = fdt_check_header(image);
	if (rc < 0) {
		snprintf(err, errlen, "boot image: manifest is not a device tree: %s",
			 fdt_strerror(rc));
		return -1;
	}
	if (fdt_totalsize(image) > image_size) {
		snprintf(err, errlen,
			 "boot image: manifest claims %lu bytes but the boot image has only %lu",
			 (unsigned long)fdt_totalsize(image), (unsigned long)image_size);
		return -1;
	}
	const char *unsound = fdt_sound(image);
	if (unsound) {
		snprintf(err, errlen, "boot image: manifest is damaged: %s", unsound);
		return -1;
	}
	/* Walks below assume a sound structure block: check all of it now. */
	rc = fdt_check_full(image, fdt_totalsize(image));
	if (rc < 0) {
		snprintf(err, errlen, "boot image: manifest is damaged: %s", fdt_strerror(rc));
		return -1;
	}

	root = fdt_path_offset(image, "/");
	prop = fdt_getprop(image, root, "compatible", &len);
	if (!prop || len <= 0 || memchr(prop, '\0', (size_t)len) == NULL) {
		snprintf(err, errlen, "boot image: manifest has no compatible string");
		return -1;
	}
	/* A single string, exactly ours: no list of fallbacks is defined. */
	if ((size_t)len != sizeof(MANIFEST_COMPATIBLE) ||
	    memcmp(prop, MANIFEST_COMPATIBLE, sizeof(MANIFEST_COMPATIBLE)) != 0) {
		snprintf(err, errlen, "boot image: manifest is compatible with '%s', not '%s'",
			 (const char *)prop, MANIFEST_COMPATIBLE);
		return -1;
	}

	prop = fdt_getprop(image, root, "facet,format-version", &len);
	if (!prop || len != (int)sizeof(fdt32_t)) {
		snprintf(err, errlen, "boot image: manifest has no facet,format-version cell");
		return -1;
	}
	if (fdt32_ld(prop) != MANIFEST_FORMAT_VERSION) {
		snprintf(err, errlen,
			 "boot image: manifest format version %lu is not known (%d is)",
			 (unsigned long)fdt32_ld(prop), MANIFEST_FORMAT_VERSION);
		return -1;
	}

	if (fdt_subnode_offset(image, root, "vms") < 0) {
		snprintf(err, errlen, "boot image: manifest has no /vms node");
		return -1;
	}
	return 0;
}

int manifest_next_vm(const void *image, int prev)
{
	if (prev < 0) {
		int vms = fdt_path_offset(image, "/vms");

		return vms < 0 ? vms : fdt_first_subnode(image, vms);
	}
	return fdt_next_subnode(image, prev);
}

/* 1..MANIFEST_NAME_MAX characters of [A-Za-z0-9_-], as include/abi/manifest.h says. */
static bool name_is_valid(const char *name, size_t len)
{
	if (len < 1 || len > MANIFEST_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
			  (c >= '0' && c <= '9') || c == '_' || c == '-';
		if (!ok)
			return false;
	}
	return true;
}

/* A string property: one NUL-terminated string, no embedded NUL, at most max bytes with it. */
static bool prop_is_string(const void *val, int len, size_t max)
{
	return len > 0 && (size_t)len <= max &&
	       memchr(val, '\0', (size_t)len) == (const char *)val + len - 1;
}

/*
 * An image property: <offset-hi offset-lo size-hi size-lo>. The range must
 * lie after the manifest, inside the boot image, at an aligned offset.
 */
static int parse_image(const void *image, size_t image_size, const char *label, const char *what,
		       const void *val, int len, uint64_t *offset, uint64_t *size, char *err,
		       size_t errlen)
{
	const fdt32_t *cell = val;
	uint64_t off, sz;

	if (len != 4 * (int)sizeof(fdt32_t)) {
		snprintf(err, errlen, "%s: %s is %d bytes, not 4 cells <offset size>", label, what,
			 len);
		return -1;
	}
	off = (uint64_t)fdt32_ld(&cell[0]) << 32 | fdt32_ld(&cell[1]);
	sz = (uint64_t)fdt32_ld(&cell[2]) << 32 | fdt32_ld(&cell[3]);

	if (sz == 0) {
		snprintf(err, errlen, "%s: %s is empty", label, what);
		return -1;
	}
	if (off % MANIFEST_IMAGE_ALIGN != 0) {
		snprintf(err, errlen, "%s: %s offset 0x%lx is not %lu-byte aligned", label, what,
			 (unsigned long)off, MANIFEST_IMAGE_ALIGN);
		return -1;
	}
	if (off < fdt_totalsize(image)) {
		snprintf(err, errlen, "%s: %s at offset 0x%lx overlaps the manifest (0x%lx bytes)",
			 label, what, (unsigned long)off, (unsigned long)fdt_totalsize(image));
		return -1;
	}
	if (off > image_size || sz > image_size - off) {
		snprintf(err, errlen,
			 "%s: %s at 0x%lx+0x%lx runs past the end of the boot image (0x%lx bytes)",
			 label, what, (unsigned long)off, (unsigned long)sz,
			 (unsigned long)image_size);
		return -1;
	}
	*offset = off;
	*size = sz;
	return 0;
}

static int parse_u32_range(const char *label, const char *what, const void *val, int len,
			   uint32_t min, uint32_t max, uint32_t *out, char *err, size_t errlen)
{
	uint32_t v;

	if (len != (int)sizeof(fdt32_t)) {
		snprintf(err, errlen, "%s: %s is %d bytes, not one cell", label, what, len);
		return -1;
	}
	v = fdt32_ld(val);
	if (v < min || v > max) {
		snprintf(err, errlen, "%s: %s = %lu is out of range %lu..%lu", label, what,
			 (unsigned long)v, (unsigned long)min, (unsigned long)max);
		return -1;
	}
	*out = v;
	return 0;
}

int manifest_parse_vm(const void *image, size_t image_size, int node, struct vm_config *out,
		      char *err, size_t errlen)
{
	/* Messages say "vm 'work'" once the name is known to be good, else the node name. */
	char label[64];
	const char *node_name;
	const void *vals[VM_PROP_COUNT] = {0};
	int lens[VM_PROP_COUNT] = {0};
	unsigned seen = 0;
	int prop, len;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	out->source = "";

	node_name = fdt_get_name(image, node, &len);
	if (!node_name) {
		snprintf(err, errlen, "boot image: bad VM node offset %d", node);
		return -1;
	}
	snprintf(label, sizeof(label), "%.*s", len, node_name);
	if (strncmp(node_name, "vm@", 3) != 0) {
		snprintf(err, errlen, "/vms/%s: not a vm@N node", label);
		return -1;
	}

	/* Collect the properties, refusing unknown and repeated ones. */
	fdt_for_each_property_offset(prop, image, node)
	{
		const char *pname;
		const void *val = fdt_getprop_by_offset(image, prop, &pname, &len);
		int i;

		if (!val) {
			snprintf(err, errlen, "%s: unreadable property: %s", label,
				 fdt_strerror(len));
			return -1;
		}
		for (i = 0; i < VM_PROP_COUNT; i++)
			if (strcmp(pname, vm_props[i].name) == 0)
				break;
		if (i == VM_PROP_COUNT) {
			snprintf(err, errlen, "%s: unknown property '%s'", label, pname);
			return -1;
		}
		if (seen & (1u << i)) {
			snprintf(err, errlen, "%s: property '%s' appears twice", label, pname);
			return -1;
		}
		seen |= 1u << i;
		vals[i] = val;
		lens[i] = len;
	}
	if (prop != -FDT_ERR_NOTFOUND) {
		snprintf(err, errlen, "%s: bad property list: %s", label, fdt_strerror(prop));
		return -1;
	}

	/* The name first, so that every later message can use it. */
	if (vals[VM_PROP_NAME]) {
		const char *name = vals[VM_PROP_NAME];

		if (!prop_is_string(name, lens[VM_PROP_NAME], MANIFEST_NAME_MAX + 1) ||
		    !name_is_valid(name, (size_t)lens[VM_PROP_NAME] - 1)) {
			snprintf(err, errlen, "%s: name is not 1..%d characters of [A-Za-z0-9_-]",
				 label, MANIFEST_NAME_MAX);
			return -1;
		}
		memcpy(out->name, name, (size_t)lens[VM_PROP_NAME]);
		snprintf(label, sizeof(label), "vm '%s'", out->name);
	}
	for (int i = 0; i < VM_PROP_COUNT; i++) {
		if (vm_props[i].required && !(seen & (1u << i))) {
			snprintf(err, errlen, "%s: required property '%s' is missing", label,
				 vm_props[i].name);
			return -1;
		}
	}

	if (parse_u32_range(label, "memory-mib", vals[VM_PROP_MEMORY], lens[VM_PROP_MEMORY], 1,
			    MANIFEST_MAX_MEMORY_MIB, &out->memory_mib, err, errlen) < 0)
		return -1;
	if (parse_u32_range(label, "vcpus", vals[VM_PROP_VCPUS], lens[VM_PROP_VCPUS], 1,
			    BOARD_MAX_VCPUS, &out->vcpus, err, errlen) < 0)
		return -1;
	if (parse_image(image, image_size, label, "kernel", vals[VM_PROP_KERNEL],
			lens[VM_PROP_KERNEL], &out->kernel_offset, &out->kernel_size, err,
			errlen) < 0)
		return -1;
	if (vals[VM_PROP_INITRD] &&
	    parse_image(image, image_size, label, "initrd", vals[VM_PROP_INITRD],
			lens[VM_PROP_INITRD], &out->initrd_offset, &out->initrd_size, err,
			errlen) < 0)
		return -1;
	if (vals[VM_PROP_CMDLINE]) {
		if (!prop_is_string(vals[VM_PROP_CMDLINE], lens[VM_PROP_CMDLINE],
				    MANIFEST_CMDLINE_MAX)) {
			snprintf(err, errlen, "%s: cmdline is not a string of at most %d bytes",
				 label, MANIFEST_CMDLINE_MAX - 1);
			return -1;
		}
		out->cmdline = vals[VM_PROP_CMDLINE];
	}
	if (vals[VM_PROP_SOURCE]) {
		if (!prop_is_string(vals[VM_PROP_SOURCE], lens[VM_PROP_SOURCE],
				    MANIFEST_SOURCE_MAX)) {
			snprintf(err, errlen, "%s: source is not a string of at most %d bytes",
				 label, MANIFEST_SOURCE_MAX - 1);
			return -1;
		}
		out->source = vals[VM_PROP_SOURCE];
	}
	return 0;
}
