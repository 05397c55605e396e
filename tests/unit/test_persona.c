/*
 * Unit tests for persona packages: what the host tool builds and signs
 * (tools/facet/persona_pack.c) the shared reader (core/persona.c) accepts,
 * and every kind of damage is refused with its own error code and a message
 * that names what is wrong. The cryptography is the host's real one
 * (OpenSSL, tools/facet/persona_crypto.c).
 *
 * Damage to the header is checked before the signature, so those tests edit
 * a signed package directly; damage to the manifest is only seen once the
 * signature holds, so those tests re-sign the edited package (sign_raw).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "core/persona.h"
#include "tools/facet/persona_crypto.h"
#include "tools/facet/persona_pack.h"

#define HDR_SIZE sizeof(struct persona_header)

static const size_t image_sizes[PERSONA_IMAGE_COUNT] = {5000, 3000, 200};

/* Shared by every test: two keys and a good signed package, built once. */
static struct {
	char dir[64];
	struct persona_crypto_key *key_a, *key_b; /* a: the enterprise key; b: anybody's */
	struct persona_trusted_key trusted[1];	  /* a, for persona and appliance */
	uint8_t pub_b[PERSONA_PUBKEY_SIZE];
	uint8_t *images[PERSONA_IMAGE_COUNT];
	uint8_t *good; /* signed by a */
	size_t size;
} g;

/* One test's copy of a package, and what verifying it said. */
struct pkg {
	uint8_t *buf;
	size_t size;
	struct persona p;
	struct persona_error err;
};

static const struct persona_pack_spec base_spec = {
    .name = "work",
    .role = PERSONA_ROLE_PERSONA,
    .owner = "ACME Corp IT",
    .rollback_index = 5,
    .memory_mib = 64,
    .vcpus = 2,
    .priority = 100,
    .cmdline = "console=ttyAMA0 facet.persona=work",
    .devices = {"gpu0", "modem"},
    .ndevices = 2,
};

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* FDT header fields are big-endian. */
static void put_be32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (24 - 8 * i));
}

#define HDR_FIELD(buf, field) ((buf) + offsetof(struct persona_header, field))

/* Signs whatever the package holds, checking nothing: to make damaged but signed packages. */
static void sign_raw(uint8_t *pkg, const struct persona_crypto_key *key)
{
	struct persona_layout l = {
	    .manifest_offset = get_le64(HDR_FIELD(pkg, manifest_offset)),
	    .manifest_size = get_le64(HDR_FIELD(pkg, manifest_size)),
	};
	uint8_t *block = pkg + get_le64(HDR_FIELD(pkg, signature_offset));
	uint8_t pub[PERSONA_PUBKEY_SIZE], digest[PERSONA_SHA256_SIZE];
	struct persona_span spans[2];
	struct diag d = {0};

	assert_int_equal(persona_crypto_public(key, pub, &d), 0);
	memset(block, 0, sizeof(struct persona_sig_block));
	put_le32(block, PERSONA_SIG_ECDSA_P256_SHA256);
	persona_key_id(&persona_crypto_openssl, pub, block + 8);
	persona_signed_spans(pkg, &l, spans);
	persona_crypto_openssl.sha256(spans, 2, digest);
	assert_int_equal(persona_crypto_sign(key, digest, block + 40, &d), 0);
}

static struct persona_span image_span(int k)
{
	return (struct persona_span){g.images[k], image_sizes[k]};
}

/* Builds (unsigned) a package of spec with the test images. */
static void build(struct pkg *t, const struct persona_pack_spec *spec)
{
	struct persona_span spans[PERSONA_IMAGE_COUNT];
	struct diag d = {0};

	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++)
		spans[k] = image_span(k);
	memset(t, 0, sizeof(*t));
	if (persona_pack_build(spec, spans, &t->buf, &t->size, &d) < 0)
		fail_msg("%s", d.msgs[0]);
}

static void copy_good(struct pkg *t)
{
	memset(t, 0, sizeof(*t));
	t->buf = malloc(g.size);
	assert_non_null(t->buf);
	memcpy(t->buf, g.good, g.size);
	t->size = g.size;
}

static enum persona_err verify_min(struct pkg *t, uint64_t min_rollback)
{
	struct persona_policy policy = {g.trusted, 1, min_rollback};

	return persona_verify(t->buf, t->size, &policy, &persona_crypto_openssl, &t->p, &t->err);
}

static enum persona_err verify(struct pkg *t)
{
	return verify_min(t, 5);
}

