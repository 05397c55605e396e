/*
 * The persona-package commands: see persona_cmd.h. Every message about a
 * file starts with the file's name; usage errors end with the synopsis.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "cli.h"
#include "config.h"
#include "core/kimage.h"
#include "persona_cmd.h"
#include "persona_crypto.h"
#include "persona_pack.h"

#define MIB (1ULL << 20)
#define DEFAULT_PRIORITY 128
#define MAX_TRUSTED_KEYS 16

const char persona_cmd_synopsis[] =
    "       facet keygen -o KEY.pem [--pub PUB.pem]\n"
    "       facet pack --persona -o OUT.pkg (CONFIG | --name N --kernel F --memory MIB\n"
    "                  [--initrd F] [--cmdline S] [--vcpus N]) --role ROLE --owner NAME\n"
    "                  [--rollback N] [--priority N] [--device NAME]... [--dtb FILE]\n"
    "       facet sign --key KEY.pem PKG...\n"
    "       facet inspect [--json] PKG\n"
    "       facet verify --pub PUB.pem... [--role ROLE[,ROLE]] [--min-rollback N] PKG...\n";

const char persona_cmd_details[] =
    "\n"
    "persona packages (docs/persona-format.md): one signed file per VM\n"
    "  keygen   make a P-256 key pair (PEM); the public half to --pub\n"
    "  pack --persona  write an unsigned package from a config file or the same\n"
    "           keys as options; ROLE is system, persona or appliance;\n"
    "           defaults: --rollback 0, --priority 128\n"
    "  sign     sign packages in place (replaces any earlier signature)\n"
    "  inspect  show a package (--json: as JSON); does not check the signature\n"
    "  verify   check packages as the hypervisor will: signature by one of the\n"
    "           --pub keys (trusted for the --role list, default all roles),\n"
    "           rollback index >= --min-rollback (default 0), image hashes\n";

static int usage(const char *fmt, const char *arg)
{
	fputs("facet: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs("\nusage:", stderr);
	fputs(persona_cmd_synopsis + strlen("      "), stderr);
	return 2;
}


/* A whole decimal number in [0, max]. */
static bool parse_u64(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (s[0] < '0' || s[0] > '9')
		return false;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end || v > max)
		return false;
	*out = v;
	return true;
}

static void hex(FILE *f, const uint8_t *bytes, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%02x", bytes[i]);
}

static void print_diag(struct diag *d)
{
	diag_print(d, stderr, "facet: ");
	diag_clear(d);
}

/* ---- keygen ---- */

static int cmd_keygen(int argc, char **argv)
{
	const char *out = NULL, *pub = NULL, *val;
	struct diag d = {0};
	int m;

	for (int i = 0; i < argc; i++) {
		if ((m = cli_option(argc, argv, &i, "-o", &val)) != 0) {
			if (m < 0)
				return usage("%s", "keygen: -o needs a file name");
			out = val;
		} else if ((m = cli_option(argc, argv, &i, "--pub", &val)) != 0) {
			if (m < 0)
				return usage("%s", "keygen: --pub needs a file name");
			pub = val;
		} else {
			return usage("keygen: unexpected argument '%s'", argv[i]);
		}
	}
	if (!out)
		return usage("%s", "keygen: needs -o KEY.pem");
	if (persona_crypto_keygen(out, pub, &d) < 0) {
		print_diag(&d);
		return 1;
	}
	printf("%s: new P-256 private key%s%s\n", out, pub ? "; public key in " : "",
	       pub ? pub : "");
	return 0;
}

/* ---- pack --persona ---- */

struct pack_opts {
	const char *out, *config, *dtb;
	const char *keys[6]; /* name, kernel, initrd, cmdline, memory, vcpus: as config keys */
	bool any_key;
	const char *role, *owner, *rollback, *priority;
	const char *devices[PERSONA_MAX_DEVICES + 1];
	size_t ndevices;
};

