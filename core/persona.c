/*
 * Reading and verifying persona packages (docs/persona-format.md).
 *
 * A package comes from whoever handed the device a file, so nothing in it is
 * trusted until the signature says so. The checks go from the cheapest and
 * least exposed to the most: the fixed header and the bounds of every region
 * first (plain arithmetic on 64-bit values, each subtraction guarded), then
 * the signature over header and manifest, and only then the manifest's device
 * tree, so that libfdt reads bytes a trusted key vouched for. Every image is
 * hashed last and compared with the digest the manifest holds.
 *
 * Runs at EL2 (freestanding, picolibc) and on the host: no allocation;
 * only string.h, vsnprintf and libfdt. 64-bit values print as unsigned
 * long, which is 64 bits on both (LP64).
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libfdt.h>

#include "abi/board.h"
#include "abi/manifest.h"
#include "core/fdt_sound.h"
#include "core/persona.h"

#define HEADER_SIZE ((uint64_t)sizeof(struct persona_header))
#define SIG_BLOCK_SIZE ((uint64_t)sizeof(struct persona_sig_block))

/* ---- messages ---- */

/*
 * Records the error and returns its code. Strings in messages may come from
 * the package: anything in the message that is not printable ASCII becomes
 * '?', so a message is one clean line (of at most sizeof(err->msg) - 1
 * characters: vsnprintf cuts it there).
 */
