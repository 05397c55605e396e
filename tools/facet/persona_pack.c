/*
 * Making and signing persona packages: see persona_pack.h.
 *
 * The layout facet writes (docs/persona-format.md, "Layout as written"):
 * header at 0, signature block right after it, manifest right after that
 * (8-byte aligned), then the images, each at the next 4 KiB boundary, in the
 * order kernel, initrd, dtb. The manifest's size does not depend on the image
 * offsets it records (each a fixed two cells), so it is built once to learn
 * its size and again with the real offsets, as pack.c does for boot images.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "fileio.h"
#include "persona_pack.h"

#define HEADER_SIZE sizeof(struct persona_header)
#define SIG_BLOCK_SIZE sizeof(struct persona_sig_block)

/* Nobody packs a guest image this big; a bigger file is a mistake. */
#define IMAGE_MAX_SIZE (4ULL << 30)

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

struct image_plan {
	uint64_t offset, size;
	uint8_t sha256[PERSONA_SHA256_SIZE];
};

#define TRY(expr)                                                                                  \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		if (rc_ < 0)                                                                       \
			return rc_;                                                                \
	} while (0)

static int build_manifest(void *buf, int bufsize, const struct persona_pack_spec *s,
			  const struct image_plan img[PERSONA_IMAGE_COUNT])
{
	char devices[PERSONA_MAX_DEVICES * (PERSONA_DEVICE_NAME_MAX + 1)];
	size_t devlen = 0;

	TRY(fdt_create(buf, bufsize));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_string(buf, "compatible", PERSONA_COMPATIBLE));
	TRY(fdt_property_string(buf, "name", s->name));
	TRY(fdt_property_string(buf, "role", persona_role_name(s->role)));
	TRY(fdt_property_string(buf, "owner", s->owner));
	/* fdt_property_u64 writes 8 big-endian bytes: two cells, high first. */
	TRY(fdt_property_u64(buf, "rollback-index", s->rollback_index));
	TRY(fdt_property_u32(buf, "memory-mib", s->memory_mib));
	TRY(fdt_property_u32(buf, "vcpus", s->vcpus));
	TRY(fdt_property_u32(buf, "priority", s->priority));
	if (s->cmdline)
		TRY(fdt_property_string(buf, "cmdline", s->cmdline));
	if (s->ndevices) {
		for (size_t i = 0; i < s->ndevices; i++) {
			size_t n = strlen(s->devices[i]) + 1;

			if (n > PERSONA_DEVICE_NAME_MAX + 1)
				return -FDT_ERR_BADVALUE;
			memcpy(devices + devlen, s->devices[i], n);
			devlen += n;
		}
		TRY(fdt_property(buf, "devices", devices, (int)devlen));
	}
	TRY(fdt_begin_node(buf, "images"));
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		if (!img[k].size)
			continue;
		TRY(fdt_begin_node(buf, persona_image_name((enum persona_image_kind)k)));
		TRY(fdt_property_u64(buf, "offset", img[k].offset));
		TRY(fdt_property_u64(buf, "size", img[k].size));
		TRY(fdt_property(buf, "sha256", img[k].sha256, PERSONA_SHA256_SIZE));
		TRY(fdt_end_node(buf));
	}
	TRY(fdt_end_node(buf));
	TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}

