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
 * Runs at EL2 (freestanding, picolibc headers) and on the host: no
 * allocation, no stdio; only string.h, stdarg.h and libfdt. Messages are
 * built by the small formatter below.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <libfdt.h>

#include "abi/board.h"
#include "abi/manifest.h"
#include "core/fdt_sound.h"
#include "core/persona.h"

#define HEADER_SIZE ((uint64_t)sizeof(struct persona_header))
#define SIG_BLOCK_SIZE ((uint64_t)sizeof(struct persona_sig_block))

/* ---- messages ---- */

struct msg {
	char *buf;
	size_t cap, len;
};

static void msg_char(struct msg *m, char c)
{
	if (m->len + 1 < m->cap)
		m->buf[m->len++] = c;
}

/*
 * Strings in messages may come from the package: show at most 64 characters,
 * and anything that is not printable ASCII as '?', so a message is one clean line.
 */
static void msg_str(struct msg *m, const char *s)
{
	for (size_t i = 0; s[i]; i++) {
		if (i == 64) {
			msg_char(m, '.');
			msg_char(m, '.');
			msg_char(m, '.');
			return;
		}
		msg_char(m, s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?');
	}
}

static void msg_num(struct msg *m, unsigned long long v, unsigned base)
{
	char digits[24];
	int n = 0;

	do {
		digits[n++] = "0123456789abcdef"[v % base];
		v /= base;
	} while (v);
	while (n)
		msg_char(m, digits[--n]);
}

/*
 * Records the error and returns its code. fmt knows %s, %d, %u, %zu, %llu,
 * %llx and %%: what the messages here use, checked by the compiler.
 */
__attribute__((format(printf, 3, 4))) static enum persona_err
fail(struct persona_error *err, enum persona_err code, const char *fmt, ...)
{
	struct msg m;
	va_list ap;

	if (!err)
		return code;
	err->code = code;
	m = (struct msg){err->msg, sizeof(err->msg), 0};
	va_start(ap, fmt);
	for (const char *p = fmt; *p; p++) {
		if (*p != '%') {
			msg_char(&m, *p);
			continue;
		}
		p++;
		if (*p == 's') {
			msg_str(&m, va_arg(ap, const char *));
		} else if (*p == 'd') {
			int v = va_arg(ap, int);

			if (v < 0)
				msg_char(&m, '-');
			msg_num(&m, v < 0 ? -(unsigned long long)v : (unsigned long long)v, 10);
		} else if (*p == 'u') {
			msg_num(&m, va_arg(ap, unsigned), 10);
		} else if (p[0] == 'z' && p[1] == 'u') {
			msg_num(&m, va_arg(ap, size_t), 10);
			p++;
		} else if (p[0] == 'l' && p[1] == 'l' && (p[2] == 'u' || p[2] == 'x')) {
			msg_num(&m, va_arg(ap, unsigned long long), p[2] == 'u' ? 10 : 16);
			p += 2;
		} else if (*p == '%') {
			msg_char(&m, '%');
		} else {
			break; /* not used here; stop rather than misread the arguments */
		}
	}
	va_end(ap);
	m.buf[m.len] = '\0';
	return code;
}

/* The first 8 bytes of a digest or key id as hex: enough to tell keys apart in a message. */
static const char *short_hex(const uint8_t *bytes, char out[17])
{
	for (int i = 0; i < 8; i++) {
		out[2 * i] = "0123456789abcdef"[bytes[i] >> 4];
		out[2 * i + 1] = "0123456789abcdef"[bytes[i] & 15];
	}
	out[16] = '\0';
	return out;
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
	return (uint64_t)le32(p) | (uint64_t)le32(p + 4) << 32;
}

#define HDR_U32(pkg, field) le32((pkg) + offsetof(struct persona_header, field))
#define HDR_U64(pkg, field) le64((pkg) + offsetof(struct persona_header, field))

struct region {
	const char *name;
	uint64_t offset, size;
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

static enum persona_err parse_header(const uint8_t *pkg, size_t size, struct persona_layout *l,
				     struct persona_error *err)
{
	struct persona_layout h;
	struct region r[4];
	uint32_t header_size;

	memset(l, 0, sizeof(*l));
	if ((uintptr_t)pkg % 8 != 0)
		return fail(err, PERSONA_ERR_ALIGN,
			    "package is not 8-byte aligned in memory (the caller must align it)");
	if (size >= PERSONA_MAGIC_SIZE && memcmp(pkg, PERSONA_MAGIC, PERSONA_MAGIC_SIZE) != 0)
		return fail(err, PERSONA_ERR_MAGIC,
			    "not a persona package: it does not start with '%s'", PERSONA_MAGIC);
	if (size < HEADER_SIZE)
		return fail(err, PERSONA_ERR_TRUNCATED,
			    "truncated: %zu bytes, shorter than the %llu-byte header", size,
			    (unsigned long long)HEADER_SIZE);

	h.format_version = HDR_U32(pkg, format_version);
	if (h.format_version != PERSONA_FORMAT_VERSION)
		return fail(err, PERSONA_ERR_VERSION,
			    "format version %u is not known (this reader knows %d)",
			    h.format_version, PERSONA_FORMAT_VERSION);
	header_size = HDR_U32(pkg, header_size);
	if (header_size != HEADER_SIZE)
		return fail(err, PERSONA_ERR_HEADER,
			    "header: header_size is %u, version %d headers are %llu bytes",
			    header_size, PERSONA_FORMAT_VERSION, (unsigned long long)HEADER_SIZE);
	for (size_t i = 0; i < sizeof(((struct persona_header *)0)->reserved); i++)
		if (pkg[offsetof(struct persona_header, reserved) + i] != 0)
			return fail(err, PERSONA_ERR_HEADER,
				    "header: reserved byte %zu is not zero", i);

	h.package_size = HDR_U64(pkg, package_size);
	h.manifest_offset = HDR_U64(pkg, manifest_offset);
	h.manifest_size = HDR_U64(pkg, manifest_size);
	h.images_offset = HDR_U64(pkg, images_offset);
	h.images_size = HDR_U64(pkg, images_size);
	h.signature_offset = HDR_U64(pkg, signature_offset);
	h.signature_size = HDR_U64(pkg, signature_size);

	if (h.package_size > size)
		return fail(err, PERSONA_ERR_TRUNCATED,
			    "truncated: %zu bytes, the header says the package has %llu", size,
			    (unsigned long long)h.package_size);
	if (h.package_size < size)
		return fail(err, PERSONA_ERR_HEADER,
			    "header: package_size is %llu but there are %zu bytes (%llu after "
			    "the end)",
			    (unsigned long long)h.package_size, size,
			    (unsigned long long)(size - h.package_size));
	if (h.signature_size != SIG_BLOCK_SIZE)
		return fail(err, PERSONA_ERR_HEADER,
			    "header: signature_size is %llu, not the %llu of a signature block",
			    (unsigned long long)h.signature_size,
			    (unsigned long long)SIG_BLOCK_SIZE);
	if (h.manifest_size < sizeof(struct fdt_header) || h.manifest_size > PERSONA_MANIFEST_MAX)
		return fail(err, PERSONA_ERR_HEADER,
			    "header: manifest_size %llu is outside %zu..%u",
			    (unsigned long long)h.manifest_size, sizeof(struct fdt_header),
			    PERSONA_MANIFEST_MAX);

	r[0] = (struct region){"header", 0, HEADER_SIZE};
	r[1] = (struct region){"signature block", h.signature_offset, h.signature_size};
	r[2] = (struct region){"manifest", h.manifest_offset, h.manifest_size};
	r[3] = (struct region){"images region", h.images_offset, h.images_size};
	for (int i = 1; i < 4; i++)
		if (!within(r[i].offset, r[i].size, h.package_size))
			return fail(err, PERSONA_ERR_RANGE,
				    "%s at 0x%llx+0x%llx runs past the end of the package "
				    "(0x%llx bytes)",
				    r[i].name, (unsigned long long)r[i].offset,
				    (unsigned long long)r[i].size,
				    (unsigned long long)h.package_size);
	if (h.signature_offset % 8 != 0)
		return fail(err, PERSONA_ERR_ALIGN,
			    "signature block offset 0x%llx is not a multiple of 8",
			    (unsigned long long)h.signature_offset);
	if (h.manifest_offset % PERSONA_MANIFEST_ALIGN != 0)
		return fail(err, PERSONA_ERR_ALIGN,
			    "manifest offset 0x%llx is not a multiple of %u",
			    (unsigned long long)h.manifest_offset, PERSONA_MANIFEST_ALIGN);
	if (h.images_offset % PERSONA_IMAGE_ALIGN != 0)
		return fail(err, PERSONA_ERR_ALIGN,
			    "images region offset 0x%llx is not a multiple of %u",
			    (unsigned long long)h.images_offset, PERSONA_IMAGE_ALIGN);
	for (int i = 0; i < 4; i++)
		for (int j = i + 1; j < 4; j++)
			if (overlap(&r[i], &r[j]))
				return fail(err, PERSONA_ERR_OVERLAP,
					    "%s [0x%llx, 0x%llx) overlaps the %s [0x%llx, 0x%llx)",
					    r[j].name, (unsigned long long)r[j].offset,
					    (unsigned long long)(r[j].offset + r[j].size),
					    r[i].name, (unsigned long long)r[i].offset,
					    (unsigned long long)(r[i].offset + r[i].size));
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
			    "signature block: reserved field is 0x%llx, not zero",
			    (unsigned long long)reserved);
	return PERSONA_OK;
}

/* ---- manifest ---- */

/*
 * The properties of a node this reader knows: each at most once. An unknown
 * one is skipped, unless its name carries the critical prefix: then it is
 * something a later format made mandatory, and the package is refused.
 */
struct prop_info {
	const char *name;
	bool required;
};

struct props {
	const void *val[12];
	int len[12];
};

static bool is_critical(const char *name)
{
	return strncmp(name, PERSONA_CRITICAL_PREFIX, sizeof(PERSONA_CRITICAL_PREFIX) - 1) == 0;
}

static enum persona_err collect_props(const void *fdt, int node, const char *where,
				      const struct prop_info *info, int n, struct props *p,
				      struct persona_error *err)
{
	int prop;

	memset(p, 0, sizeof(*p));
	fdt_for_each_property_offset(prop, fdt, node)
	{
		const char *name;
		int len, i;
		const void *val = fdt_getprop_by_offset(fdt, prop, &name, &len);

		if (!val)
			return fail(err, PERSONA_ERR_MANIFEST, "manifest: %s: unreadable property",
				    where);
		for (i = 0; i < n; i++)
			if (strcmp(name, info[i].name) == 0)
				break;
		if (i == n) {
			if (is_critical(name))
				return fail(err, PERSONA_ERR_CRITICAL,
					    "manifest: %s: unknown critical property '%s'", where,
					    name);
			continue;
		}
		if (p->val[i])
			return fail(err, PERSONA_ERR_MANIFEST,
				    "manifest: %s: property '%s' appears twice", where, name);
		p->val[i] = val;
		p->len[i] = len;
	}
	if (prop != -FDT_ERR_NOTFOUND)
		return fail(err, PERSONA_ERR_MANIFEST, "manifest: %s: bad property list", where);
	for (int i = 0; i < n; i++)
		if (info[i].required && !p->val[i])
			return fail(err, PERSONA_ERR_MISSING,
				    "manifest: %s: required property '%s' is missing", where,
				    info[i].name);
	return PERSONA_OK;
}

/*
 * The subnodes of a node this reader knows, by exact name, each at most
 * once; unknown ones by the same rule as unknown properties. A skipped node
 * is skipped whole.
 */
static enum persona_err collect_nodes(const void *fdt, int parent, const char *where,
				      const char *const *names, int n, int *found,
				      struct persona_error *err)
{
	int node;

	for (int i = 0; i < n; i++)
		found[i] = -1;
	fdt_for_each_subnode(node, fdt, parent)
	{
		const char *name = fdt_get_name(fdt, node, NULL);
		int i;

		if (!name)
			return fail(err, PERSONA_ERR_MANIFEST, "manifest: %s: unreadable node",
				    where);
		for (i = 0; i < n; i++)
			if (strcmp(name, names[i]) == 0)
				break;
		if (i == n) {
			if (is_critical(name))
				return fail(err, PERSONA_ERR_CRITICAL,
					    "manifest: %s: unknown critical node '%s'", where,
					    name);
			continue;
		}
		if (found[i] >= 0)
			return fail(err, PERSONA_ERR_MANIFEST,
				    "manifest: %s: node '%s' appears twice", where, name);
		found[i] = node;
	}
	if (node != -FDT_ERR_NOTFOUND)
		return fail(err, PERSONA_ERR_MANIFEST, "manifest: %s: bad node list", where);
	return PERSONA_OK;
}

/* One NUL-terminated string with no NUL inside, at most max bytes with the NUL. */
static bool is_string(const void *val, int len, size_t max)
{
	return len > 0 && (size_t)len <= max &&
	       memchr(val, '\0', (size_t)len) == (const char *)val + len - 1;
}

static bool is_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '_' || c == '-';
}

