/*
 * Reading the boot-image manifest (format: include/abi/manifest.h).
 *
 * The manifest comes from a file on the host, so nothing in it is trusted:
 * the whole structure block is checked once (fdt_check_full) before any walk,
 * every property is checked for its exact length before it is read, and every
 * image range is checked against the size of the boot image. A bad VM node
 * is refused with a message; it never stops the reader. The trust list is
 * checked as strictly: a key entry with anything unexpected in it is an
 * error, never skipped.
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
#include "abi/persona.h"
#include "core/manifest.h"

/*
 * The properties a VM node may have; a bit each, to catch unknown and
 * repeated ones. A node describes a VM either by its images (a "config"
 * node, from a text config) or by a persona package; the masks below say
 * which properties each kind requires and allows.
 */
enum vm_prop {
	VM_PROP_NAME,
	VM_PROP_MEMORY,
	VM_PROP_VCPUS,
	VM_PROP_KERNEL,
	VM_PROP_INITRD,
	VM_PROP_CMDLINE,
	VM_PROP_SOURCE,
	VM_PROP_PACKAGE,
	VM_PROP_MIN_ROLLBACK,
	VM_PROP_COUNT,
};

static const char *const vm_props[VM_PROP_COUNT] = {
    [VM_PROP_NAME] = "name",
    [VM_PROP_MEMORY] = "memory-mib",
    [VM_PROP_VCPUS] = "vcpus",
    [VM_PROP_KERNEL] = "kernel",
    [VM_PROP_INITRD] = "initrd",
    [VM_PROP_CMDLINE] = "cmdline",
    [VM_PROP_SOURCE] = "source",
    [VM_PROP_PACKAGE] = "package",
    [VM_PROP_MIN_ROLLBACK] = "min-rollback",
};

#define PROP_BIT(p) (1u << (p))

/* Checked in enum order, so a missing name is reported before a missing kernel. */
static const unsigned config_required = PROP_BIT(VM_PROP_NAME) | PROP_BIT(VM_PROP_MEMORY) |
					PROP_BIT(VM_PROP_VCPUS) | PROP_BIT(VM_PROP_KERNEL);
static const unsigned config_allowed = config_required | PROP_BIT(VM_PROP_INITRD) |
				       PROP_BIT(VM_PROP_CMDLINE) | PROP_BIT(VM_PROP_SOURCE);
/* The package's own signed manifest says everything else. */
static const unsigned package_allowed =
    PROP_BIT(VM_PROP_PACKAGE) | PROP_BIT(VM_PROP_MIN_ROLLBACK) | PROP_BIT(VM_PROP_SOURCE);

/* The properties of a trust-list key node. */
enum key_prop {
	KEY_PROP_PUBLIC_KEY,
	KEY_PROP_ROLES,
	KEY_PROP_LABEL,
	KEY_PROP_COUNT,
};

static const char *const key_props[KEY_PROP_COUNT] = {
    [KEY_PROP_PUBLIC_KEY] = "public-key",
    [KEY_PROP_ROLES] = "roles",
    [KEY_PROP_LABEL] = "label",
};

_Static_assert(sizeof(((struct manifest_key *)0)->pubkey) == PERSONA_PUBKEY_SIZE,
	       "a trust-list key is one uncompressed P-256 point");

/* Limit for a key's label, with its NUL: a file's base name (NAME_MAX 255) fits. */
#define MANIFEST_LABEL_MAX 256

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

/*
 * Collects the properties of node into vals/lens (indexed as names), refusing
 * unknown and repeated ones. label names the node in messages.
 */
static int collect_props(const void *image, int node, const char *label, const char *const *names,
			 int count, const void **vals, int *lens, unsigned *seen, char *err,
			 size_t errlen)
{
	int prop, len;

	*seen = 0;
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
		for (i = 0; i < count; i++)
			if (strcmp(pname, names[i]) == 0)
				break;
		if (i == count) {
			snprintf(err, errlen, "%s: unknown property '%s'", label, pname);
			return -1;
		}
		if (*seen & PROP_BIT(i)) {
			snprintf(err, errlen, "%s: property '%s' appears twice", label, pname);
			return -1;
		}
		*seen |= PROP_BIT(i);
		vals[i] = val;
		lens[i] = len;
	}
	if (prop != -FDT_ERR_NOTFOUND) {
		snprintf(err, errlen, "%s: bad property list: %s", label, fdt_strerror(prop));
		return -1;
	}
	return 0;
}

/* The first property of seen that allowed does not include; -1 if none. */
static int first_outside(unsigned seen, unsigned allowed)
{
	for (int i = 0; i < VM_PROP_COUNT; i++)
		if ((seen & PROP_BIT(i)) && !(allowed & PROP_BIT(i)))
			return i;
	return -1;
}