static const char *const key_names[6] = {"name", "kernel", "initrd", "cmdline", "memory", "vcpus"};
static const bool key_is_string[6] = {true, true, true, true, false, false};

/*
 * The config keys given as options, as config text (docs/config.md), so that
 * they are checked by the same parser and with the same messages as a file.
 */
static char *keys_to_config(const struct pack_opts *o, struct diag *d)
{
	size_t cap = 64;
	char *text, *p;

	for (int k = 0; k < 6; k++)
		if (o->keys[k])
			cap += strlen(key_names[k]) + 2 * strlen(o->keys[k]) + 8;
	text = p = malloc(cap);
	if (!text) {
		fputs("facet: out of memory\n", stderr);
		exit(1);
	}
	for (int k = 0; k < 6; k++) {
		const char *v = o->keys[k];

		if (!v)
			continue;
		if (strpbrk(v, "\n\r")) {
			diag_add(d, "command line: --%s: a value is one line", key_names[k]);
			free(text);
			return NULL;
		}
		p += sprintf(p, "%s = ", key_names[k]);
		if (key_is_string[k]) {
			*p++ = '"';
			for (; *v; v++) {
				if (*v == '"' || *v == '\\')
					*p++ = '\\';
				*p++ = *v;
			}
			*p++ = '"';
		} else {
			p += sprintf(p, "%s", v);
		}
		*p++ = '\n';
	}
	*p = '\0';
	return text;
}

/* What config_load checks of the files a config names, for keys given as options. */
static int check_key_files(struct vm_spec *vm, struct diag *d)
{
	unsigned char head[KIMAGE_HEAD_SIZE];
	ssize_t headlen;
	struct stat st;
	struct kimage k;
	const char *why;
	uint64_t ram = (uint64_t)vm->memory_mib * MIB, need;
	int fd = open(vm->kernel, O_RDONLY);

	if (fd < 0 || fstat(fd, &st) < 0 || (headlen = read(fd, head, sizeof(head))) < 0) {
		diag_add(d, "command line: --kernel: %s: %s", vm->kernel, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	close(fd);
	vm->kernel_size = (uint64_t)st.st_size;
	if (kimage_inspect(head, (size_t)headlen, vm->kernel_size, &k, &why) < 0) {
		diag_add(d, "command line: --kernel: %s %s", vm->kernel, why);
		return -1;
	}
	if (vm->initrd) {
		if (stat(vm->initrd, &st) < 0) {
			diag_add(d, "command line: --initrd: %s: %s", vm->initrd, strerror(errno));
			return -1;
		}
		vm->initrd_size = (uint64_t)st.st_size;
	}
	/* Guest RAM: kernel from the bottom; device tree (2 MiB) and initrd at the top. */
	struct kimage_layout l;
	need = k.end + ((vm->initrd_size + KIMAGE_PAGE - 1) & ~(KIMAGE_PAGE - 1)) + KIMAGE_DTB_RESERVE;
	if (kimage_fit(&k, ram, vm->initrd_size, &l) != KIMAGE_FITS) {
		diag_add(d,
			 "command line: --memory: %u MiB is too small: kernel, initrd and device "
			 "tree need %llu MiB",
			 vm->memory_mib, (unsigned long long)((need + MIB - 1) / MIB));
		return -1;
	}
	return 0;
}

/* Owner: 1..PERSONA_OWNER_MAX printable ASCII characters. */
static bool owner_is_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > PERSONA_OWNER_MAX)
		return false;
	for (; *s; s++)
		if (*s < 0x20 || *s > 0x7e)
			return false;
	return true;
}

static bool device_is_valid(const char *s)
{
	size_t n = strlen(s);

	if (n < 1 || n > PERSONA_DEVICE_NAME_MAX)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || strchr(",._-", *s)))
			return false;
	return true;
}