static bool is_device_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == ',' || c == '.' ||
	       c == '_' || c == '-';
}

static enum persona_err get_u32(const char *what, const void *val, int len, uint32_t min,
				uint32_t max, uint32_t *out, struct persona_error *err)
{
	uint32_t v;

	if (len != (int)sizeof(fdt32_t))
		return fail(err, PERSONA_ERR_VALUE, "manifest: %s is %d bytes, not one cell", what,
			    len);
	v = fdt32_ld(val);
	if (v < min || v > max)
		return fail(err, PERSONA_ERR_VALUE, "manifest: %s = %u is outside %u..%u", what, v,
			    min, max);
	*out = v;
	return PERSONA_OK;
}

/* Two cells, high first. */
static enum persona_err get_u64(const char *what, const void *val, int len, uint64_t *out,
				struct persona_error *err)
{
	if (len != 2 * (int)sizeof(fdt32_t))
		return fail(err, PERSONA_ERR_VALUE, "manifest: %s is %d bytes, not two cells", what,
			    len);
	*out = (uint64_t)fdt32_ld(val) << 32 | fdt32_ld((const fdt32_t *)val + 1);
	return PERSONA_OK;
}

enum image_prop { IP_OFFSET, IP_SIZE, IP_SHA256, IP_COUNT };