static int parse_source(const char *label, const void *const *vals, const int *lens,
			struct vm_config *out, char *err, size_t errlen)
{
	if (!vals[VM_PROP_SOURCE])
		return 0;
	if (!prop_is_string(vals[VM_PROP_SOURCE], lens[VM_PROP_SOURCE], MANIFEST_SOURCE_MAX)) {
		snprintf(err, errlen, "%s: source is not a string of at most %d bytes", label,
			 MANIFEST_SOURCE_MAX - 1);
		return -1;
	}
	out->source = vals[VM_PROP_SOURCE];
	return 0;
}

/*
 * A package node: the package range, the rollback floor and the source.
 * Messages name the node and its source ("vm@2 (work.pkg)"): the VM's name is
 * in the package, which is not read here.
 */
static int parse_package_vm(const void *image, size_t image_size, const char *node_label,
			    const void *const *vals, const int *lens, unsigned seen,
			    struct vm_config *out, char *err, size_t errlen)
{
	char label[160];
	int bad;

	if (parse_source(node_label, vals, lens, out, err, errlen) < 0)
		return -1;
	if (out->source[0])
		snprintf(label, sizeof(label), "%s (%s)", node_label, out->source);
	else
		snprintf(label, sizeof(label), "%s", node_label);

	bad = first_outside(seen, package_allowed);
	if (bad >= 0) {
		snprintf(err, errlen,
			 "%s: property '%s' is not allowed in a package node (the package says it)",
			 label, vm_props[bad]);
		return -1;
	}
	out->package = true;
	if (parse_image(image, image_size, label, "package", vals[VM_PROP_PACKAGE],
			lens[VM_PROP_PACKAGE], &out->package_offset, &out->package_size, err,
			errlen) < 0)
		return -1;
	if (vals[VM_PROP_MIN_ROLLBACK]) {
		const fdt32_t *cell = vals[VM_PROP_MIN_ROLLBACK];

		if (lens[VM_PROP_MIN_ROLLBACK] != 2 * (int)sizeof(fdt32_t)) {
			snprintf(err, errlen, "%s: min-rollback is %d bytes, not 2 cells", label,
				 lens[VM_PROP_MIN_ROLLBACK]);
			return -1;
		}
		out->min_rollback = (uint64_t)fdt32_ld(&cell[0]) << 32 | fdt32_ld(&cell[1]);
	}
	return 0;
}

/* A config node: every property of the VM, its images in the boot image. */
static int parse_config_vm(const void *image, size_t image_size, const char *node_label,
			   const void *const *vals, const int *lens, unsigned seen,
			   struct vm_config *out, char *err, size_t errlen)
{
	/* Messages say "vm 'work'" once the name is known to be good, else the node name. */
	char label[64];
	int bad;

