/*
 * Persona packages: one signed file per VM (docs/persona-format.md is the
 * specification; this header holds its numbers).
 *
 *   0x0                 header (struct persona_header, little-endian)
 *   signature_offset    signature block (struct persona_sig_block)
 *   manifest_offset     manifest: a flattened device tree (Devicetree Spec 0.4, ch. 5)
 *   images_offset       images region: kernel, initrd, dtb at 4 KiB-aligned offsets
 *
 * The signature is ECDSA P-256 over SHA-256(header bytes || manifest bytes);
 * the manifest holds the SHA-256 of every image, so the images are covered
 * through it. Shared by the hypervisor, the host tool and the tests.
 */
#ifndef FACET_ABI_PERSONA_H
#define FACET_ABI_PERSONA_H

#include <stddef.h>
#include <stdint.h>

#define PERSONA_MAGIC "FACETPKG" /* the 8 bytes, without a NUL */
#define PERSONA_MAGIC_SIZE 8
#define PERSONA_FORMAT_VERSION 1

/* Layout rules (docs/persona-format.md, "Layout"). */
#define PERSONA_IMAGE_ALIGN 4096u
#define PERSONA_MANIFEST_ALIGN 8u	 /* libfdt reads the FDT header with aligned loads */
#define PERSONA_MANIFEST_MAX (64u << 10) /* bounds the work a reader does before anything */

/* Cryptography: ECDSA over NIST P-256 (FIPS 186-4) with SHA-256 (FIPS 180-4). */
#define PERSONA_SHA256_SIZE 32
#define PERSONA_PUBKEY_SIZE 65	/* SEC 1 (2.3.3) uncompressed point: 0x04 || X || Y */
#define PERSONA_SIG_RAW_SIZE 64 /* r || s, each 32 bytes big-endian */
#define PERSONA_SIG_ECDSA_P256_SHA256 1

/* The fixed header at offset 0. All fields little-endian. */
struct persona_header {
	uint8_t magic[PERSONA_MAGIC_SIZE]; /* PERSONA_MAGIC */
	uint32_t format_version;	   /* PERSONA_FORMAT_VERSION */
	uint32_t header_size;		   /* sizeof(struct persona_header) in version 1 */
	uint64_t package_size;		   /* bytes in the whole package */
	uint64_t manifest_offset;
	uint64_t manifest_size; /* equals the manifest FDT's totalsize */
	uint64_t images_offset;
	uint64_t images_size;
	uint64_t signature_offset;
	uint64_t signature_size; /* sizeof(struct persona_sig_block) */
	uint8_t reserved[8];	 /* zero */
};

/* The signature block. Not itself signed: only type 1 exists, so nothing can be downgraded. */
struct persona_sig_block {
	uint32_t type;	   /* PERSONA_SIG_ECDSA_P256_SHA256, or 0: not signed yet */
	uint32_t reserved; /* zero */
	uint8_t key_id[PERSONA_SHA256_SIZE]; /* SHA-256 of the signer's 65-byte public key */
	uint8_t sig[PERSONA_SIG_RAW_SIZE];   /* r || s */
};

_Static_assert(sizeof(struct persona_header) == 80, "persona header is 80 bytes");
_Static_assert(offsetof(struct persona_header, format_version) == 8, "header layout");
_Static_assert(offsetof(struct persona_header, package_size) == 16, "header layout");
_Static_assert(offsetof(struct persona_header, manifest_offset) == 24, "header layout");
_Static_assert(offsetof(struct persona_header, images_offset) == 40, "header layout");
_Static_assert(offsetof(struct persona_header, signature_offset) == 56, "header layout");
_Static_assert(offsetof(struct persona_header, reserved) == 72, "header layout");
_Static_assert(sizeof(struct persona_sig_block) == 104, "signature block is 104 bytes");
_Static_assert(offsetof(struct persona_sig_block, key_id) == 8, "signature block layout");
_Static_assert(offsetof(struct persona_sig_block, sig) == 40, "signature block layout");

/* Manifest (docs/persona-format.md, "Manifest"). */
#define PERSONA_COMPATIBLE "facet,persona-manifest"
/* An unknown property or node whose name starts with this must be refused; others are skipped. */
#define PERSONA_CRITICAL_PREFIX "critical,"
#define PERSONA_NAME_MAX 15
#define PERSONA_OWNER_MAX 63
#define PERSONA_CMDLINE_MAX 1024 /* with the NUL */
#define PERSONA_MAX_DEVICES 16
#define PERSONA_DEVICE_NAME_MAX 31
#define PERSONA_PRIORITY_MAX 255

/* Roles. A trust list entry allows a set of them: a bit each, PERSONA_ROLE_BIT(role). */
enum persona_role {
	PERSONA_ROLE_SYSTEM,	/* "system": software the user must not touch (the radio stack) */
	PERSONA_ROLE_PERSONA,	/* "persona": a whole phone (personal, work) */
	PERSONA_ROLE_APPLIANCE, /* "appliance": a prepackaged single-purpose VM */
	PERSONA_ROLE_COUNT,
};
#define PERSONA_ROLE_BIT(r) (1u << (r))
#define PERSONA_ROLES_ALL ((1u << PERSONA_ROLE_COUNT) - 1)

/* The images a manifest may name, in the order they are laid out. */
enum persona_image_kind {
	PERSONA_IMAGE_KERNEL, /* required */
	PERSONA_IMAGE_INITRD,
	PERSONA_IMAGE_DTB,
	PERSONA_IMAGE_COUNT,
};

#endif
