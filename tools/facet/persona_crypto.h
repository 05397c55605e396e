/*
 * The host side of persona-package cryptography, on OpenSSL (libcrypto):
 * the struct persona_crypto core/persona.c verifies with, and the key
 * handling the tool needs to make and sign packages. Keys are standard PEM
 * files, so an enterprise can make and keep them with its own tooling:
 * private keys as PKCS#8 or SEC 1 ("EC PRIVATE KEY"), public keys as
 * SubjectPublicKeyInfo ("PUBLIC KEY"). Only NIST P-256 keys are accepted.
 */
#ifndef FACET_TOOL_PERSONA_CRYPTO_H
#define FACET_TOOL_PERSONA_CRYPTO_H

#include <stdint.h>

#include "core/persona.h"
#include "diag.h"

/* SHA-256 and ECDSA P-256 verification for persona_verify(). */
extern const struct persona_crypto persona_crypto_openssl;

/* A private key loaded from a PEM file (opaque; OpenSSL's EVP_PKEY). */
struct persona_crypto_key;

/*
 * Makes a new P-256 key pair: the private key to priv_path (mode 0600,
 * refused if the file exists), the public key to pub_path if not NULL.
 * Returns 0, or -1 after adding a message naming the file to d.
 */
int persona_crypto_keygen(const char *priv_path, const char *pub_path, struct diag *d);

/* Loads a P-256 private key. Returns NULL after adding a message to d. */
struct persona_crypto_key *persona_crypto_load_private(const char *path, struct diag *d);

void persona_crypto_free(struct persona_crypto_key *key);

/* The key's public half as a 65-byte uncompressed point. */
int persona_crypto_public(const struct persona_crypto_key *key, uint8_t pub[PERSONA_PUBKEY_SIZE],
			  struct diag *d);

/*
 * Loads a public key from path: a PEM public key, or a private key whose
 * public half is taken. Returns 0, or -1 after adding a message to d.
 */
int persona_crypto_load_public(const char *path, uint8_t pub[PERSONA_PUBKEY_SIZE], struct diag *d);

/* Signs a SHA-256 digest: sig is r || s. Returns 0, or -1 after adding a message to d. */
int persona_crypto_sign(const struct persona_crypto_key *key,
			const uint8_t digest[PERSONA_SHA256_SIZE],
			uint8_t sig[PERSONA_SIG_RAW_SIZE], struct diag *d);

#endif