int persona_pack_build(const struct persona_pack_spec *spec,
		       const struct persona_span images[PERSONA_IMAGE_COUNT], uint8_t **pkgp,
		       size_t *sizep, struct diag *d)
{
	uint8_t *manifest = malloc(PERSONA_MANIFEST_MAX);
	struct image_plan img[PERSONA_IMAGE_COUNT] = {0};
	uint64_t manifest_offset = align_up(HEADER_SIZE + SIG_BLOCK_SIZE, PERSONA_MANIFEST_ALIGN);
	uint64_t msize, images_offset, end;
	struct persona parsed;
	struct persona_error perr;
	uint8_t *pkg;
	int rc;

	*pkgp = NULL;
	if (!manifest) {
		diag_add(d, "out of memory");
		return -1;
	}
	if (images[PERSONA_IMAGE_KERNEL].len == 0) {
		diag_add(d, "a package needs a kernel");
		goto fail;
	}
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		img[k].size = images[k].len;
		if (images[k].len)
			persona_crypto_openssl.sha256(&images[k], 1, img[k].sha256);
	}

	/* First pass: the manifest's size. */
	rc = build_manifest(manifest, PERSONA_MANIFEST_MAX, spec, img);
	if (rc < 0)
		goto fdt_error;
	msize = fdt_totalsize(manifest);

	images_offset = align_up(manifest_offset + msize, PERSONA_IMAGE_ALIGN);
	end = images_offset;
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		if (!img[k].size)
			continue;
		img[k].offset = align_up(end, PERSONA_IMAGE_ALIGN);
		end = img[k].offset + img[k].size;
	}

	rc = build_manifest(manifest, PERSONA_MANIFEST_MAX, spec, img);
	if (rc < 0)
		goto fdt_error;
	if (fdt_totalsize(manifest) != msize) {
		diag_add(d, "manifest changed size between passes (%lu, then %lu bytes)",
			 (unsigned long)msize, (unsigned long)fdt_totalsize(manifest));
		goto fail;
	}

	pkg = calloc(1, (size_t)end);
	if (!pkg) {
		diag_add(d, "out of memory for a %lu-byte package", (unsigned long)end);
		goto fail;
	}
	memcpy(pkg, PERSONA_MAGIC, PERSONA_MAGIC_SIZE);
	put_le32(pkg + offsetof(struct persona_header, format_version), PERSONA_FORMAT_VERSION);
	put_le32(pkg + offsetof(struct persona_header, header_size), HEADER_SIZE);
	put_le64(pkg + offsetof(struct persona_header, package_size), end);
	put_le64(pkg + offsetof(struct persona_header, manifest_offset), manifest_offset);
	put_le64(pkg + offsetof(struct persona_header, manifest_size), msize);
	put_le64(pkg + offsetof(struct persona_header, images_offset), images_offset);
	put_le64(pkg + offsetof(struct persona_header, images_size), end - images_offset);
	put_le64(pkg + offsetof(struct persona_header, signature_offset), HEADER_SIZE);
	put_le64(pkg + offsetof(struct persona_header, signature_size), SIG_BLOCK_SIZE);
	memcpy(pkg + manifest_offset, manifest, (size_t)msize);
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++)
		if (img[k].size)
			memcpy(pkg + img[k].offset, images[k].data, (size_t)img[k].size);

	/* What we write, we must be able to read: the spec's values are checked here too. */
	if (persona_parse(pkg, (size_t)end, &parsed, &perr) != PERSONA_OK) {
		diag_add(d, "the package would not be valid: %s", perr.msg);
		free(pkg);
		goto fail;
	}
	free(manifest);
	*pkgp = pkg;
	*sizep = (size_t)end;
	return 0;

fdt_error:
	diag_add(d, "cannot build the manifest: %s", fdt_strerror(rc));
fail:
	free(manifest);
	return -1;
}

uint8_t *persona_pack_read_file(const char *path, size_t *size, struct diag *d)
{
	return file_read(path, IMAGE_MAX_SIZE, "bigger than 4 GiB", size, d);
}