static const struct prop_info image_props[IP_COUNT] = {
    [IP_OFFSET] = {"offset", true},
    [IP_SIZE] = {"size", true},
    [IP_SHA256] = {"sha256", true},
};

static enum persona_err parse_image(const void *fdt, int node, enum persona_image_kind kind,
				    struct persona_image *img, struct persona_error *err)
{
	char where[32] = "/images/";
	char what[40];
	struct props p;
	enum persona_err rc;

	strcat(where, image_names[kind]);
	rc = collect_props(fdt, node, where, image_props, IP_COUNT, &p, err);
	if (rc)
		return rc;
	strcpy(what, where);
	strcat(what, "/offset");
	rc = get_u64(what, p.val[IP_OFFSET], p.len[IP_OFFSET], &img->offset, err);
	if (rc)
		return rc;
	strcpy(what, where);
	strcat(what, "/size");
	rc = get_u64(what, p.val[IP_SIZE], p.len[IP_SIZE], &img->size, err);
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
	int found[PERSONA_IMAGE_COUNT];
	struct props p;
	enum persona_err rc;

	/* No properties of its own are defined: collect only to apply the critical rule. */
	rc = collect_props(fdt, node, "/images", NULL, 0, &p, err);
	if (rc)
		return rc;
	rc = collect_nodes(fdt, node, "/images", image_names, PERSONA_IMAGE_COUNT, found, err);
	if (rc)
		return rc;
	if (found[PERSONA_IMAGE_KERNEL] < 0)
		return fail(err, PERSONA_ERR_MISSING,
			    "manifest: /images: required node 'kernel' is missing");
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		if (found[k] < 0)
			continue;
		rc = parse_image(fdt, found[k], (enum persona_image_kind)k, &out->images[k], err);
		if (rc)
			return rc;
	}
	return PERSONA_OK;
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
				    "manifest: devices: entry %zu is not 1..%d characters",
				    out->ndevices, PERSONA_DEVICE_NAME_MAX);
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