__attribute__((format(printf, 3, 4))) static enum persona_err
fail(struct persona_error *err, enum persona_err code, const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	for (char *c = err->msg; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			*c = '?';
	return code;
}

/*
 * The first 8 bytes of a digest or key id, printed as 16 hex digits ("%016lx"):
 * enough to tell keys apart in a message.
 */
static unsigned long hex8(const uint8_t *bytes)
{
	return (unsigned long)fdt64_ld((const fdt64_t *)bytes);
}

/* ---- names ---- */

static const char *const role_names[PERSONA_ROLE_COUNT] = {
    [PERSONA_ROLE_SYSTEM] = "system",
    [PERSONA_ROLE_PERSONA] = "persona",
    [PERSONA_ROLE_APPLIANCE] = "appliance",
};

static const char *const image_names[PERSONA_IMAGE_COUNT] = {
    [PERSONA_IMAGE_KERNEL] = "kernel",
    [PERSONA_IMAGE_INITRD] = "initrd",
    [PERSONA_IMAGE_DTB] = "dtb",
};

static const char *const err_names[PERSONA_ERR_COUNT] = {
    [PERSONA_OK] = "ok",
    [PERSONA_ERR_TRUNCATED] = "truncated",
    [PERSONA_ERR_MAGIC] = "not a package",
    [PERSONA_ERR_VERSION] = "unknown version",
    [PERSONA_ERR_HEADER] = "bad header",
    [PERSONA_ERR_RANGE] = "out of range",
    [PERSONA_ERR_ALIGN] = "misaligned",
    [PERSONA_ERR_OVERLAP] = "overlap",
    [PERSONA_ERR_UNSIGNED] = "unsigned",
    [PERSONA_ERR_SIG_FORMAT] = "bad signature block",
    [PERSONA_ERR_UNKNOWN_KEY] = "unknown key",
    [PERSONA_ERR_SIGNATURE] = "bad signature",
    [PERSONA_ERR_MANIFEST] = "bad manifest",
    [PERSONA_ERR_MISSING] = "missing field",
    [PERSONA_ERR_VALUE] = "bad value",
    [PERSONA_ERR_CRITICAL] = "unknown critical field",
    [PERSONA_ERR_ROLE] = "role not trusted",
    [PERSONA_ERR_ROLLBACK] = "rolled back",
    [PERSONA_ERR_IMAGE_HASH] = "image hash mismatch",
};

const char *persona_role_name(enum persona_role role)
{
	return (unsigned)role < PERSONA_ROLE_COUNT ? role_names[role] : NULL;
}

int persona_role_from_name(const char *name)
{
	for (int r = 0; r < PERSONA_ROLE_COUNT; r++)
		if (strcmp(name, role_names[r]) == 0)
			return r;
	return -1;
}

const char *persona_err_name(enum persona_err code)
{
	return (unsigned)code < PERSONA_ERR_COUNT ? err_names[code] : "unknown error";
}

const char *persona_image_name(enum persona_image_kind kind)
{
	return (unsigned)kind < PERSONA_IMAGE_COUNT ? image_names[kind] : NULL;
}

/* ---- header and layout ---- */

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

#define HDR_U32(pkg, field) le32((pkg) + offsetof(struct persona_header, field))
#define HDR_U64(pkg, field) le64((pkg) + offsetof(struct persona_header, field))

struct region {
	const char *name;
	uint64_t offset, size;
	unsigned align; /* of offset */
};

/* [offset, offset + size) lies within [0, limit). Written so that nothing overflows. */
static bool within(uint64_t offset, uint64_t size, uint64_t limit)
{
	return offset <= limit && size <= limit - offset;
}

/* Two ranges already known to be within the package (so their ends do not overflow). */
static bool overlap(const struct region *a, const struct region *b)
{
	if (a->size == 0 || b->size == 0)
		return false;
	return a->offset < b->offset + b->size && b->offset < a->offset + a->size;
}

/*
 * The n regions of r (the package's, or its images) lie inside the one named
 * whole, [base, base + size), which is itself within the package; each starts
 * at a multiple of its alignment; no two share a byte.
 */
static enum persona_err check_regions(const struct region *r, int n, const char *whole,
				      uint64_t base, uint64_t size, struct persona_error *err)
{
	for (int i = 0; i < n; i++) {
		if (r[i].offset < base || !within(r[i].offset - base, r[i].size, size))
			return fail(err, PERSONA_ERR_RANGE,
				    "%s at 0x%lx+0x%lx is outside the %s [0x%lx, 0x%lx)", r[i].name,
				    (unsigned long)r[i].offset, (unsigned long)r[i].size, whole,
				    (unsigned long)base, (unsigned long)(base + size));
		if (r[i].offset % r[i].align != 0)
			return fail(err, PERSONA_ERR_ALIGN,
				    "%s offset 0x%lx is not a multiple of %u", r[i].name,
				    (unsigned long)r[i].offset, r[i].align);
	}
	for (int i = 0; i < n; i++)
		for (int j = i + 1; j < n; j++)
			if (overlap(&r[i], &r[j]))
				return fail(err, PERSONA_ERR_OVERLAP,
					    "%s [0x%lx, 0x%lx) overlaps the %s [0x%lx, 0x%lx)",
					    r[j].name, (unsigned long)r[j].offset,
					    (unsigned long)(r[j].offset + r[j].size), r[i].name,
					    (unsigned long)r[i].offset,
					    (unsigned long)(r[i].offset + r[i].size));
	return PERSONA_OK;
}

/* The header, and the layout of every region into *l (which stays as it was if refused). */
static enum persona_err parse_header(const uint8_t *pkg, size_t size, struct persona_layout *l,
				     struct persona_error *err)
{
	struct persona_layout h;
	uint32_t header_size;
	enum persona_err e;

	if ((uintptr_t)pkg % 8 != 0)
		return fail(err, PERSONA_ERR_ALIGN,
			    "package is not 8-byte aligned in memory (the caller must align it)");
	if (size >= PERSONA_MAGIC_SIZE && memcmp(pkg, PERSONA_MAGIC, PERSONA_MAGIC_SIZE) != 0)
		return fail(err, PERSONA_ERR_MAGIC,
			    "not a persona package: it does not start with '%s'", PERSONA_MAGIC);
	if (size < HEADER_SIZE)
		return fail(err, PERSONA_ERR_TRUNCATED,
			    "truncated: %lu bytes, shorter than the %lu-byte header",
			    (unsigned long)size, (unsigned long)HEADER_SIZE);

	h.format_version = HDR_U32(pkg, format_version);
	if (h.format_version != PERSONA_FORMAT_VERSION)
		return fail(err, PERSONA_ERR_VERSION,
			    "format version %u is not known (this reader knows %d)",
			    h.format_version, PERSONA_FORMAT_VERSION);
	header_size = HDR_U32(pkg, header_size);
	if (header_size != HEADER_SIZE)
		return fail(err, PERSONA_ERR_HEADER,
			    "header: header_size is %u, version %d headers are %lu bytes",
			    header_size, PERSONA_FORMAT_VERSION, (unsigned long)HEADER_SIZE);
	for (size_t i = 0; i < sizeof(((struct persona_header *)0)->reserved); i++)
		if (pkg[offsetof(struct persona_header, reserved) + i] != 0)
			return fail(err, PERSONA_ERR_HEADER,
				    "header: reserved byte %lu is not zero", (unsigned long)i);

	h.package_size = HDR_U64(pkg, package_size);
	h.manifest_offset = HDR_U64(pkg, manifest_offset);
	h.manifest_size = HDR_U64(pkg, manifest_size);
	h.images_offset = HDR_U64(pkg, images_offset);
	h.images_size = HDR_U64(pkg, images_size);
	h.signature_offset = HDR_U64(pkg, signature_offset);
	h.signature_size = HDR_U64(pkg, signature_size);

	if (h.package_size > size)
		return fail(err, PERSONA_ERR_TRUNCATED,
			    "truncated: %lu bytes, the header says the package has %lu",
			    (unsigned long)size, (unsigned long)h.package_size);
	if (h.package_size < size)
		return fail(err, PERSONA_ERR_HEADER,
			    "header: package_size is %lu but there are %lu bytes (%lu after "
			    "the end)",
			    (unsigned long)h.package_size, (unsigned long)size,
			    (unsigned long)(size - h.package_size));
	if (h.signature_size != SIG_BLOCK_SIZE)
		return fail(err, PERSONA_ERR_HEADER,
			    "header: signature_size is %lu, not the %lu of a signature block",
			    (unsigned long)h.signature_size, (unsigned long)SIG_BLOCK_SIZE);
	if (h.manifest_size < sizeof(struct fdt_header) || h.manifest_size > PERSONA_MANIFEST_MAX)
		return fail(err, PERSONA_ERR_HEADER, "header: manifest_size %lu is outside %lu..%u",
			    (unsigned long)h.manifest_size,
			    (unsigned long)sizeof(struct fdt_header), PERSONA_MANIFEST_MAX);

	const struct region r[4] = {
	    {"header", 0, HEADER_SIZE, 1},
	    {"signature block", h.signature_offset, h.signature_size, 8},
	    {"manifest", h.manifest_offset, h.manifest_size, PERSONA_MANIFEST_ALIGN},
	    {"images region", h.images_offset, h.images_size, PERSONA_IMAGE_ALIGN},
	};
	e = check_regions(r, 4, "package", 0, h.package_size, err);
	if (e)
		return e;
	*l = h;
	return PERSONA_OK;
}

/* The signature block: type 0 and empty, or type 1 with its reserved field zero. */
static enum persona_err parse_sig_block(const uint8_t *pkg, const struct persona_layout *l,
					struct persona *out, struct persona_error *err)
{
	const uint8_t *b = pkg + l->signature_offset;
	uint32_t type = le32(b + offsetof(struct persona_sig_block, type));
	uint32_t reserved = le32(b + offsetof(struct persona_sig_block, reserved));

	out->sig_type = type;
	out->key_id = b + offsetof(struct persona_sig_block, key_id);
	out->sig = b + offsetof(struct persona_sig_block, sig);
	out->is_signed = type != 0;
	if (type != 0 && type != PERSONA_SIG_ECDSA_P256_SHA256)
		return fail(err, PERSONA_ERR_SIG_FORMAT,
			    "signature block: signature type %u is not known (%d is ECDSA P-256)",
			    type, PERSONA_SIG_ECDSA_P256_SHA256);
	if (reserved != 0)
		return fail(err, PERSONA_ERR_SIG_FORMAT,
			    "signature block: reserved field is 0x%lx, not zero",
			    (unsigned long)reserved);
	return PERSONA_OK;
}

/* ---- manifest ---- */

/*
 * The properties (or subnodes) of a node this reader knows, into e by their
 * index in names[n]: each at most once, the required ones (bits of
 * required) present. An unknown one is skipped, unless its name carries the
 * critical prefix: then it is something a later format made mandatory, and
 * the package is refused. A skipped node is skipped whole.
 */
static enum persona_err collect(const void *fdt, int node, const char *where, bool subnodes,
				const char *const *names, int n, uint32_t required,
				struct fdt_entries *e, struct persona_error *err)
{
	enum fdt_entries_err rc =
	    fdt_entries(fdt, node, subnodes, names, n, required, PERSONA_CRITICAL_PREFIX, e);

	if (rc)
		return fail(err,
			    rc == FDT_ENTRIES_UNKNOWN	? PERSONA_ERR_CRITICAL
			    : rc == FDT_ENTRIES_MISSING ? PERSONA_ERR_MISSING
							: PERSONA_ERR_MANIFEST,
			    "manifest: %s: %s", where, e->why);
	return PERSONA_OK;
}

static bool is_device_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ',' || c == '.' ||
	       c == '_' || c == '-';
}

