/*
 * facet: the host tool. Checks VM config files and persona packages, packs
 * them with the device's trust list into the boot image the hypervisor
 * reads, and boots the lot on QEMU.
 *
 * Exit status: 0 success, 1 a config or an image was bad, 2 wrong usage;
 * `run` returns QEMU's own status (124 on --timeout).
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "config.h"
#include "diag.h"
#include "pack.h"
#include "persona_cmd.h"
#include "run.h"
#include "trust.h"

/* Guest RAM QEMU gets beyond the VMs' own: the hypervisor and the boot image. */
#define RUN_EXTRA_MEM_MIB 256

static const char usage_synopsis[] =
    "usage: facet check VM...\n"
    "       facet pack -o OUT [POLICY...] VM...\n"
    "       facet run [--smp N] [--cpu CPU] [--mem MIB] [--timeout SEC] [POLICY...] VM...\n"
    "                 [-- QEMU-ARGS...]\n"
    "       facet help\n";

static const char usage_details[] =
    "\n"
    "  VM is a config file (docs/config.md) or a persona package (*.pkg, or a\n"
    "  file that starts with FACETPKG), stored whole; only its header and\n"
    "  manifest are checked here: the hypervisor verifies it at boot.\n"
    "  check  validate the VMs; print 'ok: N VMs'\n"
    "  pack   validate them and write the boot image the hypervisor reads\n"
    "           --no-check     keep out-of-range values and packages that do not\n"
    "                          parse (to test the hypervisor's own checks)\n"
    "  run    boot facet with the valid VMs on qemu-system-aarch64 (virt,\n"
    "         EL2, GICv3); a bad config or package is reported and left out\n"
    "           --smp N        host CPUs (default 2)\n"
    "           --cpu CPU      QEMU CPU model (default max)\n"
    "           --mem MIB      host RAM (default: the VMs' memory + 256)\n"
    "           --timeout SEC  stop QEMU after SEC seconds, exit status 124\n"
    "           -- ARGS        pass the rest to QEMU\n"
    "  POLICY, for pack and run (the device's own, in the boot image):\n"
    "           --trust KEY.pem=ROLE[,ROLE...]\n"
    "                          trust the key (PEM public or private) to sign\n"
    "                          packages of these roles (system, persona,\n"
    "                          appliance); at most 8 keys, each once\n"
    "           --min-rollback NAME=N\n"
    "                          refuse package VM NAME below rollback index N\n"
    "\n"
    "environment: FACET_BIN (hypervisor image; default facet.bin next to this\n"
    "program), FACET_QEMU (QEMU binary), FACET_VERBOSE=1 (print the QEMU command)\n";

/* The trust list and rollback floors given with --trust and --min-rollback. */
struct policy {
	struct trust_key keys[MANIFEST_MAX_KEYS];
	size_t nkeys;
	struct trust_floor floors[MANIFEST_MAX_VMS];
	size_t nfloors;
};

/* The configs and packages that passed every check, in command-line order. */
struct vm_set {
	struct vm_spec vms[MANIFEST_MAX_VMS];
	size_t n;
	size_t bad; /* how many configs were refused */
};

static int usage_error(const char *fmt, const char *arg)
{
	fputs("facet: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\n", stderr);
	fputs(usage_synopsis, stderr);
	fputs(persona_cmd_synopsis, stderr);
	return 2;
}

/* Loads every config; each refused one has its messages printed after prefix. */
static void load_configs(char **paths, int npaths, unsigned flags, const char *prefix,
			 struct vm_set *set)
{
	memset(set, 0, sizeof(*set));
	for (int i = 0; i < npaths; i++) {
		struct diag d = {0};
		struct vm_spec vm;

		int rc = pack_is_package(paths[i]) ? pack_load_package(paths[i], flags, &vm, &d)
						   : config_load(paths[i], flags, &vm, &d);

		if (rc == 0 && config_check_set(&vm, set->vms, set->n, &d) == 0) {
			set->vms[set->n++] = vm;
		} else {
			diag_print(&d, stderr, prefix);
			config_free(&vm);
			set->bad++;
		}
		diag_clear(&d);
	}
}

static void free_configs(struct vm_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		config_free(&set->vms[i]);
	set->n = 0;
}

static void free_policy(struct policy *p)
{
	for (size_t i = 0; i < p->nkeys; i++)
		trust_key_free(&p->keys[i]);
	p->nkeys = 0;
	p->nfloors = 0;
}

/*
 * Sets the rollback floors on the package VMs they name. A floor that names
 * none is an error even for `run`, which otherwise boots what it can: a
 * mistyped name must not boot a package without its floor.
 */