/* Refused with code, and the message says what (contains want). */
static void assert_refused(struct pkg *t, enum persona_err code, const char *want)
{
	enum persona_err got = verify(t);

	if (got != code)
		fail_msg("expected '%s', got '%s': %s", persona_err_name(code),
			 persona_err_name(got), t->err.msg);
	assert_int_equal(t->err.code, code);
	if (want && !strstr(t->err.msg, want))
		fail_msg("message '%s' does not say '%s'", t->err.msg, want);
}

static void pkg_free(struct pkg *t)
{
	free(t->buf);
	t->buf = NULL;
}

/* The manifest of a package, made editable: copied out into a roomier buffer. */
static void *manifest_open(const struct pkg *t)
{
	uint64_t off = get_le64(HDR_FIELD(t->buf, manifest_offset));
	uint64_t size = get_le64(HDR_FIELD(t->buf, manifest_size));
	void *fdt = malloc(size + 1024);

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(t->buf + off, fdt, (int)size + 1024), 0);
	return fdt;
}

/* Puts an edited manifest back (it must still end before the images) and signs with a. */
static void manifest_close(struct pkg *t, void *fdt)
{
	uint64_t off = get_le64(HDR_FIELD(t->buf, manifest_offset));
	uint64_t images = get_le64(HDR_FIELD(t->buf, images_offset));

	assert_int_equal(fdt_pack(fdt), 0);
	assert_true(off + fdt_totalsize(fdt) <= images);
	memset(t->buf + off, 0, images - off);
	memcpy(t->buf + off, fdt, fdt_totalsize(fdt));
	put_le64(HDR_FIELD(t->buf, manifest_size), fdt_totalsize(fdt));
	free(fdt);
	sign_raw(t->buf, g.key_a);
}

static int node_of(void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	assert_true(node >= 0);
	return node;
}

static int group_setup(void **state)
{
	char priv[128], pub[128];
	struct diag d = {0};
	struct pkg t;

	strcpy(g.dir, "/tmp/facet-test-persona.XXXXXX");
	assert_non_null(mkdtemp(g.dir));
	snprintf(priv, sizeof(priv), "%s/a.pem", g.dir);
	snprintf(pub, sizeof(pub), "%s/a.pub", g.dir);
	assert_int_equal(persona_crypto_keygen(priv, pub, &d), 0);
	g.key_a = persona_crypto_load_private(priv, &d);
	assert_non_null(g.key_a);
	/* The trust list holds the public half as read from the .pub file. */
	assert_int_equal(persona_crypto_load_public(pub, g.trusted[0].pubkey, &d), 0);
	g.trusted[0].roles =
	    PERSONA_ROLE_BIT(PERSONA_ROLE_PERSONA) | PERSONA_ROLE_BIT(PERSONA_ROLE_APPLIANCE);
	g.trusted[0].label = "enterprise";

	snprintf(priv, sizeof(priv), "%s/b.pem", g.dir);
	assert_int_equal(persona_crypto_keygen(priv, NULL, &d), 0);
	g.key_b = persona_crypto_load_private(priv, &d);
	assert_non_null(g.key_b);
	assert_int_equal(persona_crypto_public(g.key_b, g.pub_b, &d), 0);
	assert_int_equal(d.count, 0);

	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		g.images[k] = malloc(image_sizes[k]);
		assert_non_null(g.images[k]);
		for (size_t i = 0; i < image_sizes[k]; i++)
			g.images[k][i] = (uint8_t)((i * 7 + (size_t)k * 13) % 251);
	}
	build(&t, &base_spec);
	assert_int_equal(persona_pack_sign_buf(t.buf, t.size, g.key_a, "good", &d), 0);
	g.good = t.buf;
	g.size = t.size;
	return 0;
}

static int group_teardown(void **state)
{
	char cmd[128];

	persona_crypto_free(g.key_a);
	persona_crypto_free(g.key_b);
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++)
		free(g.images[k]);
	free(g.good);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", g.dir);
	assert_int_equal(system(cmd), 0);
	return 0;
}

/* ---- good packages ---- */

static void test_valid_package_verifies(void **state)
{
	struct pkg t;
	const struct persona_manifest *m = &t.p.manifest;

	copy_good(&t);
	if (verify(&t) != PERSONA_OK)
		fail_msg("%s", t.err.msg);
	assert_string_equal(m->name, "work");
	assert_int_equal(m->role, PERSONA_ROLE_PERSONA);
	assert_string_equal(m->owner, "ACME Corp IT");
	assert_int_equal(m->rollback_index, 5);
	assert_int_equal(m->memory_mib, 64);
	assert_int_equal(m->vcpus, 2);
	assert_int_equal(m->priority, 100);
	assert_string_equal(m->cmdline, "console=ttyAMA0 facet.persona=work");
	assert_int_equal(m->ndevices, 2);
	assert_string_equal(m->devices[0], "gpu0");
	assert_string_equal(m->devices[1], "modem");
	assert_true(t.p.is_signed);
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		const struct persona_image *img = &m->images[k];

		assert_true(img->present);
		assert_int_equal(img->offset % PERSONA_IMAGE_ALIGN, 0);
		assert_int_equal(img->size, image_sizes[k]);
		assert_memory_equal(t.buf + img->offset, g.images[k], image_sizes[k]);
	}
	/* A rollback index above the minimum is fine too. */
	assert_int_equal(verify_min(&t, 0), PERSONA_OK);
	pkg_free(&t);
}