static enum persona_err get_u32(const char *what, const void *val, int len, uint32_t min,
				uint32_t max, uint32_t *out, struct persona_error *err)
{
	char why[80];

	if (fdt_u32_in(what, val, len, min, max, out, why, sizeof(why)))
		return fail(err, PERSONA_ERR_VALUE, "manifest: %s", why);
	return PERSONA_OK;
}

/* Two cells, high first: property name of node where ("" for the root). */
static enum persona_err get_u64(const char *where, const char *name, const void *val, int len,
				uint64_t *out, struct persona_error *err)
{
	if (len != 2 * (int)sizeof(fdt32_t))
		return fail(err, PERSONA_ERR_VALUE, "manifest: %s%s%s is %d bytes, not two cells",
			    where, where[0] ? "/" : "", name, len);
	*out = fdt64_ld(val);
	return PERSONA_OK;
}

enum image_prop { IP_OFFSET, IP_SIZE, IP_SHA256, IP_COUNT };

static const char *const image_props[IP_COUNT] = {
    [IP_OFFSET] = "offset",
    [IP_SIZE] = "size",
    [IP_SHA256] = "sha256",
};

static enum persona_err parse_image(const void *fdt, int node, enum persona_image_kind kind,
				    struct persona_image *img, struct persona_error *err)
{
	char where[32];
	struct fdt_entries p;
	enum persona_err rc;