static const struct prop_info root_props[RP_COUNT] = {
    [RP_COMPATIBLE] = {"compatible", true},
    [RP_NAME] = {"name", true},
    [RP_ROLE] = {"role", true},
    [RP_OWNER] = {"owner", true},
    [RP_ROLLBACK] = {"rollback-index", true},
    [RP_MEMORY] = {"memory-mib", true},
    [RP_VCPUS] = {"vcpus", true},
    [RP_PRIORITY] = {"priority", true},
    [RP_CMDLINE] = {"cmdline", false},
    [RP_DEVICES] = {"devices", false},
};

_Static_assert(RP_COUNT <= sizeof(((struct props *)0)->val) / sizeof(void *),
	       "struct props holds every root property");

static const char *const root_nodes[] = {"images"};

enum persona_err persona_parse_manifest(const void *fdt, size_t size, struct persona_manifest *out,
					struct persona_error *err)
{
	struct props p;
	int images;
	int rc;
	enum persona_err e;
	const char *s;

	memset(out, 0, sizeof(*out));
	out->cmdline = "";
	if ((uintptr_t)fdt % PERSONA_MANIFEST_ALIGN != 0)
		return fail(err, PERSONA_ERR_ALIGN, "manifest is not 8-byte aligned in memory");
	if (size < sizeof(struct fdt_header) || size > PERSONA_MANIFEST_MAX)
		return fail(err, PERSONA_ERR_MANIFEST, "manifest: %zu bytes is outside %zu..%u",
			    size, sizeof(struct fdt_header), PERSONA_MANIFEST_MAX);
	rc = fdt_check_header(fdt);
	if (rc < 0)
		return fail(err, PERSONA_ERR_MANIFEST, "manifest is not a device tree: %s",
			    fdt_strerror(rc));
	/*
	 * Older versions lay the blob out differently (before 16: full paths as
	 * node names; 16: no size_dt_struct), and libfdt 1.6.1's fdt_check_full
	 * dereferences NULL on some of them (found by tests/fuzz). Writers use 17.
	 */
	if (fdt_version(fdt) < 17)
		return fail(err, PERSONA_ERR_MANIFEST,
			    "manifest: device tree version %u is too old (17 is needed)",
			    fdt_version(fdt));
	/* Devicetree Spec 5.1: reservation block 8-byte aligned, structure block 4-byte. */
	if (fdt_off_mem_rsvmap(fdt) % 8 != 0 || fdt_off_dt_struct(fdt) % 4 != 0)
		return fail(err, PERSONA_ERR_MANIFEST,
			    "manifest: device tree blocks are misaligned (reservation block at %u, "
			    "structure block at %u)",
			    fdt_off_mem_rsvmap(fdt), fdt_off_dt_struct(fdt));
	/* The signed bytes and the parsed bytes must be the same bytes. */
	if (fdt_totalsize(fdt) != size)
		return fail(err, PERSONA_ERR_MANIFEST,
			    "manifest: device tree is %u bytes, its region %zu", fdt_totalsize(fdt),
			    size);
	if (!fdt_struct_block_is_sound(fdt))
		return fail(
		    err, PERSONA_ERR_MANIFEST,
		    "manifest is damaged: a tag or length runs outside the structure block");
	/* The walks below assume a sound structure block: check all of it first. */
	rc = fdt_check_full(fdt, size);
	if (rc < 0)
		return fail(err, PERSONA_ERR_MANIFEST, "manifest is damaged: %s", fdt_strerror(rc));