static void test_minimal_package(void **state)
{
	struct persona_pack_spec spec = {.name = "app",
					 .role = PERSONA_ROLE_APPLIANCE,
					 .owner = "x",
					 .rollback_index = 9,
					 .memory_mib = 1,
					 .vcpus = 1};
	struct persona_span spans[PERSONA_IMAGE_COUNT] = {image_span(PERSONA_IMAGE_KERNEL)};
	struct diag d = {0};
	struct pkg t = {0};

	assert_int_equal(persona_pack_build(&spec, spans, &t.buf, &t.size, &d), 0);
	sign_raw(t.buf, g.key_a);
	assert_int_equal(verify(&t), PERSONA_OK);
	assert_string_equal(t.p.manifest.cmdline, "");
	assert_int_equal(t.p.manifest.ndevices, 0);
	assert_false(t.p.manifest.images[PERSONA_IMAGE_INITRD].present);
	assert_false(t.p.manifest.images[PERSONA_IMAGE_DTB].present);
	pkg_free(&t);
}

/* pack and sign through files, as the tool does. */
static void test_files_round_trip(void **state)
{
	char paths[PERSONA_IMAGE_COUNT][128], out[128];
	const char *p[PERSONA_IMAGE_COUNT];
	struct diag d = {0};
	struct pkg t = {0};

	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		FILE *f;

		snprintf(paths[k], sizeof(paths[k]), "%s/image%d", g.dir, k);
		f = fopen(paths[k], "wb");
		assert_non_null(f);
		assert_int_equal(fwrite(g.images[k], 1, image_sizes[k], f), image_sizes[k]);
		fclose(f);
		p[k] = paths[k];
	}
	snprintf(out, sizeof(out), "%s/work.pkg", g.dir);
	assert_int_equal(persona_pack_write(&base_spec, p, out, &d), 0);

	t.buf = persona_pack_read_file(out, &t.size, &d);
	assert_non_null(t.buf);
	assert_refused(&t, PERSONA_ERR_UNSIGNED, "not signed");
	free(t.buf);

	assert_int_equal(persona_pack_sign(out, g.key_a, &d), 0);
	t.buf = persona_pack_read_file(out, &t.size, &d);
	assert_non_null(t.buf);
	assert_int_equal(verify(&t), PERSONA_OK);
	assert_int_equal(d.count, 0);
	pkg_free(&t);
}

static void test_parse_needs_no_crypto(void **state)
{
	struct pkg t;

	build(&t, &base_spec);
	assert_int_equal(persona_parse(t.buf, t.size, &t.p, &t.err), PERSONA_OK);
	assert_false(t.p.is_signed);
	assert_string_equal(t.p.manifest.name, "work");
	pkg_free(&t);
}

/* ---- truncated and out of range ---- */

static void test_truncated(void **state)
{
	static const size_t cuts[] = {0, 7, 8, 79, 80, 183, 4096};
	struct pkg t;

	copy_good(&t);
	for (size_t i = 0; i < sizeof(cuts) / sizeof(cuts[0]); i++) {
		t.size = cuts[i];
		assert_refused(&t, PERSONA_ERR_TRUNCATED, "truncated");
	}
	t.size = g.size - 1;
	assert_refused(&t, PERSONA_ERR_TRUNCATED, "the header says the package has");
	pkg_free(&t);
}

static void test_trailing_bytes(void **state)
{
	struct pkg t;

	copy_good(&t);
	t.buf = realloc(t.buf, g.size + 8);
	assert_non_null(t.buf);
	memset(t.buf + g.size, 0, 8);
	t.size = g.size + 8;
	assert_refused(&t, PERSONA_ERR_HEADER, "after the end");
	pkg_free(&t);
}

/* Sets a header field of a copy of the good package and expects code. */
static void header_case(size_t field, uint64_t value, enum persona_err code, const char *want)
{
	struct pkg t;

	copy_good(&t);
	put_le64(t.buf + field, value);
	assert_refused(&t, code, want);
	pkg_free(&t);
}

