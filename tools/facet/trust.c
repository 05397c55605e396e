/*
 * The trust list and rollback floors of a boot image: see trust.h.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/persona.h"
#include "persona_crypto.h"
#include "trust.h"

static char *xstrndup(const char *s, size_t n)
{
	char *p = strndup(s, n);

	if (!p) {
		fputs("facet: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

/* "persona,appliance" to role bits; 0 after a message to d if a name is not a role. */
static uint32_t parse_roles(const char *arg, const char *list, struct diag *d)
{
	uint32_t roles = 0;
	const char *p = list;

	for (;;) {
		size_t len = strcspn(p, ",");
		char name[16];
		int r = -1;

		if (len < sizeof(name)) {
			memcpy(name, p, len);
			name[len] = '\0';
			r = persona_role_from_name(name);
		}
		if (r < 0) {
			diag_add(d, "--trust %s: '%.*s' is not a role (system, persona, appliance)",
				 arg, (int)len, p);
			return 0;
		}
		roles |= PERSONA_ROLE_BIT(r);
		if (!p[len])
			return roles;
		p += len + 1;
	}
}

int trust_key_parse(const char *arg, struct trust_key *key, struct diag *d)
{
	const char *eq = strrchr(arg, '='), *base;

	memset(key, 0, sizeof(*key));
	if (!eq || eq == arg || !eq[1]) {
		diag_add(d, "--trust %s: expected KEY.pem=ROLE[,ROLE...]", arg);
		return -1;
	}
	key->roles = parse_roles(arg, eq + 1, d);
	if (!key->roles)
		return -1;
	key->path = xstrndup(arg, (size_t)(eq - arg));
	base = strrchr(key->path, '/');
	base = base ? base + 1 : key->path;
	if (!base[0]) {
		diag_add(d, "--trust %s: '%s' is a directory, not a key file", arg, key->path);
		return -1;
	}
	key->label = xstrndup(base, strlen(base));
	return 0;
}

int trust_key_load(struct trust_key *key, struct diag *d)
{
	return persona_crypto_load_public(key->path, key->pubkey, d);
}

int trust_key_check_set(const struct trust_key *key, const struct trust_key *earlier, size_t n,
			struct diag *d)
{
	if (n >= MANIFEST_MAX_KEYS) {
		diag_add(d, "%s: a boot image trusts at most %d keys; this would be key %zu",
			 key->path, MANIFEST_MAX_KEYS, n + 1);
		return -1;
	}
	/* One entry per key: its roles are listed together ("=system,persona"). */
	for (size_t i = 0; i < n; i++) {
		if (memcmp(key->pubkey, earlier[i].pubkey, PERSONA_PUBKEY_SIZE) == 0) {
			diag_add(d,
				 "%s: the same public key as %s (give its roles once: "
				 "KEY.pem=ROLE,ROLE)",
				 key->path, earlier[i].path);
			return -1;
		}
	}
	return 0;
}

void trust_key_free(struct trust_key *key)
{
	free(key->path);
	free(key->label);
	memset(key, 0, sizeof(*key));
}

int trust_floor_parse(const char *arg, const struct trust_floor *earlier, size_t n,
		      struct trust_floor *floor, struct diag *d)
{
	const char *eq = strchr(arg, '=');
	size_t len = eq ? (size_t)(eq - arg) : 0;
	unsigned long long v;
	char *end;

	memset(floor, 0, sizeof(*floor));
	if (!eq || len == 0 || len > MANIFEST_NAME_MAX) {
		diag_add(d,
			 "--min-rollback %s: expected NAME=N, NAME a VM name of 1..%d characters",
			 arg, MANIFEST_NAME_MAX);
		return -1;
	}
	errno = 0;
	v = strtoull(eq + 1, &end, 10);
	if (eq[1] < '0' || eq[1] > '9' || *end || errno) {
		diag_add(d, "--min-rollback %s: '%s' is not a decimal number below 2^64", arg,
			 eq + 1);
		return -1;
	}
	memcpy(floor->name, arg, len);
	floor->min_rollback = v;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(floor->name, earlier[i].name) == 0) {
			diag_add(d, "--min-rollback %s: VM '%s' already has a floor (%llu)", arg,
				 floor->name, (unsigned long long)earlier[i].min_rollback);
			return -1;
		}
	}
	return 0;
}

int trust_floors_apply(const struct trust_floor *floors, size_t nfloors, struct vm_spec *vms,
		       size_t nvms, struct diag *d)
{
	int rc = 0;

	for (size_t f = 0; f < nfloors; f++) {
		size_t i;

		for (i = 0; i < nvms; i++)
			if (strcmp(floors[f].name, vms[i].name) == 0)
				break;
		if (i == nvms) {
			diag_add(d, "--min-rollback %s=%llu: no package VM is named '%s'",
				 floors[f].name, (unsigned long long)floors[f].min_rollback,
				 floors[f].name);
			rc = -1;
		} else if (!vms[i].package) {
			diag_add(d,
				 "--min-rollback %s=%llu: '%s' comes from the config %s, not a "
				 "package; only packages have a rollback index",
				 floors[f].name, (unsigned long long)floors[f].min_rollback,
				 floors[f].name, vms[i].source);
			rc = -1;
		} else {
			vms[i].min_rollback = floors[f].min_rollback;
		}
	}
	return rc;
}