	snprintf(where, sizeof(where), "/images/%s", image_names[kind]);
	rc = collect(fdt, node, where, false, image_props, IP_COUNT, (1u << IP_COUNT) - 1, &p, err);
	if (rc)
		return rc;
	rc = get_u64(where, "offset", p.val[IP_OFFSET], p.len[IP_OFFSET], &img->offset, err);
	if (rc)
		return rc;
	rc = get_u64(where, "size", p.val[IP_SIZE], p.len[IP_SIZE], &img->size, err);
	if (rc)
		return rc;
	if (img->size == 0)
		return fail(err, PERSONA_ERR_VALUE, "manifest: %s is empty (size 0)", where);
	if (p.len[IP_SHA256] != PERSONA_SHA256_SIZE)
		return fail(err, PERSONA_ERR_VALUE, "manifest: %s/sha256 is %d bytes, not %d",
			    where, p.len[IP_SHA256], PERSONA_SHA256_SIZE);
	img->sha256 = p.val[IP_SHA256];
	img->present = true;
	return PERSONA_OK;
}

static enum persona_err parse_images(const void *fdt, int node, struct persona_manifest *out,
				     struct persona_error *err)
{
	struct fdt_entries e;
	enum persona_err rc;

	/* No properties of its own are defined: collect only to apply the critical rule. */
	rc = collect(fdt, node, "/images", false, NULL, 0, 0, &e, err);
	if (!rc)
		rc = collect(fdt, node, "/images", true, image_names, PERSONA_IMAGE_COUNT,
			     1u << PERSONA_IMAGE_KERNEL, &e, err);
	for (int k = 0; k < PERSONA_IMAGE_COUNT && !rc; k++)
		if (e.seen & (1u << k))
			rc = parse_image(fdt, e.len[k], (enum persona_image_kind)k, &out->images[k],
					 err);
	return rc;
}

/* A string list: 1..PERSONA_MAX_DEVICES names, each once. An empty property is an empty list. */
static enum persona_err parse_devices(const char *val, int len, struct persona_manifest *out,
				      struct persona_error *err)
{
	int pos = 0;