static void test_regions_out_of_range(void **state)
{
	uint64_t size = g.size;

	header_case(offsetof(struct persona_header, manifest_offset), size, PERSONA_ERR_RANGE,
		    "manifest at");
	header_case(offsetof(struct persona_header, manifest_offset), UINT64_MAX - 7,
		    PERSONA_ERR_RANGE, "is outside the package");
	header_case(offsetof(struct persona_header, images_size), size, PERSONA_ERR_RANGE,
		    "images region");
	header_case(offsetof(struct persona_header, images_offset), 1ULL << 63, PERSONA_ERR_RANGE,
		    "images region");
	header_case(offsetof(struct persona_header, signature_offset), size - 8, PERSONA_ERR_RANGE,
		    "signature block");
	header_case(offsetof(struct persona_header, signature_offset), UINT64_MAX - 103,
		    PERSONA_ERR_RANGE, "signature block");
	header_case(offsetof(struct persona_header, manifest_size), 1 << 20, PERSONA_ERR_HEADER,
		    "manifest_size");
	header_case(offsetof(struct persona_header, manifest_size), 8, PERSONA_ERR_HEADER,
		    "manifest_size");
	header_case(offsetof(struct persona_header, signature_size), 64, PERSONA_ERR_HEADER,
		    "signature_size");
}

static void test_regions_overlap(void **state)
{
	header_case(offsetof(struct persona_header, signature_offset), 72, PERSONA_ERR_OVERLAP,
		    "signature block [0x48, 0xb0) overlaps the header");
	header_case(offsetof(struct persona_header, manifest_offset), 176, PERSONA_ERR_OVERLAP,
		    "manifest");
	header_case(offsetof(struct persona_header, images_offset), 0, PERSONA_ERR_OVERLAP,
		    "images region");
}

static void test_regions_misaligned(void **state)
{
	header_case(offsetof(struct persona_header, manifest_offset), 188, PERSONA_ERR_ALIGN,
		    "manifest offset 0xbc");
	header_case(offsetof(struct persona_header, signature_offset), 3001, PERSONA_ERR_ALIGN,
		    "signature block offset 0xbb9");
}

static void test_images_region_misaligned(void **state)
{
	struct pkg t;

	copy_good(&t);
	put_le64(HDR_FIELD(t.buf, images_offset), 4096 + 512);
	put_le64(HDR_FIELD(t.buf, images_size), 1024);
	assert_refused(&t, PERSONA_ERR_ALIGN, "images region offset 0x1200");
	pkg_free(&t);
}

static void test_misaligned_buffer(void **state)
{
	uint8_t *buf = malloc(g.size + 8);
	struct persona_policy policy = {g.trusted, 1, 0};
	struct persona p;
	struct persona_error err;
	enum persona_err e;

	assert_non_null(buf);
	memcpy(buf + 4, g.good, g.size);
	e = persona_verify(buf + 4, g.size, &policy, &persona_crypto_openssl, &p, &err);
	assert_int_equal(e, PERSONA_ERR_ALIGN);
	assert_non_null(strstr(err.msg, "aligned in memory"));
	free(buf);
}

/* Sets one value in the signed manifest of a copy of the good package; expects code. */
static void image_case(const char *path, const char *prop, uint64_t value, enum persona_err code,
		       const char *want)
{
	struct pkg t;
	void *fdt;

	copy_good(&t);
	fdt = manifest_open(&t);
	assert_int_equal(fdt_setprop_u64(fdt, node_of(fdt, path), prop, value), 0);
	manifest_close(&t, fdt);
	assert_refused(&t, code, want);
	pkg_free(&t);
}

static void test_images_out_of_range(void **state)
{
	struct pkg t;
	uint64_t kernel, kernel_size, initrd, initrd_size;
	char want[100];

	copy_good(&t);
	assert_int_equal(verify(&t), PERSONA_OK);
	kernel = t.p.manifest.images[PERSONA_IMAGE_KERNEL].offset;
	kernel_size = t.p.manifest.images[PERSONA_IMAGE_KERNEL].size;
	initrd = t.p.manifest.images[PERSONA_IMAGE_INITRD].offset;
	initrd_size = t.p.manifest.images[PERSONA_IMAGE_INITRD].size;
	pkg_free(&t);

	image_case("/images/kernel", "offset", g.size + 4096, PERSONA_ERR_RANGE, "kernel at");
	image_case("/images/kernel", "offset", 0, PERSONA_ERR_RANGE, "outside the images region");
	image_case("/images/dtb", "size", 1ULL << 40, PERSONA_ERR_RANGE, "dtb at");
	image_case("/images/initrd", "size", UINT64_MAX, PERSONA_ERR_RANGE, "initrd at");
	snprintf(want, sizeof(want), "initrd [0x1000, 0x%lx) overlaps the kernel [0x1000, 0x%lx)",
		 (unsigned long)(kernel + initrd_size), (unsigned long)(kernel + kernel_size));
	image_case("/images/initrd", "offset", kernel, PERSONA_ERR_OVERLAP, want);
	image_case("/images/kernel", "size", initrd - kernel + 1, PERSONA_ERR_OVERLAP, "overlaps");
	image_case("/images/kernel", "offset", kernel + 16, PERSONA_ERR_ALIGN,
		   "kernel offset 0x1010");
	image_case("/images/kernel", "size", 0, PERSONA_ERR_VALUE, "empty");
}