	snprintf(label, sizeof(label), "%s", node_label);
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
	if (!(seen & PROP_BIT(VM_PROP_KERNEL))) {
		snprintf(err, errlen, "%s: has neither 'kernel' nor 'package'", label);
		return -1;
	}
	bad = first_outside(seen, config_allowed);
	if (bad >= 0) {
		snprintf(err, errlen, "%s: property '%s' is only allowed in a package node", label,
			 vm_props[bad]);
		return -1;
	}
	for (int i = 0; i < VM_PROP_COUNT; i++) {
		if ((config_required & PROP_BIT(i)) && !(seen & PROP_BIT(i))) {
			snprintf(err, errlen, "%s: required property '%s' is missing", label,
				 vm_props[i]);
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
	return parse_source(label, vals, lens, out, err, errlen);
}

int manifest_parse_vm(const void *image, size_t image_size, int node, struct vm_config *out,
		      char *err, size_t errlen)
{
	char label[64];
	const char *node_name;
	const void *vals[VM_PROP_COUNT] = {0};
	int lens[VM_PROP_COUNT] = {0};
	unsigned seen;
	int len;

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
	if (collect_props(image, node, label, vm_props, VM_PROP_COUNT, vals, lens, &seen, err,
			  errlen) < 0)
		return -1;

	if ((seen & PROP_BIT(VM_PROP_KERNEL)) && (seen & PROP_BIT(VM_PROP_PACKAGE))) {
		snprintf(err, errlen, "%s: has both 'kernel' and 'package'", label);
		return -1;
	}
	if (seen & PROP_BIT(VM_PROP_PACKAGE))
		return parse_package_vm(image, image_size, label, vals, lens, seen, out, err,
					errlen);
	return parse_config_vm(image, image_size, label, vals, lens, seen, out, err, errlen);
}

/* One /trust/key@N node into key. label names it in messages. */
static int parse_key(const void *image, int node, const char *label, struct manifest_key *key,
		     char *err, size_t errlen)
{
	const void *vals[KEY_PROP_COUNT] = {0};
	int lens[KEY_PROP_COUNT] = {0};
	const uint8_t *pub;
	uint32_t roles;
	unsigned seen;

	if (collect_props(image, node, label, key_props, KEY_PROP_COUNT, vals, lens, &seen, err,
			  errlen) < 0)
		return -1;
	for (int i = KEY_PROP_PUBLIC_KEY; i <= KEY_PROP_ROLES; i++) {
		if (!(seen & PROP_BIT(i))) {
			snprintf(err, errlen, "%s: required property '%s' is missing", label,
				 key_props[i]);
			return -1;
		}
	}

	pub = vals[KEY_PROP_PUBLIC_KEY];
	if (lens[KEY_PROP_PUBLIC_KEY] != PERSONA_PUBKEY_SIZE) {
		snprintf(err, errlen, "%s: public-key is %d bytes, not %d", label,
			 lens[KEY_PROP_PUBLIC_KEY], PERSONA_PUBKEY_SIZE);
		return -1;
	}
	/* SEC 1 (2.3.3): 0x04 starts an uncompressed point; 0x02/0x03 compressed ones. */
	if (pub[0] != 0x04) {
		snprintf(
		    err, errlen,
		    "%s: public-key starts with 0x%02x, not 0x04 (an uncompressed P-256 point)",
		    label, pub[0]);
		return -1;
	}

	if (lens[KEY_PROP_ROLES] != (int)sizeof(fdt32_t)) {
		snprintf(err, errlen, "%s: roles is %d bytes, not one cell", label,
			 lens[KEY_PROP_ROLES]);
		return -1;
	}
	roles = fdt32_ld(vals[KEY_PROP_ROLES]);
	if (roles == 0) {
		snprintf(err, errlen, "%s: roles = 0 allows no role", label);
		return -1;
	}
	if (roles & ~(uint32_t)PERSONA_ROLES_ALL) {
		snprintf(err, errlen, "%s: roles = 0x%lx has bits for unknown roles (known: 0x%x)",
			 label, (unsigned long)roles, PERSONA_ROLES_ALL);
		return -1;
	}

	memcpy(key->pubkey, pub, PERSONA_PUBKEY_SIZE);
	key->roles = roles;
	key->label = "";
	if (vals[KEY_PROP_LABEL]) {
		if (!prop_is_string(vals[KEY_PROP_LABEL], lens[KEY_PROP_LABEL],
				    MANIFEST_LABEL_MAX)) {
			snprintf(err, errlen, "%s: label is not a string of at most %d bytes",
				 label, MANIFEST_LABEL_MAX - 1);
			return -1;
		}
		key->label = vals[KEY_PROP_LABEL];
	}
	return 0;
}

/* Like manifest_parse_vm, this walks a manifest that manifest_check has accepted. */
int manifest_trust(const void *image, struct manifest_key *keys, unsigned max, char *err,
		   size_t errlen)
{
	/* Node offsets of the keys read so far, to name the first of a duplicate pair. */
	int nodes[MANIFEST_MAX_KEYS];
	const void *vals[1];
	int lens[1], trust, node, len;
	unsigned seen, n = 0;

	if (max > MANIFEST_MAX_KEYS)
		max = MANIFEST_MAX_KEYS;
	trust = fdt_path_offset(image, "/trust");
	if (trust == -FDT_ERR_NOTFOUND)
		return 0;
	if (trust < 0) {
		snprintf(err, errlen, "/trust: %s", fdt_strerror(trust));
		return -1;
	}
	/* The node itself has no properties (and so every one is unknown). */
	if (collect_props(image, trust, "/trust", NULL, 0, vals, lens, &seen, err, errlen) < 0)
		return -1;

	fdt_for_each_subnode(node, image, trust)
	{
		char label[64];
		const char *name = fdt_get_name(image, node, &len);

		if (!name) {
			snprintf(err, errlen, "/trust: bad node: %s", fdt_strerror(len));
			return -1;
		}
		snprintf(label, sizeof(label), "/trust/%.*s", len, name);
		if (strncmp(name, "key@", 4) != 0) {
			snprintf(err, errlen, "%s: not a key@N node", label);
			return -1;
		}
		if (n == max) {
			snprintf(err, errlen, "/trust: more keys than the %u accepted", max);
			return -1;
		}
		if (parse_key(image, node, label, &keys[n], err, errlen) < 0)
			return -1;
		/* Two entries for one key would leave it unclear which roles hold. */
		for (unsigned i = 0; i < n; i++) {
			if (memcmp(keys[i].pubkey, keys[n].pubkey, PERSONA_PUBKEY_SIZE) == 0) {
				snprintf(err, errlen, "%s: same public key as /trust/%s", label,
					 fdt_get_name(image, nodes[i], NULL));
				return -1;
			}
		}
		nodes[n++] = node;
	}
	if (node != -FDT_ERR_NOTFOUND) {
		snprintf(err, errlen, "/trust: bad node list: %s", fdt_strerror(node));
		return -1;
	}
	return (int)n;
}
