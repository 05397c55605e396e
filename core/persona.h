/*
 * Reading and verifying persona packages (docs/persona-format.md). The same
 * code runs in the hypervisor (BearSSL underneath) and in the host tool and
 * tests (OpenSSL underneath): the two cryptographic primitives come in
 * through struct persona_crypto, everything else is plain C on libfdt with
 * no allocation.
 *
 * The package is read in place: it must be 8-byte aligned in memory and stay
 * unchanged while the results (which point into it) are in use.
 */
#ifndef FACET_CORE_PERSONA_H
#define FACET_CORE_PERSONA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "abi/persona.h"

/* Every way a package can be refused; persona_err_name() gives a short name for each. */
enum persona_err {
	PERSONA_OK,
	PERSONA_ERR_TRUNCATED,	 /* shorter than its header or its package_size */
	PERSONA_ERR_MAGIC,	 /* not a persona package */
	PERSONA_ERR_VERSION,	 /* a format version this reader does not know */
	PERSONA_ERR_HEADER,	 /* header_size, reserved bytes, trailing bytes */
	PERSONA_ERR_RANGE,	 /* a region or image outside the package or its region */
	PERSONA_ERR_ALIGN,	 /* a region or image at an offset of the wrong alignment */
	PERSONA_ERR_OVERLAP,	 /* two regions or two images share bytes */
	PERSONA_ERR_UNSIGNED,	 /* the signature block is still empty */
	PERSONA_ERR_SIG_FORMAT,	 /* unknown signature type, non-zero reserved field */
	PERSONA_ERR_UNKNOWN_KEY, /* signed by a key that is not in the trust list */
	PERSONA_ERR_SIGNATURE,	 /* the signature does not verify */
	PERSONA_ERR_MANIFEST,	 /* the manifest is not a sound device tree of ours */
	PERSONA_ERR_MISSING,	 /* a required property or node is missing */
	PERSONA_ERR_VALUE,	 /* a property has the wrong size, type or range */
	PERSONA_ERR_CRITICAL,	 /* an unknown critical property or node */
	PERSONA_ERR_ROLE,	 /* the signing key is not trusted for the package's role */
	PERSONA_ERR_ROLLBACK,	 /* rollback index below the lowest one accepted */
	PERSONA_ERR_IMAGE_HASH,	 /* an image does not match its SHA-256 */
	PERSONA_ERR_COUNT,
};

/* What went wrong: the code, and one line naming the field or region and the values. */
struct persona_error {
	enum persona_err code;
	char msg[200];
};

/* The decoded header (struct persona_header, host byte order). */
struct persona_layout {
	uint32_t format_version;
	uint64_t package_size;
	uint64_t manifest_offset, manifest_size;
	uint64_t images_offset, images_size;
	uint64_t signature_offset, signature_size;
};

struct persona_image {
	bool present;
	uint64_t offset, size; /* from the start of the package */
	const uint8_t *sha256; /* PERSONA_SHA256_SIZE bytes, in the manifest */
};

/* The manifest, validated. Strings point into the manifest. */
struct persona_manifest {
	char name[PERSONA_NAME_MAX + 1];
	enum persona_role role;
	char owner[PERSONA_OWNER_MAX + 1];
	uint64_t rollback_index;
	uint32_t memory_mib;
	uint32_t vcpus;
	uint32_t priority;
	const char *cmdline; /* "" if none */
	const char *devices[PERSONA_MAX_DEVICES];
	size_t ndevices;
	struct persona_image images[PERSONA_IMAGE_COUNT];
};

/* A package: its layout, manifest and signature block, as read (not yet verified). */
struct persona {
	struct persona_layout layout;
	struct persona_manifest manifest;
	bool is_signed; /* the signature block is filled in (says nothing of its validity) */
	uint32_t sig_type;
	const uint8_t *key_id; /* PERSONA_SHA256_SIZE bytes, in the package */
	const uint8_t *sig;    /* PERSONA_SIG_RAW_SIZE bytes, in the package */
};

/* A run of bytes to hash; the signed message is two of them (header, manifest). */
struct persona_span {
	const void *data;
	size_t len;
};

/*
 * The cryptography, supplied by the caller: OpenSSL on the host, BearSSL at EL2.
 *   sha256        digest of the concatenation of n spans
 *   p256_verify   true if sig (r || s) is a valid ECDSA P-256 signature of the
 *                 SHA-256 digest by the public key (uncompressed SEC 1 point)
 */
struct persona_crypto {
	void (*sha256)(const struct persona_span *spans, size_t n,
		       uint8_t digest[PERSONA_SHA256_SIZE]);
	bool (*p256_verify)(const uint8_t pubkey[PERSONA_PUBKEY_SIZE],
			    const uint8_t digest[PERSONA_SHA256_SIZE],
			    const uint8_t sig[PERSONA_SIG_RAW_SIZE]);
};

/* One entry of the trust list: a public key and the roles it may sign. */
struct persona_trusted_key {
	uint8_t pubkey[PERSONA_PUBKEY_SIZE];
	uint32_t roles;	   /* PERSONA_ROLE_BIT()s */
	const char *label; /* for messages, e.g. "enterprise key"; may be NULL */
};

struct persona_policy {
	const struct persona_trusted_key *keys;
	size_t nkeys;
	uint64_t min_rollback; /* the lowest rollback index accepted */
};

/*
 * Reads a package of size bytes without any cryptography: the header, the
 * layout of every region, the manifest and where its images lie. For tools
 * that show a package; nothing in the result is authenticated.
 * Returns PERSONA_OK, or the error with err filled in.
 */
enum persona_err persona_parse(const void *pkg, size_t size, struct persona *out,
			       struct persona_error *err);

/*
 * Everything a package must pass before it runs, in this order: the header
 * and layout; the signature over header and manifest, with a key of the trust
 * list; the manifest (parsed only once authenticated); the key trusted for
 * the manifest's role; the rollback index; every image's SHA-256.
 * Returns PERSONA_OK with out filled in, or the first failure with err filled in.
 */
enum persona_err persona_verify(const void *pkg, size_t size, const struct persona_policy *policy,
				const struct persona_crypto *crypto, struct persona *out,
				struct persona_error *err);

/*
 * The manifest parser alone: manifest_size bytes of FDT (8-byte aligned).
 * Image ranges are checked by persona_parse/persona_verify, which know the package.
 */
enum persona_err persona_parse_manifest(const void *manifest, size_t manifest_size,
					struct persona_manifest *out, struct persona_error *err);

/* The two spans the signature covers, for a package whose header persona_parse accepted. */
void persona_signed_spans(const void *pkg, const struct persona_layout *layout,
			  struct persona_span spans[2]);

/* The key id of a public key: SHA-256 of its 65 bytes. */
void persona_key_id(const struct persona_crypto *crypto, const uint8_t pubkey[PERSONA_PUBKEY_SIZE],
		    uint8_t id[PERSONA_SHA256_SIZE]);

/* "system", "persona", "appliance"; NULL for anything else. */
const char *persona_role_name(enum persona_role role);
/* The role with that name; -1 if none. */
int persona_role_from_name(const char *name);
/* Short fixed name of an error code, e.g. "rollback". */
const char *persona_err_name(enum persona_err code);
/* The image node names: "kernel", "initrd", "dtb". */
const char *persona_image_name(enum persona_image_kind kind);

#endif
