/*
 * Persona-package cryptography on the host: see persona_crypto.h.
 *
 * The package stores a signature as raw r || s (what BearSSL verifies at
 * EL2); OpenSSL speaks DER-encoded ECDSA-Sig-Value (SEC 1, C.8), so the two
 * are converted here and nowhere else.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "persona_crypto.h"

/* OpenSSL's name for NIST P-256 (secp256r1). */
#define P256_GROUP "prime256v1"

struct persona_crypto_key {
	EVP_PKEY *pkey;
	char *path;
};

/* The reason for the last OpenSSL failure, or a fallback; clears OpenSSL's error queue. */
static const char *ossl_reason(const char *fallback)
{
	static char buf[160];
	unsigned long e = ERR_peek_last_error();

	ERR_clear_error();
	if (!e)
		return fallback;
	ERR_error_string_n(e, buf, sizeof(buf));
	return buf;
}

static void fatal_openssl(const char *what)
{
	fprintf(stderr, "facet: OpenSSL failed in %s: %s\n", what, ossl_reason("unknown error"));
	exit(1);
}

static void openssl_sha256(const struct persona_span *spans, size_t n,
			   uint8_t digest[PERSONA_SHA256_SIZE])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned len = 0;

	if (!ctx || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		fatal_openssl("SHA-256");
	for (size_t i = 0; i < n; i++)
		if (!EVP_DigestUpdate(ctx, spans[i].data, spans[i].len))
			fatal_openssl("SHA-256");
	if (!EVP_DigestFinal_ex(ctx, digest, &len) || len != PERSONA_SHA256_SIZE)
		fatal_openssl("SHA-256");
	EVP_MD_CTX_free(ctx);
}

/* A public-only EVP_PKEY from a 65-byte uncompressed point; NULL if it is not on P-256. */
static EVP_PKEY *pkey_from_point(const uint8_t pub[PERSONA_PUBKEY_SIZE])
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);
	EVP_PKEY *pkey = NULL;
	OSSL_PARAM params[] = {
	    OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, P256_GROUP, 0),
	    OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, (void *)pub,
					      PERSONA_PUBKEY_SIZE),
	    OSSL_PARAM_construct_end(),
	};

	if (!ctx)
		fatal_openssl("EVP_PKEY_CTX_new_from_name");
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) <= 0)
		pkey = NULL;
	EVP_PKEY_CTX_free(ctx);
	ERR_clear_error();
	return pkey;
}

static bool openssl_p256_verify(const uint8_t pub[PERSONA_PUBKEY_SIZE],
				const uint8_t digest[PERSONA_SHA256_SIZE],
				const uint8_t sig[PERSONA_SIG_RAW_SIZE])
{
	EVP_PKEY *pkey = pkey_from_point(pub);
	ECDSA_SIG *es = ECDSA_SIG_new();
	BIGNUM *r = BN_bin2bn(sig, 32, NULL), *s = BN_bin2bn(sig + 32, 32, NULL);
	unsigned char *der = NULL;
	EVP_PKEY_CTX *ctx = NULL;
	int derlen;
	bool ok = false;

	if (!es || !r || !s)
		fatal_openssl("ECDSA_SIG_new");
	ECDSA_SIG_set0(es, r, s); /* es owns r and s now */
	derlen = i2d_ECDSA_SIG(es, &der);
	if (pkey && derlen > 0) {
		ctx = EVP_PKEY_CTX_new(pkey, NULL);
		ok = ctx && EVP_PKEY_verify_init(ctx) > 0 &&
		     EVP_PKEY_verify(ctx, der, (size_t)derlen, digest, PERSONA_SHA256_SIZE) == 1;
	}
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_free(der);
	ECDSA_SIG_free(es);
	EVP_PKEY_free(pkey);
	ERR_clear_error();
	return ok;
}

const struct persona_crypto persona_crypto_openssl = {
    .sha256 = openssl_sha256,
    .p256_verify = openssl_p256_verify,
};

/* Refuses anything but an EC key on P-256. */
static int check_p256(EVP_PKEY *pkey, const char *path, struct diag *d)
{
	char group[64] = "";

	if (!EVP_PKEY_is_a(pkey, "EC")) {
		diag_add(d, "%s: key type %s, not EC P-256", path, EVP_PKEY_get0_type_name(pkey));
		return -1;
	}
	if (!EVP_PKEY_get_group_name(pkey, group, sizeof(group), NULL) ||
	    strcmp(group, P256_GROUP) != 0) {
		diag_add(d, "%s: an EC key on curve '%s', not P-256 (prime256v1)", path,
			 group[0] ? group : "unknown");
		return -1;
	}
	return 0;
}

/* The public point, uncompressed, whatever form the file stored it in. */
static int public_point(EVP_PKEY *pkey, const char *path, uint8_t pub[PERSONA_PUBKEY_SIZE],
			struct diag *d)
{
	size_t len = 0;

	if (!EVP_PKEY_set_utf8_string_param(pkey, OSSL_PKEY_PARAM_EC_POINT_CONVERSION_FORMAT,
					    "uncompressed") ||
	    !EVP_PKEY_get_octet_string_param(pkey, OSSL_PKEY_PARAM_PUB_KEY, pub,
					     PERSONA_PUBKEY_SIZE, &len) ||
	    len != PERSONA_PUBKEY_SIZE || pub[0] != 0x04) {
		diag_add(d, "%s: cannot get the public point: %s", path,
			 ossl_reason("not an uncompressed P-256 point"));
		return -1;
	}
	return 0;
}