	if (len > 0 && val[len - 1] != '\0')
		return fail(err, PERSONA_ERR_VALUE,
			    "manifest: devices is not a list of NUL-terminated strings");
	while (pos < len) {
		const char *name = val + pos;
		size_t n = strlen(name);

		if (n < 1 || n > PERSONA_DEVICE_NAME_MAX)
			return fail(err, PERSONA_ERR_VALUE,
				    "manifest: devices: entry %lu is not 1..%d characters",
				    (unsigned long)out->ndevices, PERSONA_DEVICE_NAME_MAX);
		for (size_t i = 0; i < n; i++)
			if (!is_device_char(name[i]))
				return fail(err, PERSONA_ERR_VALUE,
					    "manifest: devices: '%s' is not made of "
					    "[a-z0-9,._-]",
					    name);
		for (size_t i = 0; i < out->ndevices; i++)
			if (strcmp(out->devices[i], name) == 0)
				return fail(err, PERSONA_ERR_VALUE,
					    "manifest: devices: '%s' is listed twice", name);
		if (out->ndevices == PERSONA_MAX_DEVICES)
			return fail(err, PERSONA_ERR_VALUE,
				    "manifest: devices: more than %d entries", PERSONA_MAX_DEVICES);
		out->devices[out->ndevices++] = name;
		pos += (int)n + 1;
	}
	return PERSONA_OK;
}

enum root_prop {
	RP_COMPATIBLE,
	RP_NAME,
	RP_ROLE,
	RP_OWNER,
	RP_ROLLBACK,
	RP_MEMORY,
	RP_VCPUS,
	RP_PRIORITY,
	RP_CMDLINE,
	RP_DEVICES,
	RP_COUNT,
};

static const char *const root_props[RP_COUNT] = {
    [RP_COMPATIBLE] = "compatible",
    [RP_NAME] = "name",
    [RP_ROLE] = "role",
    [RP_OWNER] = "owner",
    [RP_ROLLBACK] = "rollback-index",
    [RP_MEMORY] = "memory-mib",
    [RP_VCPUS] = "vcpus",
    [RP_PRIORITY] = "priority",
    [RP_CMDLINE] = "cmdline",
    [RP_DEVICES] = "devices",
};

/* Every root property before cmdline is required. */
#define ROOT_REQUIRED ((1u << RP_CMDLINE) - 1)

_Static_assert(RP_COUNT <= FDT_ENTRIES_MAX, "struct fdt_entries holds every root property");

static const char *const root_nodes[] = {"images"};

/* Root property i: a string of 1..max characters, copied to out (max + 1 bytes). */
static enum persona_err get_text(const struct fdt_entries *p, int i, int max, char *out,
				 struct persona_error *err)
{
	if (!fdt_is_string(p->val[i], p->len[i], (size_t)max + 1) || p->len[i] < 2)
		return fail(err, PERSONA_ERR_VALUE,
			    "manifest: %s is not a string of 1..%d characters", root_props[i], max);
	memcpy(out, p->val[i], (size_t)p->len[i]);
	return PERSONA_OK;
}

enum persona_err persona_parse_manifest(const void *fdt, size_t size, struct persona_manifest *out,
					struct persona_error *err)
{
	struct fdt_entries p;
	char why[160];
	enum persona_err e;
	const char *s;
	int role;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	if ((uintptr_t)fdt % PERSONA_MANIFEST_ALIGN != 0)
		return fail(err, PERSONA_ERR_ALIGN, "manifest is not 8-byte aligned in memory");
	if (size < sizeof(struct fdt_header) || size > PERSONA_MANIFEST_MAX)
		return fail(err, PERSONA_ERR_MANIFEST, "manifest: %lu bytes is outside %lu..%u",
			    (unsigned long)size, (unsigned long)sizeof(struct fdt_header),
			    PERSONA_MANIFEST_MAX);
	/* exact: the signed bytes and the parsed bytes must be the same bytes. */
	if (fdt_sound(fdt, size, true, why, sizeof(why)))
		return fail(err, PERSONA_ERR_MANIFEST, "%s", why);

	e = collect(fdt, 0, "/", false, root_props, RP_COUNT, ROOT_REQUIRED, &p, err);
	if (e)
		return e;
	if (!fdt_is_string(p.val[RP_COMPATIBLE], p.len[RP_COMPATIBLE], 64) ||
	    strcmp(p.val[RP_COMPATIBLE], PERSONA_COMPATIBLE) != 0)
		return fail(err, PERSONA_ERR_MANIFEST,
			    "manifest: compatible is not \"%s\": not a persona manifest",
			    PERSONA_COMPATIBLE);