	e = collect_props(fdt, 0, "/", root_props, RP_COUNT, &p, err);
	if (e)
		return e;
	if (!is_string(p.val[RP_COMPATIBLE], p.len[RP_COMPATIBLE], 64) ||
	    strcmp(p.val[RP_COMPATIBLE], PERSONA_COMPATIBLE) != 0)
		return fail(err, PERSONA_ERR_MANIFEST,
			    "manifest: compatible is not \"%s\": not a persona manifest",
			    PERSONA_COMPATIBLE);

	s = p.val[RP_NAME];
	if (!is_string(s, p.len[RP_NAME], PERSONA_NAME_MAX + 1) || !s[0])
		return fail(err, PERSONA_ERR_VALUE,
			    "manifest: name is not a string of 1..%d characters", PERSONA_NAME_MAX);
	for (const char *c = s; *c; c++)
		if (!is_name_char(*c))
			return fail(err, PERSONA_ERR_VALUE,
				    "manifest: name '%s' is not made of [A-Za-z0-9_-]", s);
	strcpy(out->name, s);

	s = p.val[RP_ROLE];
	if (!is_string(s, p.len[RP_ROLE], 16) || persona_role_from_name(s) < 0)
		return fail(err, PERSONA_ERR_VALUE,
			    "manifest: role is not one of \"system\", \"persona\", \"appliance\"");
	out->role = (enum persona_role)persona_role_from_name(s);

	s = p.val[RP_OWNER];
	if (!is_string(s, p.len[RP_OWNER], PERSONA_OWNER_MAX + 1) || !s[0])
		return fail(err, PERSONA_ERR_VALUE,
			    "manifest: owner is not a string of 1..%d characters",
			    PERSONA_OWNER_MAX);
	for (const char *c = s; *c; c++)
		if (*c < 0x20 || *c > 0x7e)
			return fail(err, PERSONA_ERR_VALUE,
				    "manifest: owner has a character outside printable ASCII");
	strcpy(out->owner, s);

