/*
 * The hypervisor's cryptography for persona packages: SHA-256 and ECDSA
 * P-256 verification from Debian's BearSSL (static aarch64 library), behind
 * the interface core/persona.c asks for.
 */
#ifndef FACET_CORE_CRYPTO_H
#define FACET_CORE_CRYPTO_H

#include "core/persona.h"

extern const struct persona_crypto el2_crypto;

#endif