/* Creates path for writing; fails if it exists. */
static FILE *create_new(const char *path, mode_t mode, struct diag *d)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode);
	FILE *f;

	if (fd < 0) {
		diag_add(d, "%s: %s%s", path, strerror(errno),
			 errno == EEXIST ? " (not overwriting it)" : "");
		return NULL;
	}
	f = fdopen(fd, "w");
	if (!f) {
		diag_add(d, "%s: %s", path, strerror(errno));
		close(fd);
		unlink(path);
	}
	return f;
}

/* Finishes a file written through create_new; removes it on failure. */
static int close_new(FILE *f, const char *path, bool ok, struct diag *d)
{
	if (fclose(f) != 0 && ok) {
		diag_add(d, "%s: %s", path, strerror(errno));
		ok = false;
	}
	if (!ok)
		unlink(path);
	return ok ? 0 : -1;
}

int persona_crypto_keygen(const char *priv_path, const char *pub_path, struct diag *d)
{
	EVP_PKEY *pkey = EVP_EC_gen(P256_GROUP);
	FILE *f;
	int rc = -1;

	if (!pkey) {
		diag_add(d, "%s: cannot make a P-256 key: %s", priv_path,
			 ossl_reason("unknown error"));
		return -1;
	}
	f = create_new(priv_path, 0600, d);
	if (!f)
		goto out;
	if (close_new(f, priv_path, PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL) == 1,
		      d) < 0) {
		diag_add(d, "%s: cannot write the private key: %s", priv_path,
			 ossl_reason("write error"));
		goto out;
	}
	if (pub_path) {
		f = create_new(pub_path, 0644, d);
		if (!f || close_new(f, pub_path, PEM_write_PUBKEY(f, pkey) == 1, d) < 0) {
			if (f)
				diag_add(d, "%s: cannot write the public key: %s", pub_path,
					 ossl_reason("write error"));
			unlink(priv_path); /* all or nothing */
			goto out;
		}
	}
	rc = 0;
out:
	EVP_PKEY_free(pkey);
	return rc;
}

static FILE *open_pem(const char *path, struct diag *d)
{
	FILE *f = fopen(path, "r");

	if (!f)
		diag_add(d, "%s: %s", path, strerror(errno));
	return f;
}

struct persona_crypto_key *persona_crypto_load_private(const char *path, struct diag *d)
{
	FILE *f = open_pem(path, d);
	struct persona_crypto_key *key;
	EVP_PKEY *pkey;

	if (!f)
		return NULL;
	pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	fclose(f);
	if (!pkey) {
		diag_add(d, "%s: not a PEM private key: %s", path, ossl_reason("unreadable"));
		return NULL;
	}
	if (check_p256(pkey, path, d) < 0) {
		EVP_PKEY_free(pkey);
		return NULL;
	}
	key = calloc(1, sizeof(*key));
	if (!key || !(key->path = strdup(path))) {
		fputs("facet: out of memory\n", stderr);
		exit(1);
	}
	key->pkey = pkey;
	return key;
}

void persona_crypto_free(struct persona_crypto_key *key)
{
	if (!key)
		return;
	EVP_PKEY_free(key->pkey);
	free(key->path);
	free(key);
}

int persona_crypto_public(const struct persona_crypto_key *key, uint8_t pub[PERSONA_PUBKEY_SIZE],
			  struct diag *d)
{
	return public_point(key->pkey, key->path, pub, d);
}

int persona_crypto_load_public(const char *path, uint8_t pub[PERSONA_PUBKEY_SIZE], struct diag *d)
{
	FILE *f = open_pem(path, d);
	EVP_PKEY *pkey;
	int rc;

	if (!f)
		return -1;
	pkey = PEM_read_PUBKEY(f, NULL, NULL, NULL);
	if (!pkey) {
		/* A private key holds its public half: accept one too. */
		ERR_clear_error();
		rewind(f);
		pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
	}
	fclose(f);
	if (!pkey) {
		diag_add(d, "%s: not a PEM public (or private) key: %s", path,
			 ossl_reason("unreadable"));
		return -1;
	}
	rc = check_p256(pkey, path, d);
	if (rc == 0)
		rc = public_point(pkey, path, pub, d);
	EVP_PKEY_free(pkey);
	return rc;
}

int persona_crypto_sign(const struct persona_crypto_key *key,
			const uint8_t digest[PERSONA_SHA256_SIZE],
			uint8_t sig[PERSONA_SIG_RAW_SIZE], struct diag *d)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new(key->pkey, NULL);
	unsigned char der[128];
	const unsigned char *p = der;
	size_t derlen = sizeof(der);
	ECDSA_SIG *es = NULL;
	const BIGNUM *r, *s;
	int rc = -1;

	if (!ctx || EVP_PKEY_sign_init(ctx) <= 0 ||
	    EVP_PKEY_sign(ctx, der, &derlen, digest, PERSONA_SHA256_SIZE) <= 0) {
		diag_add(d, "%s: signing failed: %s", key->path, ossl_reason("unknown error"));
		goto out;
	}
	es = d2i_ECDSA_SIG(NULL, &p, (long)derlen);
	if (!es) {
		diag_add(d, "%s: signing gave no ECDSA signature: %s", key->path,
			 ossl_reason("unknown error"));
		goto out;
	}
	ECDSA_SIG_get0(es, &r, &s);
	if (BN_bn2binpad(r, sig, 32) != 32 || BN_bn2binpad(s, sig + 32, 32) != 32) {
		diag_add(d, "%s: signature values do not fit in 32 bytes", key->path);
		goto out;
	}
	rc = 0;
out:
	ECDSA_SIG_free(es);
	EVP_PKEY_CTX_free(ctx);
	return rc;
}