	e = get_text(&p, RP_NAME, PERSONA_NAME_MAX, out->name, err);
	if (e)
		return e;
	s = p.val[RP_NAME];
	if (!fdt_is_name(s))
		return fail(err, PERSONA_ERR_VALUE,
			    "manifest: name '%s' is not made of [A-Za-z0-9_-]", s);

	s = p.val[RP_ROLE];
	role = fdt_is_string(s, p.len[RP_ROLE], 16) ? persona_role_from_name(s) : -1;
	if (role < 0)
		return fail(err, PERSONA_ERR_VALUE,
			    "manifest: role is not one of \"system\", \"persona\", \"appliance\"");
	out->role = (enum persona_role)role;

	e = get_text(&p, RP_OWNER, PERSONA_OWNER_MAX, out->owner, err);
	if (e)
		return e;
	for (const char *c = out->owner; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			return fail(err, PERSONA_ERR_VALUE,
				    "manifest: owner has a character outside printable ASCII");

	e = get_u64("", "rollback-index", p.val[RP_ROLLBACK], p.len[RP_ROLLBACK],
		    &out->rollback_index, err);
	if (!e)
		e = get_u32("memory-mib", p.val[RP_MEMORY], p.len[RP_MEMORY], 1,
			    MANIFEST_MAX_MEMORY_MIB, &out->memory_mib, err);
	if (!e)
		e = get_u32("vcpus", p.val[RP_VCPUS], p.len[RP_VCPUS], 1, BOARD_MAX_VCPUS,
			    &out->vcpus, err);
	if (!e)
		e = get_u32("priority", p.val[RP_PRIORITY], p.len[RP_PRIORITY], 0,
			    PERSONA_PRIORITY_MAX, &out->priority, err);
	if (e)
		return e;
	if (p.val[RP_CMDLINE]) {
		if (!fdt_is_string(p.val[RP_CMDLINE], p.len[RP_CMDLINE], PERSONA_CMDLINE_MAX))
			return fail(err, PERSONA_ERR_VALUE,
				    "manifest: cmdline is not a string of at most %d bytes",
				    PERSONA_CMDLINE_MAX - 1);
		out->cmdline = p.val[RP_CMDLINE];
	}
	if (p.val[RP_DEVICES]) {
		e = parse_devices(p.val[RP_DEVICES], p.len[RP_DEVICES], out, err);
		if (e)
			return e;
	}

	e = collect(fdt, 0, "/", true, root_nodes, 1, 1, &p, err);
	if (e)
		return e;
	return parse_images(fdt, p.len[0], out, err);
}

/* Every image inside the images region, 4 KiB-aligned, no two sharing a byte. */
static enum persona_err check_images(const struct persona_layout *l,
				     const struct persona_manifest *m, struct persona_error *err)
{
	struct region r[PERSONA_IMAGE_COUNT];
	int n = 0;

	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++)
		if (m->images[k].present)
			r[n++] = (struct region){image_names[k], m->images[k].offset,
						 m->images[k].size, PERSONA_IMAGE_ALIGN};
	return check_regions(r, n, "images region", l->images_offset, l->images_size, err);
}

/* ---- the two entry points ---- */

void persona_signed_spans(const void *pkg, const struct persona_layout *l,
			  struct persona_span spans[2])
{
	spans[0] = (struct persona_span){pkg, (size_t)HEADER_SIZE};
	spans[1] = (struct persona_span){(const uint8_t *)pkg + l->manifest_offset,
					 (size_t)l->manifest_size};
}

void persona_key_id(const struct persona_crypto *crypto, const uint8_t pubkey[PERSONA_PUBKEY_SIZE],
		    uint8_t id[PERSONA_SHA256_SIZE])
{
	struct persona_span span = {pubkey, PERSONA_PUBKEY_SIZE};

	crypto->sha256(&span, 1, id);
}

enum persona_err persona_parse(const void *pkg, size_t size, struct persona *out,
			       struct persona_error *err)
{
	const uint8_t *p = pkg;
	enum persona_err e;

	memset(out, 0, sizeof(*out));
	e = parse_header(p, size, &out->layout, err);
	if (!e)
		e = parse_sig_block(p, &out->layout, out, err);
	if (!e)
		e = persona_parse_manifest(p + out->layout.manifest_offset,
					   (size_t)out->layout.manifest_size, &out->manifest, err);
	if (!e)
		e = check_images(&out->layout, &out->manifest, err);
	return e;
}