/* ---- flipped bits ---- */

/* Every single-bit flip in [from, to) is refused; returns how many gave code. */
static size_t flip_all(size_t from, size_t to, enum persona_err code)
{
	struct pkg t;
	size_t n = 0;

	copy_good(&t);
	for (size_t i = from; i < to; i++) {
		for (int bit = 0; bit < 8; bit++) {
			enum persona_err e;

			t.buf[i] ^= (uint8_t)(1u << bit);
			e = verify(&t);
			if (e == PERSONA_OK)
				fail_msg("flipping bit %d of byte %zu went unnoticed", bit, i);
			n += e == code;
			t.buf[i] ^= (uint8_t)(1u << bit);
		}
	}
	assert_int_equal(verify(&t), PERSONA_OK);
	pkg_free(&t);
	return n;
}

static void test_flipped_header(void **state)
{
	struct pkg t;

	flip_all(0, HDR_SIZE, PERSONA_ERR_SIGNATURE);

	copy_good(&t);
	t.buf[3] ^= 0x20;
	assert_refused(&t, PERSONA_ERR_MAGIC, "not a persona package");
	t.buf[3] ^= 0x20;
	t.buf[offsetof(struct persona_header, reserved) + 5] ^= 1;
	assert_refused(&t, PERSONA_ERR_HEADER, "reserved byte 5");
	pkg_free(&t);
}

static void test_flipped_signature_block(void **state)
{
	size_t off = get_le64(HDR_FIELD(g.good, signature_offset));
	struct pkg t;

	/* Every bit of the key id and the signature values, with its own error. */
	assert_int_equal(flip_all(off + 8, off + 40, PERSONA_ERR_UNKNOWN_KEY), 32 * 8);
	assert_int_equal(flip_all(off + 40, off + 104, PERSONA_ERR_SIGNATURE), 64 * 8);
	flip_all(off, off + 8, PERSONA_ERR_SIG_FORMAT);

	copy_good(&t);
	t.buf[off] = 2;
	assert_refused(&t, PERSONA_ERR_SIG_FORMAT, "signature type 2");
	t.buf[off] = 1;
	t.buf[off + 4] = 1;
	assert_refused(&t, PERSONA_ERR_SIG_FORMAT, "reserved");
	t.buf[off + 4] = 0;
	t.buf[off] = 0;
	assert_refused(&t, PERSONA_ERR_UNSIGNED, "not signed");
	pkg_free(&t);
}

static void test_flipped_manifest(void **state)
{
	size_t off = get_le64(HDR_FIELD(g.good, manifest_offset));
	size_t size = get_le64(HDR_FIELD(g.good, manifest_size));

	/* The manifest is only parsed once the signature holds: every flip is a bad signature. */
	assert_int_equal(flip_all(off, off + size, PERSONA_ERR_SIGNATURE), size * 8);
}

static void test_flipped_images(void **state)
{
	struct pkg t;

	copy_good(&t);
	assert_int_equal(verify(&t), PERSONA_OK);
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		const struct persona_image *img = &t.p.manifest.images[k];
		uint64_t offset = img->offset, size = img->size;
		const size_t at[] = {0, size / 2, size - 1};
		char want[32];

		snprintf(want, sizeof(want), "%s does not match", persona_image_name(k));
		for (size_t i = 0; i < 3; i++) {
			t.buf[offset + at[i]] ^= 0x01;
			assert_refused(&t, PERSONA_ERR_IMAGE_HASH, want);
			t.buf[offset + at[i]] ^= 0x01;
		}
		assert_int_equal(verify(&t), PERSONA_OK);
	}
	pkg_free(&t);
}

/* Padding is in no region: the format says readers ignore it (docs/persona-format.md). */
static void test_padding_is_not_covered(void **state)
{
	size_t end = get_le64(HDR_FIELD(g.good, manifest_offset)) +
		     get_le64(HDR_FIELD(g.good, manifest_size));
	struct pkg t;

	copy_good(&t);
	t.buf[end] ^= 0xff;
	assert_int_equal(verify(&t), PERSONA_OK);
	pkg_free(&t);
}

/* ---- keys, roles, rollback ---- */

