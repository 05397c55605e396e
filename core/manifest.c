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
 * snprintf, vsnprintf and libfdt. 64-bit values print as unsigned long, which is 64 bits
 * on both (LP64).
 */
#include <stdarg.h>
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

/* Limit for a key's label, with its NUL: a file's base name (NAME_MAX 255) fits. */
#define MANIFEST_LABEL_MAX 256

/* Limit for the source property: it only ever holds a path for messages. */
#define MANIFEST_SOURCE_MAX 4096

/*
 * What a reader works on, and where its message goes: err[errlen] gets
 * "<label>: <what is wrong>", label naming the boot image, the VM or the node.
 */
struct reader {
	const void *image;
	size_t image_size;
	const char *label;
	char *err;
	size_t errlen;
};

/* Writes the reader's message. Returns -1, so that a check can end with return bad(...). */
__attribute__((format(printf, 2, 3))) static int bad(const struct reader *r, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->errlen, "%s: ", r->label);

	if (n >= 0 && (size_t)n < r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err + n, r->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/*
 * Collects the properties of node into e (indexed as names), refusing
 * unknown and repeated ones, and missing required ones (bits of required).
 */
static int collect(const struct reader *r, int node, const char *const *names, int count,
		   uint32_t required, struct fdt_entries *e)
{
	if (fdt_entries(r->image, node, false, names, count, required, "", e))
		return bad(r, "%s", e->why);
	return 0;
}

int manifest_check(const void *image, size_t image_size, char *err, size_t errlen)
{
	const struct reader r = {image, image_size, "boot image", err, errlen};
	char why[160];
	int len;
	const void *prop;

	if (image_size < sizeof(struct fdt_header))
		return bad(&r, "%lu bytes is too small to hold a manifest",
			   (unsigned long)image_size);
	/* The manifest starts the boot image; the images follow it. */
	if (fdt_sound(image, image_size, false, why, sizeof(why)))
		return bad(&r, "%s", why);

	/* The root node is at offset 0. */
	prop = fdt_getprop(image, 0, "compatible", &len);
	if (!prop || len <= 0 || memchr(prop, '\0', (size_t)len) == NULL)
		return bad(&r, "manifest has no compatible string");
	/* A single string, exactly ours: no list of fallbacks is defined. */
	if ((size_t)len != sizeof(MANIFEST_COMPATIBLE) ||
	    memcmp(prop, MANIFEST_COMPATIBLE, sizeof(MANIFEST_COMPATIBLE)) != 0)
		return bad(&r, "manifest is compatible with '%s', not '%s'", (const char *)prop,
			   MANIFEST_COMPATIBLE);

	prop = fdt_getprop(image, 0, "facet,format-version", &len);
	if (!prop || len != (int)sizeof(fdt32_t))
		return bad(&r, "manifest has no facet,format-version cell");
	if (fdt32_ld(prop) != MANIFEST_FORMAT_VERSION)
		return bad(&r, "manifest format version %lu is not known (%d is)",
			   (unsigned long)fdt32_ld(prop), MANIFEST_FORMAT_VERSION);

	if (fdt_subnode_offset(image, 0, "vms") < 0)
		return bad(&r, "manifest has no /vms node");
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

/*
 * An image property: <offset-hi offset-lo size-hi size-lo>. The range must
 * lie after the manifest, inside the boot image, at an aligned offset.
 */
static int parse_image(const struct reader *r, const char *what, const void *val, int len,
		       uint64_t *offset, uint64_t *size)
{
	uint64_t off, sz;

	if (len != 4 * (int)sizeof(fdt32_t))
		return bad(r, "%s is %d bytes, not 4 cells <offset size>", what, len);
	off = fdt64_ld(val);
	sz = fdt64_ld((const fdt64_t *)val + 1);

	if (sz == 0)
		return bad(r, "%s is empty", what);
	if (off % MANIFEST_IMAGE_ALIGN != 0)
		return bad(r, "%s offset 0x%lx is not %lu-byte aligned", what, (unsigned long)off,
			   MANIFEST_IMAGE_ALIGN);
	if (off < fdt_totalsize(r->image))
		return bad(r, "%s at offset 0x%lx overlaps the manifest (0x%lx bytes)", what,
			   (unsigned long)off, (unsigned long)fdt_totalsize(r->image));
	if (off > r->image_size || sz > r->image_size - off)
		return bad(r, "%s at 0x%lx+0x%lx runs past the end of the boot image (0x%lx bytes)",
			   what, (unsigned long)off, (unsigned long)sz,
			   (unsigned long)r->image_size);
	*offset = off;
	*size = sz;
	return 0;
}

static int parse_u32_range(const struct reader *r, const char *what, const void *val, int len,
			   uint32_t min, uint32_t max, uint32_t *out)
{
	char why[80];

	if (fdt_u32_in(what, val, len, min, max, out, why, sizeof(why)))
		return bad(r, "%s", why);
	return 0;
}

/* An optional string property of at most max bytes with its NUL; *out stays as it is if absent. */
static int parse_string(const struct reader *r, const char *what, const void *val, int len,
			size_t max, const char **out)
{
	if (!val)
		return 0;
	if (!fdt_is_string(val, len, max))
		return bad(r, "%s is not a string of at most %lu bytes", what,
			   (unsigned long)max - 1);
	*out = val;
	return 0;
}

/*
 * A package node: the package range, the rollback floor and the source.
 * Messages name the node and its source ("vm@2 (work.pkg)"): the VM's name is
 * in the package, which is not read here.
 */
static int parse_package_vm(struct reader *r, const struct fdt_entries *e, struct vm_config *out)
{
	char label[160];
	uint32_t extra = e->seen & ~package_allowed;

	if (parse_string(r, "source", e->val[VM_PROP_SOURCE], e->len[VM_PROP_SOURCE],
			 MANIFEST_SOURCE_MAX, &out->source) < 0)
		return -1;
	if (out->source[0]) {
		snprintf(label, sizeof(label), "%s (%s)", r->label, out->source);
		r->label = label;
	}

	if (extra)
		return bad(r,
			   "property '%s' is not allowed in a package node (the package says it)",
			   vm_props[__builtin_ctz(extra)]);
	out->package = true;
	if (parse_image(r, "package", e->val[VM_PROP_PACKAGE], e->len[VM_PROP_PACKAGE],
			&out->package_offset, &out->package_size) < 0)
		return -1;
	if (e->val[VM_PROP_MIN_ROLLBACK]) {
		if (e->len[VM_PROP_MIN_ROLLBACK] != 2 * (int)sizeof(fdt32_t))
			return bad(r, "min-rollback is %d bytes, not 2 cells",
				   e->len[VM_PROP_MIN_ROLLBACK]);
		out->min_rollback = fdt64_ld(e->val[VM_PROP_MIN_ROLLBACK]);
	}
	return 0;
}

/* A config node: every property of the VM, its images in the boot image. */
static int parse_config_vm(struct reader *r, const struct fdt_entries *e, struct vm_config *out)
{
	/* Messages say "vm 'work'" once the name is known to be good, else the node name. */
	char label[64];
	uint32_t extra = e->seen & ~config_allowed, missing = config_required & ~e->seen;

	/* The name first, so that every later message can use it. */
	if (e->val[VM_PROP_NAME]) {
		const char *name = e->val[VM_PROP_NAME];

		if (!fdt_is_string(name, e->len[VM_PROP_NAME], MANIFEST_NAME_MAX + 1) || !name[0] ||
		    !fdt_is_name(name))
			return bad(r, "name is not 1..%d characters of [A-Za-z0-9_-]",
				   MANIFEST_NAME_MAX);
		memcpy(out->name, name, (size_t)e->len[VM_PROP_NAME]);
		snprintf(label, sizeof(label), "vm '%s'", out->name);
		r->label = label;
	}
	if (!(e->seen & PROP_BIT(VM_PROP_KERNEL)))
		return bad(r, "has neither 'kernel' nor 'package'");
	if (extra)
		return bad(r, "property '%s' is only allowed in a package node",
			   vm_props[__builtin_ctz(extra)]);
	if (missing)
		return bad(r, "required property '%s' is missing",
			   vm_props[__builtin_ctz(missing)]);

	if (parse_u32_range(r, "memory-mib", e->val[VM_PROP_MEMORY], e->len[VM_PROP_MEMORY], 1,
			    MANIFEST_MAX_MEMORY_MIB, &out->memory_mib) < 0 ||
	    parse_u32_range(r, "vcpus", e->val[VM_PROP_VCPUS], e->len[VM_PROP_VCPUS], 1,
			    BOARD_MAX_VCPUS, &out->vcpus) < 0 ||
	    parse_image(r, "kernel", e->val[VM_PROP_KERNEL], e->len[VM_PROP_KERNEL],
			&out->kernel_offset, &out->kernel_size) < 0)
		return -1;
	if (e->val[VM_PROP_INITRD] &&
	    parse_image(r, "initrd", e->val[VM_PROP_INITRD], e->len[VM_PROP_INITRD],
			&out->initrd_offset, &out->initrd_size) < 0)
		return -1;
	if (parse_string(r, "cmdline", e->val[VM_PROP_CMDLINE], e->len[VM_PROP_CMDLINE],
			 MANIFEST_CMDLINE_MAX, &out->cmdline) < 0)
		return -1;
	return parse_string(r, "source", e->val[VM_PROP_SOURCE], e->len[VM_PROP_SOURCE],
			    MANIFEST_SOURCE_MAX, &out->source);
}

int manifest_parse_vm(const void *image, size_t image_size, int node, struct vm_config *out,
		      char *err, size_t errlen)
{
	struct reader r = {image, image_size, "boot image", err, errlen};
	char label[72];
	const char *node_name;
	struct fdt_entries e;
	int len;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	out->source = "";

	node_name = fdt_get_name(image, node, &len);
	if (!node_name)
		return bad(&r, "bad VM node offset %d", node);
	snprintf(label, sizeof(label), "/vms/%.*s", len, node_name);
	r.label = label;
	if (strncmp(node_name, "vm@", 3) != 0)
		return bad(&r, "not a vm@N node");
	r.label = label + 5; /* from here on, "vm@1: ..." */
	if (collect(&r, node, vm_props, VM_PROP_COUNT, 0, &e) < 0)
		return -1;

	if ((e.seen & PROP_BIT(VM_PROP_KERNEL)) && (e.seen & PROP_BIT(VM_PROP_PACKAGE)))
		return bad(&r, "has both 'kernel' and 'package'");
	if (e.seen & PROP_BIT(VM_PROP_PACKAGE))
		return parse_package_vm(&r, &e, out);
	return parse_config_vm(&r, &e, out);
}

/* One /trust/key@N node into key. */
static int parse_key(const struct reader *r, int node, struct persona_trusted_key *key)
{
	struct fdt_entries e;
	const uint8_t *pub;
	uint32_t roles;

	if (collect(r, node, key_props, KEY_PROP_COUNT,
		    PROP_BIT(KEY_PROP_PUBLIC_KEY) | PROP_BIT(KEY_PROP_ROLES), &e) < 0)
		return -1;

	pub = e.val[KEY_PROP_PUBLIC_KEY];
	if (e.len[KEY_PROP_PUBLIC_KEY] != PERSONA_PUBKEY_SIZE)
		return bad(r, "public-key is %d bytes, not %d", e.len[KEY_PROP_PUBLIC_KEY],
			   PERSONA_PUBKEY_SIZE);
	/* SEC 1 (2.3.3): 0x04 starts an uncompressed point; 0x02/0x03 compressed ones. */
	if (pub[0] != 0x04)
		return bad(r,
			   "public-key starts with 0x%02x, not 0x04 (an uncompressed P-256 point)",
			   pub[0]);

	if (e.len[KEY_PROP_ROLES] != (int)sizeof(fdt32_t))
		return bad(r, "roles is %d bytes, not one cell", e.len[KEY_PROP_ROLES]);
	roles = fdt32_ld(e.val[KEY_PROP_ROLES]);
	if (roles == 0)
		return bad(r, "roles = 0 allows no role");
	if (roles & ~(uint32_t)PERSONA_ROLES_ALL)
		return bad(r, "roles = 0x%lx has bits for unknown roles (known: 0x%x)",
			   (unsigned long)roles, PERSONA_ROLES_ALL);

	memcpy(key->pubkey, pub, PERSONA_PUBKEY_SIZE);
	key->roles = roles;
	key->label = "";
	return parse_string(r, "label", e.val[KEY_PROP_LABEL], e.len[KEY_PROP_LABEL],
			    MANIFEST_LABEL_MAX, &key->label);
}

/* Like manifest_parse_vm, this walks a manifest that manifest_check has accepted. */
int manifest_trust(const void *image, struct persona_trusted_key *keys, unsigned max, char *err,
		   size_t errlen)
{
	const struct reader r = {image, 0, "/trust", err, errlen};
	/* Messages about one key name it: "/trust/key@1: ...". */
	char label[64];
	const struct reader key = {image, 0, label, err, errlen};
	/* Node offsets of the keys read so far, to name the first of a duplicate pair. */
	int nodes[MANIFEST_MAX_KEYS];
	struct fdt_entries e;
	int trust, node, len;
	unsigned n = 0;

	if (max > MANIFEST_MAX_KEYS)
		max = MANIFEST_MAX_KEYS;
	trust = fdt_path_offset(image, "/trust");
	if (trust == -FDT_ERR_NOTFOUND)
		return 0;
	if (trust < 0)
		return bad(&r, "%s", fdt_strerror(trust));
	/* The node itself has no properties (and so every one is unknown). */
	if (collect(&r, trust, NULL, 0, 0, &e) < 0)
		return -1;

	fdt_for_each_subnode(node, image, trust)
	{
		const char *name = fdt_get_name(image, node, &len);

		if (!name)
			return bad(&r, "bad node: %s", fdt_strerror(len));
		snprintf(label, sizeof(label), "/trust/%.*s", len, name);
		if (strncmp(name, "key@", 4) != 0)
			return bad(&key, "not a key@N node");
		if (n == max)
			return bad(&r, "more keys than the %u accepted", max);
		if (parse_key(&key, node, &keys[n]) < 0)
			return -1;
		/* Two entries for one key would leave it unclear which roles hold. */
		for (unsigned i = 0; i < n; i++)
			if (memcmp(keys[i].pubkey, keys[n].pubkey, PERSONA_PUBKEY_SIZE) == 0)
				return bad(&key, "same public key as /trust/%s",
					   fdt_get_name(image, nodes[i], NULL));
		nodes[n++] = node;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return bad(&r, "bad node list: %s", fdt_strerror(node));
	return (int)n;
}