/* The trust-list entry the package names, once its signature has been checked with it. */
static enum persona_err check_signature(const uint8_t *pkg, const struct persona *pp,
					const struct persona_policy *policy,
					const struct persona_crypto *crypto,
					const struct persona_trusted_key **signer,
					struct persona_error *err)
{
	struct persona_span spans[2];
	uint8_t digest[PERSONA_SHA256_SIZE], id[PERSONA_SHA256_SIZE];
	const struct persona_trusted_key *key = NULL;

	if (!pp->is_signed)
		return fail(err, PERSONA_ERR_UNSIGNED,
			    "not signed: the signature block is empty (use 'facet sign')");
	for (size_t i = 0; i < policy->nkeys && !key; i++) {
		persona_key_id(crypto, policy->keys[i].pubkey, id);
		if (memcmp(id, pp->key_id, sizeof(id)) == 0)
			key = &policy->keys[i];
	}
	if (!key)
		return fail(err, PERSONA_ERR_UNKNOWN_KEY,
			    "signed by key %016lx..., which is not one of the %lu trusted keys",
			    hex8(pp->key_id), (unsigned long)policy->nkeys);

	persona_signed_spans(pkg, &pp->layout, spans);
	crypto->sha256(spans, 2, digest);
	if (!crypto->p256_verify(key->pubkey, digest, pp->sig))
		return fail(err, PERSONA_ERR_SIGNATURE,
			    "signature does not verify with key %016lx... (%s): the header, the "
			    "manifest or the signature was changed after signing",
			    hex8(pp->key_id), key->label ? key->label : "trusted");
	*signer = key;
	return PERSONA_OK;
}

static enum persona_err check_image_hashes(const uint8_t *pkg, const struct persona_manifest *m,
					   const struct persona_crypto *crypto,
					   struct persona_error *err)
{
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		const struct persona_image *img = &m->images[k];
		struct persona_span span;
		uint8_t digest[PERSONA_SHA256_SIZE];

		if (!img->present)
			continue;
		span = (struct persona_span){pkg + img->offset, (size_t)img->size};
		crypto->sha256(&span, 1, digest);
		if (memcmp(digest, img->sha256, sizeof(digest)) != 0)
			return fail(err, PERSONA_ERR_IMAGE_HASH,
				    "%s does not match its SHA-256: manifest says %016lx..., the "
				    "image is %016lx...",
				    image_names[k], hex8(img->sha256), hex8(digest));
	}
	return PERSONA_OK;
}

enum persona_err persona_verify(const void *pkg, size_t size, const struct persona_policy *policy,
				const struct persona_crypto *crypto, struct persona *out,
				struct persona_error *err)
{
	const uint8_t *p = pkg;
	const struct persona_trusted_key *key = NULL;
	const struct persona_manifest *m = &out->manifest;
	enum persona_err e;

	memset(out, 0, sizeof(*out));
	e = parse_header(p, size, &out->layout, err);
	if (!e)
		e = parse_sig_block(p, &out->layout, out, err);
	if (!e)
		e = check_signature(p, out, policy, crypto, &key, err);
	if (!e)
		e = persona_parse_manifest(p + out->layout.manifest_offset,
					   (size_t)out->layout.manifest_size, &out->manifest, err);
	if (!e)
		e = check_images(&out->layout, m, err);
	if (e)
		return e;

	if (!(key->roles & PERSONA_ROLE_BIT(m->role)))
		return fail(err, PERSONA_ERR_ROLE,
			    "key %016lx... (%s) is not trusted to sign a '%s' package",
			    hex8(out->key_id), key->label ? key->label : "trusted",
			    role_names[m->role]);
	if (m->rollback_index < policy->min_rollback)
		return fail(err, PERSONA_ERR_ROLLBACK,
			    "rollback index %lu is below %lu, the lowest accepted for '%s'",
			    (unsigned long)m->rollback_index, (unsigned long)policy->min_rollback,
			    m->name);
	e = check_image_hashes(p, m, crypto, err);
	if (!e && err) {
		err->code = PERSONA_OK;
		err->msg[0] = '\0';
	}
	return e;
}