static int apply_floors(const struct policy *p, struct vm_set *set)
{
	struct diag d = {0};
	int rc = trust_floors_apply(p->floors, p->nfloors, set->vms, set->n, &d);

	diag_print(&d, stderr, "facet: ");
	diag_clear(&d);
	return rc;
}

/* Plans and writes the boot image; prints the messages on failure. */
static int write_boot_image(const struct vm_set *set, const struct policy *p, const char *out)
{
	struct pack_plan plan;
	struct diag d = {0};
	int rc = pack_plan(set->vms, set->n, p->keys, p->nkeys, &plan, &d);

	if (rc == 0)
		rc = pack_write(&plan, out, &d);
	diag_print(&d, stderr, "facet: ");
	diag_clear(&d);
	pack_plan_free(&plan);
	return rc;
}

/* A whole decimal number in [min, max]. */
static bool parse_ulong(const char *s, unsigned long min, unsigned long max, unsigned long *out)
{
	char *end;
	unsigned long v;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}


/*
 * Takes a --trust or --min-rollback option at argv[*i], loading a trusted
 * key at once. Returns 0 if it took one, -1 if argv[*i] is something else,
 * or the exit status after printing what is wrong: 2 for a malformed
 * option, 1 for a key file that cannot be used.
 */
static int policy_option(int argc, char **argv, int *i, const char *cmd, struct policy *p)
{
	const char *val = NULL;
	struct diag d = {0};
	int m, rc;

	if ((m = cli_option(argc, argv, i, "--trust", &val)) != 0) {
		struct trust_key key;

		if (m < 0)
			return usage_error("%s: --trust needs KEY.pem=ROLE[,ROLE...]", cmd);
		if (trust_key_parse(val, &key, &d) < 0) {
			rc = 2;
		} else if (trust_key_load(&key, &d) < 0 ||
			   trust_key_check_set(&key, p->keys, p->nkeys, &d) < 0) {
			rc = 1;
		} else {
			p->keys[p->nkeys++] = key;
			return 0;
		}
		trust_key_free(&key);
	} else if ((m = cli_option(argc, argv, i, "--min-rollback", &val)) != 0) {
		if (m < 0)
			return usage_error("%s: --min-rollback needs NAME=N", cmd);
		if (p->nfloors == MANIFEST_MAX_VMS) {
			diag_add(&d,
				 "--min-rollback %s: more floors than the %d VMs a boot image "
				 "holds",
				 val, MANIFEST_MAX_VMS);
			rc = 2;
		} else if (trust_floor_parse(val, p->floors, p->nfloors, &p->floors[p->nfloors],
					     &d) < 0) {
			rc = 2;
		} else {
			p->nfloors++;
			return 0;
		}
	} else {
		return -1;
	}
	diag_print(&d, stderr, "facet: ");
	diag_clear(&d);
	if (rc == 2)
		fputs(usage_synopsis, stderr);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	struct vm_set set;
	int rc;

	if (argc < 1)
		return usage_error("%s", "check: no config files or packages given");
	load_configs(argv, argc, 0, "", &set);
	rc = set.bad ? 1 : 0;
	if (rc == 0)
		printf("ok: %zu VMs\n", set.n);
	free_configs(&set);
	return rc;
}

static int cmd_pack(int argc, char **argv)
{
	const char *out = NULL;
	unsigned flags = 0;
	char **configs = calloc((size_t)argc + 1, sizeof(*configs));
	int nconfigs = 0, rc = 0, m;
	struct policy policy = {0};
	struct vm_set set;

	if (!configs)
		return 1;
	for (int i = 0; i < argc && rc == 0; i++) {
		if (strcmp(argv[i], "-o") == 0) {
			if (++i == argc)
				rc = usage_error("%s", "pack: -o needs a file name");
			else
				out = argv[i];
		} else if (strcmp(argv[i], "--no-check") == 0) {
			flags |= CONFIG_NO_RANGE_CHECK;
		} else if ((m = policy_option(argc, argv, &i, "pack", &policy)) >= 0) {
			rc = m;
		} else if (argv[i][0] == '-') {
			rc = usage_error("pack: unknown option '%s'", argv[i]);
		} else {
			configs[nconfigs++] = argv[i];
		}
	}
	if (rc == 0 && (!out || nconfigs == 0))
		rc = usage_error("%s", "pack: needs -o OUT and at least one config or package");
	if (rc != 0) {
		free_policy(&policy);
		free(configs);
		return rc;
	}

	load_configs(configs, nconfigs, flags, "", &set);
	if (set.bad || apply_floors(&policy, &set) < 0 || write_boot_image(&set, &policy, out) < 0)
		rc = 1;
	free_configs(&set);
	free_policy(&policy);
	free(configs);
	return rc;
}