/* A device tree to hand the guest: the FDT magic, and room in the 2 MiB kept for it. */
static int check_dtb(const char *path, struct diag *d)
{
	uint8_t head[4];
	struct stat st;
	int fd = open(path, O_RDONLY);
	ssize_t n;

	if (fd < 0 || fstat(fd, &st) < 0) {
		diag_add(d, "%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	n = read(fd, head, sizeof(head));
	close(fd);
	if (n != 4 || fdt32_ld((const fdt32_t *)head) != FDT_MAGIC) {
		diag_add(d, "%s: --dtb: not a flattened device tree (no FDT magic)", path);
		return -1;
	}
	if ((uint64_t)st.st_size > KIMAGE_DTB_RESERVE) {
		diag_add(d, "%s: --dtb: %llu bytes is more than the %lu MiB kept for it", path,
			 (unsigned long long)st.st_size, (unsigned long)(KIMAGE_DTB_RESERVE / MIB));
		return -1;
	}
	return 0;
}

static int parse_pack_args(int argc, char **argv, struct pack_opts *o)
{
	static const char *const persona_opts[] = {"--role", "--owner", "--rollback", "--priority",
						   "--dtb"};
	const char **persona_vals[] = {&o->role, &o->owner, &o->rollback, &o->priority, &o->dtb};

	memset(o, 0, sizeof(*o));
	for (int i = 0; i < argc; i++) {
		const char *val = NULL;
		bool matched = false;
		int m;

		if (strcmp(argv[i], "--persona") == 0)
			continue;
		if ((m = cli_option(argc, argv, &i, "-o", &val)) != 0) {
			if (m < 0)
				return usage("%s", "pack: -o needs a file name");
			o->out = val;
			continue;
		}
		if ((m = cli_option(argc, argv, &i, "--device", &val)) != 0) {
			if (m < 0)
				return usage("%s", "pack: --device needs a name");
			if (o->ndevices == PERSONA_MAX_DEVICES)
				return usage("pack: more than %s --device options", "16");
			o->devices[o->ndevices++] = val;
			continue;
		}
		for (size_t k = 0; k < 5 && !matched; k++) {
			if ((m = cli_option(argc, argv, &i, persona_opts[k], &val)) != 0) {
				if (m < 0)
					return usage("pack: %s needs a value", persona_opts[k]);
				*persona_vals[k] = val;
				matched = true;
			}
		}
		for (int k = 0; k < 6 && !matched; k++) {
			char name[16];

			snprintf(name, sizeof(name), "--%s", key_names[k]);
			if ((m = cli_option(argc, argv, &i, name, &val)) != 0) {
				if (m < 0)
					return usage("pack: %s needs a value", name);
				o->keys[k] = val;
				o->any_key = true;
				matched = true;
			}
		}
		if (matched)
			continue;
		if (argv[i][0] == '-')
			return usage("pack: unknown option '%s'", argv[i]);
		if (o->config)
			return usage("pack: '%s': a package holds one VM: give one config file",
				     argv[i]);
		o->config = argv[i];
	}
	if (!o->out)
		return usage("%s", "pack: needs -o OUT.pkg");
	if (!o->config && !o->any_key)
		return usage("%s", "pack: needs a config file, or --name, --kernel and --memory");
	if (o->config && o->any_key)
		return usage("pack: '%s': give a config file or its keys as options, not both",
			     o->config);
	if (!o->role || !o->owner)
		return usage("%s", "pack: --persona needs --role and --owner");
	return 0;
}

static int cmd_pack_persona(int argc, char **argv)
{
	struct pack_opts o;
	struct persona_pack_spec spec = {0};
	const char *paths[PERSONA_IMAGE_COUNT] = {0};
	struct vm_spec vm = {0};
	struct diag d = {0};
	unsigned long long v = 0;
	int role, rc;
	struct stat st;

	rc = parse_pack_args(argc, argv, &o);
	if (rc)
		return rc;

	role = persona_role_from_name(o.role);
	if (role < 0)
		return usage("pack: --role '%s' is not system, persona or appliance", o.role);
	if (!owner_is_valid(o.owner))
		return usage("pack: --owner '%s' is not 1..63 printable ASCII characters", o.owner);
	if (o.rollback && !parse_u64(o.rollback, UINT64_MAX, &v))
		return usage("pack: --rollback '%s' is not a decimal number", o.rollback);
	spec.rollback_index = v;
	spec.priority = DEFAULT_PRIORITY;
	if (o.priority) {
		if (!parse_u64(o.priority, PERSONA_PRIORITY_MAX, &v))
			return usage("pack: --priority '%s' is not a number 0..255", o.priority);
		spec.priority = (uint32_t)v;
	}
	for (size_t i = 0; i < o.ndevices; i++) {
		if (!device_is_valid(o.devices[i]))
			return usage("pack: --device '%s' is not 1..31 characters of [a-z0-9,._-]",
				     o.devices[i]);
		for (size_t j = 0; j < i; j++)
			if (strcmp(o.devices[i], o.devices[j]) == 0)
				return usage("pack: --device '%s' is given twice", o.devices[i]);
		spec.devices[i] = o.devices[i];
	}
	spec.ndevices = o.ndevices;

	if (o.config) {
		rc = config_load(o.config, 0, &vm, &d);
	} else {
		char *text = keys_to_config(&o, &d);

		rc = text ? config_parse("command line", text, strlen(text), 0, &vm, &d) : -1;
		if (rc == 0)
			rc = check_key_files(&vm, &d);
		free(text);
	}
	if (rc == 0 && o.dtb)
		rc = check_dtb(o.dtb, &d);
	if (rc < 0) {
		print_diag(&d);
		config_free(&vm);
		return 1;
	}

	spec.name = vm.name;
	spec.role = (enum persona_role)role;
	spec.owner = o.owner;
	spec.memory_mib = vm.memory_mib;
	spec.vcpus = vm.vcpus;
	spec.cmdline = vm.cmdline;
	paths[PERSONA_IMAGE_KERNEL] = vm.kernel;
	paths[PERSONA_IMAGE_INITRD] = vm.initrd;
	paths[PERSONA_IMAGE_DTB] = o.dtb;
	rc = persona_pack_write(&spec, paths, o.out, &d);
	if (rc < 0) {
		diag_print(&d, stderr, "");
		diag_clear(&d);
		fprintf(stderr, "facet: %s: not written\n", o.out);
	} else if (stat(o.out, &st) == 0) {
		printf("%s: unsigned %s package '%s', %llu bytes; sign it with "
		       "'facet sign --key KEY.pem %s'\n",
		       o.out, o.role, vm.name, (unsigned long long)st.st_size, o.out);
	}
	config_free(&vm);
	return rc < 0 ? 1 : 0;
}

/* ---- sign ---- */

static int cmd_sign(int argc, char **argv)
{
	const char *keypath = NULL, *val;
	struct persona_crypto_key *key;
	uint8_t pub[PERSONA_PUBKEY_SIZE], id[PERSONA_SHA256_SIZE];
	struct diag d = {0};
	int npkgs = 0, bad = 0, m;

	for (int i = 0; i < argc; i++) {
		if ((m = cli_option(argc, argv, &i, "--key", &val)) != 0) {
			if (m < 0)
				return usage("%s", "sign: --key needs a file name");
			keypath = val;
		} else if (argv[i][0] == '-') {
			return usage("sign: unknown option '%s'", argv[i]);
		} else {
			npkgs++;
		}
	}
	if (!keypath || npkgs == 0)
		return usage("%s", "sign: needs --key KEY.pem and at least one package");
	key = persona_crypto_load_private(keypath, &d);
	if (!key || persona_crypto_public(key, pub, &d) < 0) {
		print_diag(&d);
		persona_crypto_free(key);
		return 1;
	}
	persona_key_id(&persona_crypto_openssl, pub, id);
	for (int i = 0; i < argc; i++) {
		if (cli_option(argc, argv, &i, "--key", &val))
			continue;
		if (persona_pack_sign(argv[i], key, &d) < 0) {
			print_diag(&d);
			bad++;
			continue;
		}
		printf("%s: signed with %s (key id ", argv[i], keypath);
		hex(stdout, id, 8);
		printf("...)\n");
	}
	persona_crypto_free(key);
	return bad ? 1 : 0;
}

/* ---- inspect ---- */

/* A JSON string: quotes, backslashes and anything outside printable ASCII escaped. */
static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20 || *p > 0x7e)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

static bool image_matches(const uint8_t *pkg, const struct persona_image *img)
{
	struct persona_span span = {pkg + img->offset, (size_t)img->size};
	uint8_t digest[PERSONA_SHA256_SIZE];

	persona_crypto_openssl.sha256(&span, 1, digest);
	return memcmp(digest, img->sha256, sizeof(digest)) == 0;
}

static void inspect_json(const char *path, const uint8_t *pkg, const struct persona *p)
{
	const struct persona_manifest *m = &p->manifest;
	const struct persona_layout *l = &p->layout;

	printf("{\n  \"file\": ");
	json_str(stdout, path);
	printf(",\n  \"format_version\": %u,\n  \"package_size\": %llu,\n", l->format_version,
	       (unsigned long long)l->package_size);
	printf("  \"layout\": {\"signature\": [%llu, %llu], \"manifest\": [%llu, %llu], "
	       "\"images\": [%llu, %llu]},\n",
	       (unsigned long long)l->signature_offset, (unsigned long long)l->signature_size,
	       (unsigned long long)l->manifest_offset, (unsigned long long)l->manifest_size,
	       (unsigned long long)l->images_offset, (unsigned long long)l->images_size);
	printf("  \"name\": ");
	json_str(stdout, m->name);
	printf(",\n  \"role\": \"%s\",\n  \"owner\": ", persona_role_name(m->role));
	json_str(stdout, m->owner);
	printf(",\n  \"rollback_index\": %llu,\n  \"memory_mib\": %u,\n  \"vcpus\": %u,\n"
	       "  \"priority\": %u,\n  \"cmdline\": ",
	       (unsigned long long)m->rollback_index, m->memory_mib, m->vcpus, m->priority);
	json_str(stdout, m->cmdline);
	printf(",\n  \"devices\": [");
	for (size_t i = 0; i < m->ndevices; i++) {
		fputs(i ? ", " : "", stdout);
		json_str(stdout, m->devices[i]);
	}
	printf("],\n  \"images\": {");
	for (int k = 0, n = 0; k < PERSONA_IMAGE_COUNT; k++) {
		const struct persona_image *img = &m->images[k];

		if (!img->present)
			continue;
		printf("%s\n    \"%s\": {\"offset\": %llu, \"size\": %llu, \"sha256\": \"",
		       n++ ? "," : "", persona_image_name((enum persona_image_kind)k),
		       (unsigned long long)img->offset, (unsigned long long)img->size);
		hex(stdout, img->sha256, PERSONA_SHA256_SIZE);
		printf("\", \"sha256_matches\": %s}", image_matches(pkg, img) ? "true" : "false");
	}
	printf("\n  },\n  \"signature\": ");
	if (p->is_signed) {
		printf("{\"type\": \"ecdsa-p256-sha256\", \"key_id\": \"");
		hex(stdout, p->key_id, PERSONA_SHA256_SIZE);
		printf("\", \"verified\": false}\n}\n");
	} else {
		printf("null\n}\n");
	}
}

static void inspect_text(const char *path, const uint8_t *pkg, const struct persona *p)
{
	const struct persona_manifest *m = &p->manifest;
	const struct persona_layout *l = &p->layout;

	printf("%s: persona package, format %u, %llu bytes\n", path, l->format_version,
	       (unsigned long long)l->package_size);
	printf("  name            %s\n", m->name);
	printf("  role            %s\n", persona_role_name(m->role));
	printf("  owner           %s\n", m->owner);
	printf("  rollback index  %llu\n", (unsigned long long)m->rollback_index);
	printf("  memory          %u MiB\n", m->memory_mib);
	printf("  vcpus           %u\n", m->vcpus);
	printf("  priority        %u\n", m->priority);
	printf("  cmdline         %s\n", m->cmdline[0] ? m->cmdline : "(none)");
	printf("  devices        ");
	for (size_t i = 0; i < m->ndevices; i++)
		printf(" %s", m->devices[i]);
	printf("%s\n", m->ndevices ? "" : " (none)");
	for (int k = 0; k < PERSONA_IMAGE_COUNT; k++) {
		const struct persona_image *img = &m->images[k];

		printf("  %-15s ", persona_image_name((enum persona_image_kind)k));
		if (!img->present) {
			printf("(none)\n");
			continue;
		}
		printf("offset 0x%llx, %llu bytes, sha256 ", (unsigned long long)img->offset,
		       (unsigned long long)img->size);
		hex(stdout, img->sha256, PERSONA_SHA256_SIZE);
		fputs(image_matches(pkg, img) ? " (matches)\n" : " (DOES NOT MATCH)\n", stdout);
	}
	if (p->is_signed) {
		printf("  signature       ECDSA P-256/SHA-256, key id ");
		hex(stdout, p->key_id, PERSONA_SHA256_SIZE);
		printf("\n                  (not checked: use 'facet verify --pub KEY.pem')\n");
	} else {
		printf("  signature       none (use 'facet sign --key KEY.pem')\n");
	}
	printf("  layout          header 0+%zu, signature block %llu+%llu, manifest %llu+%llu, "
	       "images %llu+%llu\n",
	       sizeof(struct persona_header), (unsigned long long)l->signature_offset,
	       (unsigned long long)l->signature_size, (unsigned long long)l->manifest_offset,
	       (unsigned long long)l->manifest_size, (unsigned long long)l->images_offset,
	       (unsigned long long)l->images_size);
}

static int cmd_inspect(int argc, char **argv)
{
	const char *path = NULL;
	bool json = false;
	struct diag d = {0};
	struct persona p;
	struct persona_error err;
	uint8_t *pkg;
	size_t size = 0;

	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = true;
		else if (argv[i][0] == '-')
			return usage("inspect: unknown option '%s'", argv[i]);
		else if (path)
			return usage("inspect: '%s': one package at a time", argv[i]);
		else
			path = argv[i];
	}
	if (!path)
		return usage("%s", "inspect: needs a package");
	pkg = persona_pack_read_file(path, &size, &d);
	if (!pkg) {
		print_diag(&d);
		return 1;
	}
	if (persona_parse(pkg, size, &p, &err) != PERSONA_OK) {
		fprintf(stderr, "facet: %s: %s [%s]\n", path, err.msg, persona_err_name(err.code));
		free(pkg);
		return 1;
	}
	if (json)
		inspect_json(path, pkg, &p);
	else
		inspect_text(path, pkg, &p);
	free(pkg);
	return 0;
}

