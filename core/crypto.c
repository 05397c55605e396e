#include <bearssl.h>

#include "core/crypto.h"
#include "core/vcpu.h"

/*
 * Debian builds BearSSL with the compiler free to use FP/SIMD registers
 * (SHA-256 and the P-256 field code do), and those may hold a guest's state:
 * every call into BearSSL keeps them as they were.
 */
void fpsimd_save(struct fpsimd_state *s);
void fpsimd_restore(const struct fpsimd_state *s);

static void el2_sha256(const struct persona_span *spans, size_t n,
		       uint8_t digest[PERSONA_SHA256_SIZE])
{
	struct fpsimd_state saved;
	br_sha256_context c;

	fpsimd_save(&saved);
	br_sha256_init(&c);
	for (size_t i = 0; i < n; i++)
		br_sha256_update(&c, spans[i].data, spans[i].len);
	br_sha256_out(&c, digest);
	fpsimd_restore(&saved);
}

static bool el2_p256_verify(const uint8_t pubkey[PERSONA_PUBKEY_SIZE],
			    const uint8_t digest[PERSONA_SHA256_SIZE],
			    const uint8_t sig[PERSONA_SIG_RAW_SIZE])
{
	/* BearSSL takes the uncompressed point and raw r || s as the package stores them. */
	br_ec_public_key key = {
		.curve = BR_EC_secp256r1,
		.q = (unsigned char *)(uintptr_t)pubkey,
		.qlen = PERSONA_PUBKEY_SIZE,
	};
	struct fpsimd_state saved;

	fpsimd_save(&saved);
	bool ok = br_ecdsa_i31_vrfy_raw(&br_ec_prime_i31, digest, PERSONA_SHA256_SIZE, &key, sig,
					PERSONA_SIG_RAW_SIZE) == 1;
	fpsimd_restore(&saved);
	return ok;
}

const struct persona_crypto el2_crypto = {
	.sha256 = el2_sha256,
	.p256_verify = el2_p256_verify,
};