static void test_wrong_key(void **state)
{
	struct pkg t;
	size_t off = get_le64(HDR_FIELD(g.good, signature_offset));
	uint8_t id_a[PERSONA_SHA256_SIZE];

	copy_good(&t);
	sign_raw(t.buf, g.key_b);
	assert_refused(&t, PERSONA_ERR_UNKNOWN_KEY, "not one of the 1 trusted keys");

	/* Signed by b but claiming to be a: the signature does not verify with a. */
	persona_key_id(&persona_crypto_openssl, g.trusted[0].pubkey, id_a);
	memcpy(t.buf + off + 8, id_a, sizeof(id_a));
	assert_refused(&t, PERSONA_ERR_SIGNATURE, "does not verify with key");
	pkg_free(&t);
}

static void test_role_not_trusted(void **state)
{
	struct persona_pack_spec spec = base_spec;
	struct pkg t;

	spec.role = PERSONA_ROLE_SYSTEM;
	build(&t, &spec);
	sign_raw(t.buf, g.key_a);
	assert_refused(&t, PERSONA_ERR_ROLE, "not trusted to sign a 'system' package");
	pkg_free(&t);

	spec.role = PERSONA_ROLE_APPLIANCE;
	build(&t, &spec);
	sign_raw(t.buf, g.key_a);
	assert_int_equal(verify(&t), PERSONA_OK);
	pkg_free(&t);
}

static void test_rolled_back(void **state)
{
	struct pkg t;

	copy_good(&t);
	assert_int_equal(verify_min(&t, 6), PERSONA_ERR_ROLLBACK);
	assert_int_equal(t.err.code, PERSONA_ERR_ROLLBACK);
	assert_non_null(strstr(t.err.msg, "rollback index 5 is below 6"));
	assert_int_equal(verify_min(&t, UINT64_MAX), PERSONA_ERR_ROLLBACK);
	pkg_free(&t);
}

/* ---- versions and fields this reader does not know ---- */

static void test_unknown_version(void **state)
{
	struct pkg t;

	copy_good(&t);
	put_le32(HDR_FIELD(t.buf, format_version), 2);
	assert_refused(&t, PERSONA_ERR_VERSION, "format version 2 is not known");
	put_le32(HDR_FIELD(t.buf, format_version), 0);
	assert_refused(&t, PERSONA_ERR_VERSION, "format version 0");
	put_le32(HDR_FIELD(t.buf, format_version), 1);
	put_le32(HDR_FIELD(t.buf, header_size), 88);
	assert_refused(&t, PERSONA_ERR_HEADER, "header_size is 88");
	pkg_free(&t);
}

/* Adds a property (or node) to the manifest of a copy of the good package; expects code. */
static void extension_case(const char *path, const char *prop, const char *node,
			   enum persona_err code, const char *want)
{
	struct pkg t;
	void *fdt;

	copy_good(&t);
	fdt = manifest_open(&t);
	if (prop)
		assert_int_equal(fdt_setprop_u32(fdt, node_of(fdt, path), prop, 1), 0);
	if (node) {
		int sub = fdt_add_subnode(fdt, node_of(fdt, path), node);

		assert_true(sub >= 0);
		/* What is inside a skipped node is never read, critical or not. */
		assert_int_equal(fdt_setprop_u32(fdt, sub, "critical,inner", 1), 0);
	}
	manifest_close(&t, fdt);
	if (code == PERSONA_OK) {
		if (verify(&t) != PERSONA_OK)
			fail_msg("%s", t.err.msg);
	} else {
		assert_refused(&t, code, want);
	}
	pkg_free(&t);
}

static void test_unknown_critical_field(void **state)
{
	extension_case("/", "critical,min-facet", NULL, PERSONA_ERR_CRITICAL,
		       "unknown critical property 'critical,min-facet'");
	extension_case("/images/kernel", "critical,compression", NULL, PERSONA_ERR_CRITICAL,
		       "/images/kernel: unknown critical property");
	extension_case("/images", "critical,x", NULL, PERSONA_ERR_CRITICAL, "/images");
	extension_case("/", NULL, "critical,secure-storage", PERSONA_ERR_CRITICAL,
		       "unknown critical node 'critical,secure-storage'");
	extension_case("/images", NULL, "critical,firmware", PERSONA_ERR_CRITICAL,
		       "unknown critical node");
}

static void test_unknown_optional_field_skipped(void **state)
{
	extension_case("/", "display-name", NULL, PERSONA_OK, NULL);
	extension_case("/images/initrd", "compression", NULL, PERSONA_OK, NULL);
	extension_case("/", NULL, "sensors", PERSONA_OK, NULL);
	extension_case("/images", NULL, "firmware", PERSONA_OK, NULL);
}