static int cmd_run(int argc, char **argv)
{
	struct run_opts o = {.smp = 2, .cpu = "max"};
	char **configs = calloc((size_t)argc + 1, sizeof(*configs));
	int nconfigs = 0, rc = 1;
	unsigned long mem = 0, v;
	struct policy policy = {0};
	struct vm_set set;
	char *facet_bin = NULL, *image = NULL;
	const char *tmpdir = getenv("TMPDIR");
	char dir[4096];
	bool have_dir = false;

	if (!configs)
		return 1;
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i], *val = NULL;
		int m;

		if (strcmp(argv[i], "--") == 0) {
			o.qemu_args = argv + i + 1;
			o.nqemu_args = argc - i - 1;
			break;
		}
		if ((m = cli_option(argc, argv, &i, "--smp", &val)) != 0) {
			if (m < 0 || !parse_ulong(val, 1, 4096, &v))
				goto bad_value;
			o.smp = (unsigned)v;
		} else if ((m = cli_option(argc, argv, &i, "--cpu", &val)) != 0) {
			if (m < 0 || !val[0])
				goto bad_value;
			o.cpu = val;
		} else if ((m = cli_option(argc, argv, &i, "--mem", &val)) != 0) {
			if (m < 0 || !parse_ulong(val, 1, 1UL << 30, &mem))
				goto bad_value;
		} else if ((m = cli_option(argc, argv, &i, "--timeout", &val)) != 0) {
			if (m < 0 || !parse_ulong(val, 1, 1UL << 30, &v))
				goto bad_value;
			o.timeout_sec = (unsigned)v;
		} else if ((m = policy_option(argc, argv, &i, "run", &policy)) >= 0) {
			if (m != 0)
				goto early_exit;
		} else if (argv[i][0] == '-') {
			m = usage_error("run: unknown option '%s'", argv[i]);
			goto early_exit;
		} else {
			configs[nconfigs++] = argv[i];
		}
		continue;
	bad_value:
		m = usage_error("run: '%s' needs a positive number (--cpu: a CPU model)", arg);
	early_exit:
		free_policy(&policy);
		free(configs);
		return m;
	}
	if (nconfigs == 0) {
		free_policy(&policy);
		free(configs);
		return usage_error("%s", "run: no config files or packages given");
	}

	load_configs(configs, nconfigs, 0, "facet: skipping ", &set);
	if (set.n == 0) {
		fputs("facet: no usable config or package, not starting QEMU\n", stderr);
		goto out;
	}
	if (apply_floors(&policy, &set) < 0) {
		fputs("facet: not starting QEMU\n", stderr);
		goto out;
	}
	facet_bin = run_find_facet_bin();
	if (!facet_bin)
		goto out;

	snprintf(dir, sizeof(dir), "%s/facet-run.XXXXXX", tmpdir && tmpdir[0] ? tmpdir : "/tmp");
	if (!mkdtemp(dir)) {
		fprintf(stderr, "facet: %s: %s\n", dir, strerror(errno));
		goto out;
	}
	have_dir = true;
	image = malloc(strlen(dir) + sizeof("/boot.img"));
	if (!image)
		goto out;
	strcat(strcpy(image, dir), "/boot.img");
	if (write_boot_image(&set, &policy, image) < 0)
		goto out;

	o.mem_mib = mem;
	if (!o.mem_mib) {
		o.mem_mib = RUN_EXTRA_MEM_MIB;
		for (size_t i = 0; i < set.n; i++)
			o.mem_mib += set.vms[i].memory_mib;
	}
	rc = run_qemu(&o, facet_bin, image);

out:
	if (image)
		unlink(image);
	if (have_dir)
		rmdir(dir);
	free(image);
	free(facet_bin);
	free_configs(&set);
	free_policy(&policy);
	free(configs);
	return rc;
}

int main(int argc, char **argv)
{
	const char *cmd = argc > 1 ? argv[1] : NULL;
	int rc;

	if (!cmd)
		return usage_error("%s", "no command given");
	if (strcmp(cmd, "help") == 0 || strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0) {
		fputs(usage_synopsis, stdout);
		fputs(persona_cmd_synopsis, stdout);
		fputs(usage_details, stdout);
		fputs(persona_cmd_details, stdout);
		return 0;
	}
	rc = persona_cmd_dispatch(cmd, argc - 2, argv + 2);
	if (rc >= 0)
		return rc;
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 2, argv + 2);
	if (strcmp(cmd, "pack") == 0)
		return cmd_pack(argc - 2, argv + 2);
	if (strcmp(cmd, "run") == 0)
		return cmd_run(argc - 2, argv + 2);
	return usage_error("unknown command '%s'", cmd);
}
