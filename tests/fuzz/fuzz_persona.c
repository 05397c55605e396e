/*
 * libFuzzer target for the persona-package reader (core/persona.c): the
 * header and layout checks, the manifest parser and the image checks, on
 * arbitrary bytes. Built with clang -fsanitize=fuzzer,address,undefined by
 * mk/fuzz.mk; seeds in tests/fuzz/corpus (tests/fuzz/make-corpus.sh).
 *
 * Each input goes through three doors:
 *   1. persona_parse_manifest on the whole input, as a bare manifest;
 *   2. persona_parse on the input as it is, signature block included;
 *   3. persona_verify with the signature made to pass: the signature block
 *      is rewritten to name the one trusted key and the ECDSA check always
 *      succeeds, so mutations reach the manifest parser and the image
 *      checks that only run behind a valid signature. SHA-256 is real.
 * Anything the reader accepts is then checked against what it promises
 * (every region and image inside the input); a broken promise traps.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/persona.h"
#include "tools/facet/persona_crypto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static bool accept_any_signature(const uint8_t pubkey[PERSONA_PUBKEY_SIZE],
				 const uint8_t digest[PERSONA_SHA256_SIZE],
				 const uint8_t sig[PERSONA_SIG_RAW_SIZE])
{
	return true;
}

static const struct persona_crypto fuzz_crypto = {
    .sha256 = NULL, /* set at first use: OpenSSL's */
    .p256_verify = accept_any_signature,
};

static void check(bool ok)
{
	if (!ok)
		__builtin_trap();
}

static uint64_t le64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

/* What an accepted package promises about itself. */
static void check_accepted(const struct persona *p, size_t size)
{
	const struct persona_layout *l = &p->layout;
	const struct persona_manifest *m = &p->manifest;

	check(l->package_size == size);
	check(l->manifest_offset <= size && l->manifest_size <= size - l->manifest_offset);
	check(l->images_offset <= size && l->images_size <= size - l->images_offset);
	check(m->name[0] != '\0' && strlen(m->name) <= PERSONA_NAME_MAX);
	check(m->role < PERSONA_ROLE_COUNT);
	check(m->images[PERSONA_IMAGE_KERNEL].present);
	check(m->ndevices <= PERSONA_MAX_DEVICES);
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		const struct persona_image *img = &m->images[k];

		if (!img->present)
			continue;
		check(img->size > 0 && img->offset % PERSONA_IMAGE_ALIGN == 0);
		check(img->offset >= l->images_offset &&
		      img->offset - l->images_offset <= l->images_size &&
		      img->size <= l->images_size - (img->offset - l->images_offset));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct persona_crypto crypto;
	static struct persona_trusted_key key = {.roles = PERSONA_ROLES_ALL, .label = "fuzz"};
	static uint8_t key_id[PERSONA_SHA256_SIZE];
	struct persona_policy policy = {.keys = &key, .nkeys = 1, .min_rollback = 0};
	struct persona_manifest m;
	struct persona p;
	struct persona_error err;
	uint8_t *buf;

	if (!crypto.sha256) {
		crypto = fuzz_crypto;
		crypto.sha256 = persona_crypto_openssl.sha256;
		key.pubkey[0] = 0x04;
		persona_key_id(&crypto, key.pubkey, key_id);
	}

	/* The reader wants 8-byte alignment (libfdt); malloc gives at least that. */
	buf = malloc(size ? size : 1);
	if (!buf)
		return 0;
	memcpy(buf, data, size);

	persona_parse_manifest(buf, size, &m, &err);

	if (persona_parse(buf, size, &p, &err) == PERSONA_OK)
		check_accepted(&p, size);

	if (size >= sizeof(struct persona_header)) {
		uint64_t off = le64(buf + offsetof(struct persona_header, signature_offset));

		if (off <= size && size - off >= sizeof(struct persona_sig_block)) {
			memset(buf + off, 0, 8);
			buf[off] = PERSONA_SIG_ECDSA_P256_SHA256;
			memcpy(buf + off + offsetof(struct persona_sig_block, key_id), key_id,
			       sizeof(key_id));
		}
	}
	if (persona_verify(buf, size, &policy, &crypto, &p, &err) == PERSONA_OK)
		check_accepted(&p, size);
	else
		check(err.code != PERSONA_OK && err.msg[0] != '\0');

	free(buf);
	return 0;
}