/* ---- verify ---- */

/* "persona,appliance" to role bits; 0 if a name is not a role. */
static uint32_t parse_roles(const char *list)
{
	char buf[64], *tok, *save = NULL;
	uint32_t roles = 0;

	if (strlen(list) >= sizeof(buf))
		return 0;
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int r = persona_role_from_name(tok);

		if (r < 0)
			return 0;
		roles |= PERSONA_ROLE_BIT(r);
	}
	return roles;
}

static int cmd_verify(int argc, char **argv)
{
	struct persona_trusted_key keys[MAX_TRUSTED_KEYS];
	struct persona_policy policy = {.keys = keys};
	uint32_t roles = PERSONA_ROLES_ALL;
	unsigned long long v;
	struct diag d = {0};
	char **pkgs = calloc((size_t)argc + 1, sizeof(*pkgs));
	int npkgs = 0, bad = 0, m;
	const char *val;

	if (!pkgs)
		return 1;
	for (int i = 0; i < argc; i++) {
		if ((m = cli_option(argc, argv, &i, "--pub", &val)) != 0) {
			if (m < 0 || policy.nkeys == MAX_TRUSTED_KEYS) {
				free(pkgs);
				return usage("%s", "verify: --pub needs a file name (at most 16)");
			}
			if (persona_crypto_load_public(val, keys[policy.nkeys].pubkey, &d) < 0) {
				print_diag(&d);
				free(pkgs);
				return 1;
			}
			keys[policy.nkeys++].label = val;
		} else if ((m = cli_option(argc, argv, &i, "--role", &val)) != 0) {
			if (m < 0 || !(roles = parse_roles(val))) {
				free(pkgs);
				return usage("verify: --role '%s': not system, persona, appliance",
					     m < 0 ? "" : val);
			}
		} else if ((m = cli_option(argc, argv, &i, "--min-rollback", &val)) != 0) {
			if (m < 0 || !parse_u64(val, UINT64_MAX, &v)) {
				free(pkgs);
				return usage("verify: --min-rollback '%s' is not a decimal number",
					     m < 0 ? "" : val);
			}
			policy.min_rollback = v;
		} else if (argv[i][0] == '-') {
			free(pkgs);
			return usage("verify: unknown option '%s'", argv[i]);
		} else {
			pkgs[npkgs++] = argv[i];
		}
	}
	if (policy.nkeys == 0 || npkgs == 0) {
		free(pkgs);
		return usage("%s", "verify: needs --pub PUB.pem and at least one package");
	}
	for (size_t k = 0; k < policy.nkeys; k++)
		keys[k].roles = roles;

	for (int i = 0; i < npkgs; i++) {
		struct persona p;
		struct persona_error err;
		size_t size = 0;
		uint8_t *pkg = persona_pack_read_file(pkgs[i], &size, &d);

		if (!pkg) {
			print_diag(&d);
			bad++;
			continue;
		}
		if (persona_verify(pkg, size, &policy, &persona_crypto_openssl, &p, &err) !=
		    PERSONA_OK) {
			fprintf(stderr, "facet: %s: refused: %s [%s]\n", pkgs[i], err.msg,
				persona_err_name(err.code));
			bad++;
		} else {
			printf("%s: ok: '%s', %s, owner '%s', rollback index %llu, key id ",
			       pkgs[i], p.manifest.name, persona_role_name(p.manifest.role),
			       p.manifest.owner, (unsigned long long)p.manifest.rollback_index);
			hex(stdout, p.key_id, 8);
			printf("...\n");
		}
		free(pkg);
	}
	free(pkgs);
	return bad ? 1 : 0;
}

static bool has_arg(int argc, char **argv, const char *arg)
{
	for (int i = 0; i < argc; i++)
		if (strcmp(argv[i], arg) == 0)
			return true;
	return false;
}

int persona_cmd_dispatch(const char *cmd, int argc, char **argv)
{
	if (strcmp(cmd, "keygen") == 0)
		return cmd_keygen(argc, argv);
	if (strcmp(cmd, "pack") == 0 && has_arg(argc, argv, "--persona"))
		return cmd_pack_persona(argc, argv);
	if (strcmp(cmd, "sign") == 0)
		return cmd_sign(argc, argv);
	if (strcmp(cmd, "inspect") == 0)
		return cmd_inspect(argc, argv);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(argc, argv);
	return -1;
}