/* ---- manifest values ---- */

static void manifest_case(const char *path, const char *prop, const void *val, int len,
			  enum persona_err code, const char *want)
{
	struct pkg t;
	void *fdt;

	copy_good(&t);
	fdt = manifest_open(&t);
	if (val)
		assert_int_equal(fdt_setprop(fdt, node_of(fdt, path), prop, val, len), 0);
	else if (prop)
		assert_int_equal(fdt_delprop(fdt, node_of(fdt, path), prop), 0);
	else
		assert_int_equal(fdt_del_node(fdt, node_of(fdt, path)), 0);
	manifest_close(&t, fdt);
	assert_refused(&t, code, want);
	pkg_free(&t);
}

static void test_manifest_missing(void **state)
{
	manifest_case("/", "owner", NULL, 0, PERSONA_ERR_MISSING,
		      "required property 'owner' is missing");
	manifest_case("/", "rollback-index", NULL, 0, PERSONA_ERR_MISSING, "rollback-index");
	manifest_case("/images/dtb", "sha256", NULL, 0, PERSONA_ERR_MISSING,
		      "/images/dtb: required property 'sha256'");
	manifest_case("/images/kernel", NULL, NULL, 0, PERSONA_ERR_MISSING,
		      "required node 'kernel'");
	manifest_case("/images", NULL, NULL, 0, PERSONA_ERR_MISSING, "required node 'images' is missing");
}

static void test_manifest_bad_values(void **state)
{
	const fdt32_t nine = cpu_to_fdt32(9), zero = cpu_to_fdt32(0);
	const fdt32_t big = cpu_to_fdt32(256);
	static const char devices[] = "gpu0\0gpu0";
	static const char bad_device[] = "GPU";
	static const uint8_t short_hash[31] = {0};

	manifest_case("/", "role", "boss", 5, PERSONA_ERR_VALUE, "role is not one of");
	manifest_case("/", "vcpus", &nine, 4, PERSONA_ERR_VALUE, "vcpus = 9 is out of range 1..4");
	manifest_case("/", "memory-mib", &zero, 4, PERSONA_ERR_VALUE, "memory-mib = 0");
	manifest_case("/", "priority", &big, 4, PERSONA_ERR_VALUE, "priority = 256");
	manifest_case("/", "vcpus", "x", 2, PERSONA_ERR_VALUE, "not one cell");
	manifest_case("/", "rollback-index", &nine, 4, PERSONA_ERR_VALUE, "not two cells");
	manifest_case("/", "name", "a b", 4, PERSONA_ERR_VALUE, "name 'a b'");
	manifest_case("/", "name", "sixteen-chars-xx", 17, PERSONA_ERR_VALUE, "1..15");
	manifest_case("/", "owner", "", 1, PERSONA_ERR_VALUE, "owner");
	manifest_case("/", "owner", "tab\there", 9, PERSONA_ERR_VALUE, "printable");
	manifest_case("/", "cmdline", "no-nul", 6, PERSONA_ERR_VALUE, "cmdline");
	manifest_case("/", "devices", devices, sizeof(devices), PERSONA_ERR_VALUE,
		      "'gpu0' is listed twice");
	manifest_case("/", "devices", bad_device, sizeof(bad_device), PERSONA_ERR_VALUE,
		      "'GPU' is not made of");
	manifest_case("/images/initrd", "sha256", short_hash, sizeof(short_hash), PERSONA_ERR_VALUE,
		      "/images/initrd/sha256 is 31 bytes");
	manifest_case("/", "compatible", "facet,boot-image", 17, PERSONA_ERR_MANIFEST,
		      "not a persona manifest");
}

