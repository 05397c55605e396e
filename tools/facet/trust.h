/*
 * The device's own policy that a boot image carries (include/abi/manifest.h):
 * the trust list, which public keys may sign which package roles
 * (`--trust PUB.pem=ROLE[,ROLE...]`), and the rollback floor of each package
 * VM (`--min-rollback NAME=N`). The host tool only writes them down; the
 * hypervisor applies them when it verifies each package.
 */
#ifndef FACET_TOOL_TRUST_H
#define FACET_TOOL_TRUST_H

#include <stddef.h>
#include <stdint.h>

#include "abi/manifest.h"
#include "abi/persona.h"
#include "config.h"
#include "diag.h"

/* One /trust/key@N entry. */
struct trust_key {
	char *path; /* the key file, as given */
	uint8_t pubkey[PERSONA_PUBKEY_SIZE];
	uint32_t roles; /* PERSONA_ROLE_BIT()s */
	char *label;	/* the key file's base name */
};

/* One --min-rollback NAME=N. */
struct trust_floor {
	char name[MANIFEST_NAME_MAX + 1];
	uint64_t min_rollback;
};

/*
 * Parses "FILE=ROLE[,ROLE...]" (the last '=' splits: roles never hold one):
 * the path, the roles and the label, not yet the key. Returns 0, or -1 after
 * adding a message to d. Free with trust_key_free either way.
 */
int trust_key_parse(const char *arg, struct trust_key *key, struct diag *d);

/*
 * Loads the parsed key's file: a PEM public key, or a private key whose
 * public half is taken (P-256 only). Returns 0, or -1 after adding a message
 * naming the file to d.
 */
int trust_key_load(struct trust_key *key, struct diag *d);

/*
 * Checks key against the n keys given before it: at most MANIFEST_MAX_KEYS,
 * and each public key once. Returns 0, or -1 after adding a message to d.
 */
int trust_key_check_set(const struct trust_key *key, const struct trust_key *earlier, size_t n,
			struct diag *d);

void trust_key_free(struct trust_key *key);

/*
 * Parses "NAME=N" and checks it against the n floors given before it (each
 * name once). Returns 0, or -1 after adding a message to d.
 */
int trust_floor_parse(const char *arg, const struct trust_floor *earlier, size_t n,
		      struct trust_floor *floor, struct diag *d);

/*
 * Sets min_rollback on the package VM each floor names. A floor naming no
 * VM, or a VM from a config (which has no rollback index), is an error:
 * a mistyped name must not leave a package without its floor.
 * Returns 0, or -1 after adding a message per bad floor to d.
 */
int trust_floors_apply(const struct trust_floor *floors, size_t nfloors, struct vm_spec *vms,
		       size_t nvms, struct diag *d);

#endif