	e = get_u64("rollback-index", p.val[RP_ROLLBACK], p.len[RP_ROLLBACK], &out->rollback_index,
		    err);
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
		if (!is_string(p.val[RP_CMDLINE], p.len[RP_CMDLINE], PERSONA_CMDLINE_MAX))
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

	e = collect_nodes(fdt, 0, "/", root_nodes, 1, &images, err);
	if (e)
		return e;
	if (images < 0)
		return fail(err, PERSONA_ERR_MISSING, "manifest: required node /images is missing");
	return parse_images(fdt, images, out, err);
}

/* Every image inside the images region, 4 KiB-aligned, no two sharing a byte. */
static enum persona_err check_images(const struct persona_layout *l,
				     const struct persona_manifest *m, struct persona_error *err)
{
	struct region r[PERSONA_IMAGE_COUNT];

	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		const struct persona_image *img = &m->images[k];

		r[k] = (struct region){image_names[k], img->offset, img->present ? img->size : 0};
		if (!img->present)
			continue;
		if (img->offset < l->images_offset ||
		    !within(img->offset - l->images_offset, img->size, l->images_size))
			return fail(err, PERSONA_ERR_RANGE,
				    "%s at 0x%llx+0x%llx is outside the images region "
				    "[0x%llx, 0x%llx)",
				    image_names[k], (unsigned long long)img->offset,
				    (unsigned long long)img->size,
				    (unsigned long long)l->images_offset,
				    (unsigned long long)(l->images_offset + l->images_size));
		if (img->offset % PERSONA_IMAGE_ALIGN != 0)
			return fail(err, PERSONA_ERR_ALIGN,
				    "%s offset 0x%llx is not a multiple of %u", image_names[k],
				    (unsigned long long)img->offset, PERSONA_IMAGE_ALIGN);
	}
	for (int i = 0; i < PERSONA_IMAGE_COUNT; i++)
		for (int j = i + 1; j < PERSONA_IMAGE_COUNT; j++)
			if (overlap(&r[i], &r[j]))
				return fail(err, PERSONA_ERR_OVERLAP,
					    "%s at 0x%llx overlaps %s at 0x%llx", r[j].name,
					    (unsigned long long)r[j].offset, r[i].name,
					    (unsigned long long)r[i].offset);
	return PERSONA_OK;
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
	char hex[17];

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
			    "signed by key %s..., which is not one of the %zu trusted keys",
			    short_hex(pp->key_id, hex), policy->nkeys);

	persona_signed_spans(pkg, &pp->layout, spans);
	crypto->sha256(spans, 2, digest);
	if (!crypto->p256_verify(key->pubkey, digest, pp->sig))
		return fail(err, PERSONA_ERR_SIGNATURE,
			    "signature does not verify with key %s... (%s): the header, the "
			    "manifest or the signature was changed after signing",
			    short_hex(pp->key_id, hex), key->label ? key->label : "trusted");
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
		char want[17], got[17];

		if (!img->present)
			continue;
		span = (struct persona_span){pkg + img->offset, (size_t)img->size};
		crypto->sha256(&span, 1, digest);
		if (memcmp(digest, img->sha256, sizeof(digest)) != 0)
			return fail(err, PERSONA_ERR_IMAGE_HASH,
				    "%s does not match its SHA-256: manifest says %s..., the "
				    "image is %s...",
				    image_names[k], short_hex(img->sha256, want),
				    short_hex(digest, got));
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
	char hex[17];

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
			    "key %s... (%s) is not trusted to sign a '%s' package",
			    short_hex(out->key_id, hex), key->label ? key->label : "trusted",
			    role_names[m->role]);
	if (m->rollback_index < policy->min_rollback)
		return fail(err, PERSONA_ERR_ROLLBACK,
			    "rollback index %llu is below %llu, the lowest accepted for '%s'",
			    (unsigned long long)m->rollback_index,
			    (unsigned long long)policy->min_rollback, m->name);
	e = check_image_hashes(p, m, crypto, err);
	if (!e && err) {
		err->code = PERSONA_OK;
		err->msg[0] = '\0';
	}
	return e;
}