static void test_manifest_not_a_device_tree(void **state)
{
	struct pkg t;
	size_t off = get_le64(HDR_FIELD(g.good, manifest_offset));
	struct persona_manifest m;
	struct persona_error err;
	uint64_t aligned[16] = {0};

	copy_good(&t);
	t.buf[off] ^= 0xff; /* FDT magic */
	sign_raw(t.buf, g.key_a);
	assert_refused(&t, PERSONA_ERR_MANIFEST, "not a device tree");
	pkg_free(&t);

	/* The header's manifest_size and the FDT's totalsize must agree. */
	copy_good(&t);
	put_le64(HDR_FIELD(t.buf, manifest_size), get_le64(HDR_FIELD(t.buf, manifest_size)) + 8);
	sign_raw(t.buf, g.key_a);
	assert_refused(&t, PERSONA_ERR_MANIFEST, "its region");
	pkg_free(&t);

	/* Regression (found by the fuzzer): a version-8 FDT crashed libfdt's fdt_check_full. */
	copy_good(&t);
	put_be32(t.buf + off + 20, 8);
	put_be32(t.buf + off + 24, 7);
	sign_raw(t.buf, g.key_a);
	assert_refused(&t, PERSONA_ERR_MANIFEST, "device tree version 8 is older than 17");
	pkg_free(&t);

	/*
	 * Regression (found by the fuzzer): a property length of 2^32 - 12 made
	 * libfdt's fdt_check_full walk backwards forever. The first property
	 * ("compatible") has its length 12 bytes into the structure block.
	 */
	copy_good(&t);
	put_be32(t.buf + off + fdt_off_dt_struct(t.buf + off) + 12, 0xfffffff4);
	sign_raw(t.buf, g.key_a);
	assert_refused(&t, PERSONA_ERR_MANIFEST, "runs outside the device tree's structure block");
	pkg_free(&t);

	/* Blocks at offsets the Devicetree Specification does not allow. */
	copy_good(&t);
	put_be32(t.buf + off + 8, 0x3a); /* off_dt_struct */
	sign_raw(t.buf, g.key_a);
	assert_refused(&t, PERSONA_ERR_MANIFEST, "structure block at 58");
	pkg_free(&t);

	/* The manifest parser on its own. */
	assert_int_equal(persona_parse_manifest(aligned, sizeof(aligned), &m, &err),
			 PERSONA_ERR_MANIFEST);
	assert_int_equal(persona_parse_manifest((uint8_t *)aligned + 4, 64, &m, &err),
			 PERSONA_ERR_ALIGN);
	assert_int_equal(persona_parse_manifest(aligned, 8, &m, &err), PERSONA_ERR_MANIFEST);
}

/* ---- signing ---- */

static void test_sign_refuses_damaged_package(void **state)
{
	struct pkg t;
	struct diag d = {0};

	copy_good(&t);
	assert_int_equal(verify(&t), PERSONA_OK);
	t.buf[t.p.manifest.images[PERSONA_IMAGE_INITRD].offset] ^= 1;
	assert_int_equal(persona_pack_sign_buf(t.buf, t.size, g.key_a, "x.pkg", &d), -1);
	assert_int_equal(d.count, 1);
	assert_non_null(strstr(d.msgs[0], "x.pkg: not signing: initrd does not match"));
	diag_clear(&d);

	t.buf[0] = 'X';
	assert_int_equal(persona_pack_sign_buf(t.buf, t.size, g.key_a, "x.pkg", &d), -1);
	assert_non_null(strstr(d.msgs[0], "x.pkg: cannot sign: not a persona package"));
	diag_clear(&d);
	pkg_free(&t);
}

static void test_error_names_distinct(void **state)
{
	for (int i = 0; i < PERSONA_ERR_COUNT; i++) {
		assert_non_null(persona_err_name(i));
		for (int j = 0; j < i; j++)
			assert_string_not_equal(persona_err_name(i), persona_err_name(j));
	}
	assert_string_equal(persona_role_name(PERSONA_ROLE_APPLIANCE), "appliance");
	assert_int_equal(persona_role_from_name("system"), PERSONA_ROLE_SYSTEM);
	assert_int_equal(persona_role_from_name("admin"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_valid_package_verifies),
	    cmocka_unit_test(test_minimal_package),
	    cmocka_unit_test(test_files_round_trip),
	    cmocka_unit_test(test_parse_needs_no_crypto),
	    cmocka_unit_test(test_truncated),
	    cmocka_unit_test(test_trailing_bytes),
	    cmocka_unit_test(test_regions_out_of_range),
	    cmocka_unit_test(test_regions_overlap),
	    cmocka_unit_test(test_regions_misaligned),
	    cmocka_unit_test(test_images_region_misaligned),
	    cmocka_unit_test(test_misaligned_buffer),
	    cmocka_unit_test(test_images_out_of_range),
	    cmocka_unit_test(test_flipped_header),
	    cmocka_unit_test(test_flipped_signature_block),
	    cmocka_unit_test(test_flipped_manifest),
	    cmocka_unit_test(test_flipped_images),
	    cmocka_unit_test(test_padding_is_not_covered),
	    cmocka_unit_test(test_wrong_key),
	    cmocka_unit_test(test_role_not_trusted),
	    cmocka_unit_test(test_rolled_back),
	    cmocka_unit_test(test_unknown_version),
	    cmocka_unit_test(test_unknown_critical_field),
	    cmocka_unit_test(test_unknown_optional_field_skipped),
	    cmocka_unit_test(test_manifest_missing),
	    cmocka_unit_test(test_manifest_bad_values),
	    cmocka_unit_test(test_manifest_not_a_device_tree),
	    cmocka_unit_test(test_sign_refuses_damaged_package),
	    cmocka_unit_test(test_error_names_distinct),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