static int write_all(int fd, const void *buf, size_t len)
{
	const uint8_t *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

int persona_pack_write(const struct persona_pack_spec *spec,
		       const char *const paths[PERSONA_IMAGE_COUNT], const char *out,
		       struct diag *d)
{
	struct persona_span images[PERSONA_IMAGE_COUNT] = {0};
	uint8_t *bufs[PERSONA_IMAGE_COUNT] = {0};
	uint8_t *pkg = NULL;
	size_t size = 0;
	char *tmp = NULL;
	int fd = -1, rc = -1;

	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		if (!paths[k])
			continue;
		bufs[k] = persona_pack_read_file(paths[k], &images[k].len, d);
		if (!bufs[k])
			goto out;
		if (images[k].len == 0) {
			diag_add(d, "%s: the %s file is empty", paths[k],
				 persona_image_name((enum persona_image_kind)k));
			goto out;
		}
		images[k].data = bufs[k];
	}
	if (persona_pack_build(spec, images, &pkg, &size, d) < 0)
		goto out;

	tmp = malloc(strlen(out) + sizeof(".tmp"));
	if (!tmp) {
		diag_add(d, "%s: out of memory", out);
		goto out;
	}
	strcat(strcpy(tmp, out), ".tmp");
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write_all(fd, pkg, size) < 0 || close(fd) < 0) {
		diag_add(d, "%s: %s", tmp, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
		goto out;
	}
	if (rename(tmp, out) < 0) {
		diag_add(d, "%s: %s", out, strerror(errno));
		unlink(tmp);
		goto out;
	}
	rc = 0;
out:
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++)
		free(bufs[k]);
	free(pkg);
	free(tmp);
	return rc;
}

int persona_pack_sign_buf(uint8_t *pkg, size_t size, const struct persona_crypto_key *key,
			  const char *what, struct diag *d)
{
	struct persona p;
	struct persona_error perr;
	struct persona_span spans[2];
	struct persona_trusted_key trusted = {.roles = PERSONA_ROLES_ALL, .label = "signing key"};
	struct persona_policy policy = {.keys = &trusted, .nkeys = 1};
	uint8_t digest[PERSONA_SHA256_SIZE], *block, *sig;

	if (persona_parse(pkg, size, &p, &perr) != PERSONA_OK) {
		diag_add(d, "%s: cannot sign: %s", what, perr.msg);
		return -1;
	}
	if (persona_crypto_public(key, trusted.pubkey, d) < 0)
		return -1;

	block = pkg + p.layout.signature_offset;
	memset(block, 0, SIG_BLOCK_SIZE);
	put_le32(block + offsetof(struct persona_sig_block, type), PERSONA_SIG_ECDSA_P256_SHA256);
	persona_key_id(&persona_crypto_openssl, trusted.pubkey,
		       block + offsetof(struct persona_sig_block, key_id));
	persona_signed_spans(pkg, &p.layout, spans);
	persona_crypto_openssl.sha256(spans, 2, digest);
	sig = block + offsetof(struct persona_sig_block, sig);
	if (persona_crypto_sign(key, digest, sig, d) < 0)
		return -1;

	/* Check what was made the way a device will, images included. */
	if (persona_verify(pkg, size, &policy, &persona_crypto_openssl, &p, &perr) != PERSONA_OK) {
		diag_add(d, "%s: not signing: %s", what, perr.msg);
		return -1;
	}
	return 0;
}

int persona_pack_sign(const char *path, const struct persona_crypto_key *key, struct diag *d)
{
	size_t size = 0;
	uint8_t *pkg = persona_pack_read_file(path, &size, d);
	struct persona p;
	struct persona_error perr;
	ssize_t n;
	int fd, rc = -1;

	if (!pkg)
		return -1;
	if (persona_pack_sign_buf(pkg, size, key, path, d) < 0)
		goto out;
	/* Only the signature block changes: rewrite those bytes and nothing else. */
	persona_parse(pkg, size, &p, &perr);
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		diag_add(d, "%s: %s", path, strerror(errno));
		goto out;
	}
	n = pwrite(fd, pkg + p.layout.signature_offset, SIG_BLOCK_SIZE,
		   (off_t)p.layout.signature_offset);
	if (n != (ssize_t)SIG_BLOCK_SIZE) {
		diag_add(d, "%s: %s", path, n < 0 ? strerror(errno) : "short write");
		close(fd);
		goto out;
	}
	if (close(fd) < 0) {
		diag_add(d, "%s: %s", path, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(pkg);
	return rc;
}
