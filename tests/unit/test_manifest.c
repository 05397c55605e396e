/*
 * Unit tests for the boot-image manifest: what the pack code
 * (tools/facet/pack.c, tools/facet/trust.c) writes, the reader the
 * hypervisor shares (core/manifest.c) must read back exactly; and a damaged
 * manifest must be refused with a message that names the VM (or the node)
 * and the problem. Config VMs, persona-package VMs and the trust list each
 * get both.
 *
 * The damaged manifests start from a good boot image and change one thing
 * with libfdt's read-write API. Packages and keys are real ones, made with
 * the host tool's own code (tools/facet/persona_pack.c, persona_crypto.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libfdt.h>

#include "core/manifest.h"
#include "core/persona.h"
#include "tools/facet/config.h"
#include "tools/facet/pack.h"
#include "tools/facet/persona_crypto.h"
#include "tools/facet/persona_pack.h"
#include "tools/facet/trust.h"

struct fixture {
	char dir[64];
	struct vm_spec vms[3];
	size_t nvms;
	struct trust_key keys[1];
	size_t nkeys;
	unsigned char *image; /* the packed boot image */
	size_t size;
	unsigned char *pristine; /* its manifest as packed: what damage() starts from */
	char err[256];
};

static void write_file(const char *dir, const char *name, const void *content, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	assert_int_equal(fwrite(content, 1, len, f), len);
	assert_int_equal(fclose(f), 0);
}

static unsigned char *read_file(const char *path, size_t *size)
{
	FILE *f = fopen(path, "rb");
	unsigned char *buf;
	long len;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len > 0);
	rewind(f);
	buf = malloc((size_t)len);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	*size = (size_t)len;
	return buf;
}

/* A file of len bytes, each (seed + i) % 251: distinct content per file. */
static void pattern_file(const char *dir, const char *name, size_t len, unsigned seed)
{
	unsigned char *buf = malloc(len);

	assert_non_null(buf);
	for (size_t i = 0; i < len; i++)
		buf[i] = (unsigned char)((seed + i) % 251);
	write_file(dir, name, buf, len);
	free(buf);
}

static void load_config(struct fixture *f, const char *name, const char *text, unsigned flags)
{
	char path[128];
	struct diag d = {0};

	write_file(f->dir, name, text, strlen(text));
	snprintf(path, sizeof(path), "%s/%s", f->dir, name);
	assert_int_equal(config_load(path, flags, &f->vms[f->nvms], &d), 0);
	assert_int_equal(d.count, 0);
	f->nvms++;
}

/* Packs the loaded VMs into dir/boot.img and reads it into f->image. */
static void pack_all(struct fixture *f)
{
	struct pack_plan plan;
	struct diag d = {0};
	char out[128];

	snprintf(out, sizeof(out), "%s/boot.img", f->dir);
	assert_int_equal(pack_plan(f->vms, f->nvms, f->keys, f->nkeys, &plan, &d), 0);
	assert_int_equal(pack_write(&plan, out, &d), 0);
	assert_int_equal(d.count, 0);
	pack_plan_free(&plan);
	free(f->image);
	f->image = read_file(out, &f->size);
	free(f->pristine);
	f->pristine = malloc(fdt_totalsize(f->image));
	assert_non_null(f->pristine);
	memcpy(f->pristine, f->image, fdt_totalsize(f->image));
}

/*
 * Three VMs: "work" and "personal" share the kernel (named by two different
 * paths) and the initrd; "system" has its own kernel, no initrd or cmdline.
 */
static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/facet-test-manifest.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	pattern_file(f->dir, "Image", 10000, 1);
	pattern_file(f->dir, "initrd", 5000, 2);
	pattern_file(f->dir, "system.bin", 4096, 3);
	load_config(f, "work.cfg",
		    "name = \"work\"\nkernel = \"Image\"\ninitrd = \"initrd\"\n"
		    "cmdline = \"console=ttyAMA0 facet.persona=work\"\nmemory = 256\nvcpus = 2\n",
		    0);
	load_config(f, "system.cfg", "name = \"system\"\nkernel = \"system.bin\"\nmemory = 16\n",
		    0);
	load_config(f, "personal.cfg",
		    "name = \"personal\"\nkernel = \"./Image\"\ninitrd = \"initrd\"\n"
		    "cmdline = \"\"\nmemory = 128\nvcpus = 4\n",
		    0);
	pack_all(f);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	for (size_t i = 0; i < f->nvms; i++)
		config_free(&f->vms[i]);
	for (size_t i = 0; i < f->nkeys; i++)
		trust_key_free(&f->keys[i]);
	free(f->image);
	free(f->pristine);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* The image bytes at [offset, offset + size) must be the file's content. */
static void assert_image_is_file(const struct fixture *f, uint64_t offset, uint64_t size,
				 const char *path)
{
	size_t len;
	unsigned char *want = read_file(path, &len);

	assert_int_equal(size, len);
	assert_true(offset + size <= f->size);
	assert_memory_equal(f->image + offset, want, len);
	free(want);
}

static void test_round_trip(void **state)
{
	struct fixture *f = *state;
	struct vm_config vm[3];
	size_t n = 0;
	int node;

	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), 0);
	for (node = manifest_next_vm(f->image, -1); node >= 0;
	     node = manifest_next_vm(f->image, node)) {
		assert_true(n < 3);
		if (manifest_parse_vm(f->image, f->size, node, &vm[n], f->err, sizeof(f->err)))
			fail_msg("%s", f->err);
		n++;
	}
	assert_int_equal(n, f->nvms);

	for (size_t i = 0; i < n; i++) {
		const struct vm_spec *s = &f->vms[i];

		assert_string_equal(vm[i].name, s->name);
		assert_int_equal(vm[i].memory_mib, s->memory_mib);
		assert_int_equal(vm[i].vcpus, s->vcpus);
		assert_string_equal(vm[i].cmdline, s->cmdline ? s->cmdline : "");
		assert_string_equal(vm[i].source, s->source);
		assert_int_equal(vm[i].kernel_offset % MANIFEST_IMAGE_ALIGN, 0);
		assert_true(vm[i].kernel_offset >= fdt_totalsize(f->image));
		assert_image_is_file(f, vm[i].kernel_offset, vm[i].kernel_size, s->kernel);
		if (s->initrd) {
			assert_int_equal(vm[i].initrd_offset % MANIFEST_IMAGE_ALIGN, 0);
			assert_image_is_file(f, vm[i].initrd_offset, vm[i].initrd_size, s->initrd);
		} else {
			assert_int_equal(vm[i].initrd_size, 0);
		}
	}
	assert_string_equal(vm[0].cmdline, "console=ttyAMA0 facet.persona=work");
	assert_int_equal(vm[2].vcpus, 4);

	/* One copy of each file: Image (10000 bytes), initrd, system.bin. */
	assert_int_equal(vm[0].kernel_offset, vm[2].kernel_offset);
	assert_int_equal(vm[0].initrd_offset, vm[2].initrd_offset);
	assert_true(vm[1].kernel_offset != vm[0].kernel_offset);
	assert_int_equal(f->size, 4096 + 12288 + 8192 + 4096); /* manifest, Image, initrd, system */
}

/*
 * Applies change to a copy of the manifest as packed and puts it in front of
 * the images: each damage starts from the good manifest, none adds up.
 */
static void damage(struct fixture *f, void (*change)(void *fdt, int vm0))
{
	size_t room = 4096; /* up to the first image, as the fixtures are packed */
	void *fdt = malloc(room);

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(f->pristine, fdt, (int)room), 0);
	change(fdt, fdt_path_offset(fdt, "/vms/vm@0"));
	assert_int_equal(fdt_pack(fdt), 0);
	assert_true(fdt_totalsize(fdt) <= room);
	memcpy(f->image, fdt, fdt_totalsize(fdt));
	free(fdt);
}

/* The manifest header must be refused with exactly this message. */
static void assert_bad_header(struct fixture *f, const char *want)
{
	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), -1);
	assert_string_equal(f->err, want);
}

/* The first VM must be refused with exactly this message. */
static void assert_bad_vm(struct fixture *f, const char *want)
{
	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), 0);
	assert_int_equal(manifest_parse_vm(f->image, f->size, manifest_next_vm(f->image, -1),
					   &(struct vm_config){0}, f->err, sizeof(f->err)),
			 -1);
	assert_string_equal(f->err, want);
}

static void set_compatible(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_string(fdt, 0, "compatible", "facet,boot-image-v2"), 0);
}

static void test_wrong_compatible(void **state)
{
	damage(*state, set_compatible);
	assert_bad_header(*state, "boot image: manifest is compatible with 'facet,boot-image-v2', "
				  "not 'facet,boot-image'");
}

static void set_version_2(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, 0, "facet,format-version", 2), 0);
}

static void drop_version(void *fdt, int vm0)
{
	assert_int_equal(fdt_delprop(fdt, 0, "facet,format-version"), 0);
}

static void test_unknown_version(void **state)
{
	damage(*state, set_version_2);
	assert_bad_header(*state, "boot image: manifest format version 2 is not known (1 is)");
	damage(*state, drop_version);
	assert_bad_header(*state, "boot image: manifest has no facet,format-version cell");
}

static void drop_vms(void *fdt, int vm0)
{
	assert_int_equal(fdt_del_node(fdt, fdt_path_offset(fdt, "/vms")), 0);
}

static void test_bad_header(void **state)
{
	struct fixture *f = *state;
	size_t size = f->size;

	/* A boot image cut short inside the manifest. */
	f->size = 100;
	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "bytes, its region has 100"));
	f->size = 8;
	assert_bad_header(f, "boot image: 8 bytes is too small to hold a manifest");
	f->size = size;

	damage(f, drop_vms);
	assert_bad_header(f, "boot image: manifest has no /vms node");

	memcpy(f->image,
	       "\x7f"
	       "ELF",
	       4);
	assert_bad_header(f, "boot image: manifest is not a device tree: FDT_ERR_BADMAGIC");
}

/*
 * Regression (found by fuzzing the persona parser, same libfdt): a manifest
 * whose header says version 8 made libfdt 1.6.1's fdt_check_full dereference
 * NULL, and a property length near 4 GiB made it loop forever. Both must be
 * refused before libfdt walks them.
 */
static void test_libfdt_traps(void **state)
{
	struct fixture *f = *state;
	uint8_t *fdt = f->image;
	uint8_t saved[8];

	/* fdt_header.version and last_comp_version: words 6 and 7 (Devicetree Spec 5.2). */
	memcpy(saved, fdt + 20, 8);
	memcpy(fdt + 20, "\0\0\0\x08\0\0\0\x02", 8);
	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "device tree version 8 is older than 17"));
	memcpy(fdt + 20, saved, 8);

	/* The first property in the structure block: FDT_BEGIN_NODE "" (8 bytes), then FDT_PROP. */
	uint32_t off = fdt_off_dt_struct(fdt) + 8;
	assert_int_equal(fdt32_ld((const fdt32_t *)(fdt + off)), FDT_PROP);
	memcpy(fdt + off + 4, "\xff\xff\xff\xf4", 4);
	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), -1);
	assert_non_null(strstr(f->err, "runs outside the device tree's structure block"));
}

static void add_unknown_property(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "colour", 3), 0);
}

static void test_unknown_property(void **state)
{
	damage(*state, add_unknown_property);
	assert_bad_vm(*state, "vm@0: unknown property 'colour'");
}

/* Rewrites vm@0's kernel to <offset size>. */
static void set_kernel(void *fdt, int vm0, uint64_t offset, uint64_t size)
{
	fdt64_t cells[2] = {cpu_to_fdt64(offset), cpu_to_fdt64(size)};

	assert_int_equal(fdt_setprop(fdt, vm0, "kernel", cells, sizeof(cells)), 0);
}

static void kernel_past_end(void *fdt, int vm0)
{
	set_kernel(fdt, vm0, 0x1000, 0x7000);
}

static void kernel_wrapping(void *fdt, int vm0)
{
	set_kernel(fdt, vm0, 0x1000, UINT64_MAX - 0xfff);
}

static void test_image_past_end(void **state)
{
	damage(*state, kernel_past_end);
	assert_bad_vm(*state, "vm 'work': kernel at 0x1000+0x7000 runs past the end of the boot "
			      "image (0x7000 bytes)");
	damage(*state, kernel_wrapping);
	assert_bad_vm(*state, "vm 'work': kernel at 0x1000+0xfffffffffffff000 runs past the end "
			      "of the boot image (0x7000 bytes)");
}

static void kernel_over_header(void *fdt, int vm0)
{
	set_kernel(fdt, vm0, 0, 0x1000);
}

static void kernel_misaligned(void *fdt, int vm0)
{
	set_kernel(fdt, vm0, 0x1010, 0x100);
}

static void kernel_empty(void *fdt, int vm0)
{
	set_kernel(fdt, vm0, 0x1000, 0);
}

static void kernel_short(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "kernel", 0x1000), 0);
}

static void test_bad_image_ranges(void **state)
{
	struct fixture *f = *state;
	char want[128];

	damage(f, kernel_over_header);
	snprintf(want, sizeof(want),
		 "vm 'work': kernel at offset 0x0 overlaps the manifest (0x%x bytes)",
		 fdt_totalsize(f->image));
	assert_bad_vm(f, want);
	damage(f, kernel_misaligned);
	assert_bad_vm(f, "vm 'work': kernel offset 0x1010 is not 4096-byte aligned");
	damage(f, kernel_empty);
	assert_bad_vm(f, "vm 'work': kernel is empty");
	damage(f, kernel_short);
	assert_bad_vm(f, "vm 'work': kernel is 4 bytes, not 4 cells <offset size>");
}

static void long_name(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_string(fdt, vm0, "name", "sixteen-chars-xx"), 0);
}

static void name_with_space(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_string(fdt, vm0, "name", "a b"), 0);
}

static void name_unterminated(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop(fdt, vm0, "name", "abc", 3), 0);
}

static void test_bad_name(void **state)
{
	static void (*const changes[])(void *, int) = {long_name, name_with_space,
						       name_unterminated};

	for (size_t i = 0; i < sizeof(changes) / sizeof(changes[0]); i++) {
		damage(*state, changes[i]);
		assert_bad_vm(*state, "vm@0: name is not 1..15 characters of [A-Za-z0-9_-]");
	}
}

static void zero_vcpus(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "vcpus", 0), 0);
}

static void five_vcpus(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "vcpus", 5), 0);
}

static void memory_too_big(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "memory-mib", 4097), 0);
}

static void memory_as_u64(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u64(fdt, vm0, "memory-mib", 256), 0);
}

static void test_bad_numbers(void **state)
{
	damage(*state, zero_vcpus);
	assert_bad_vm(*state, "vm 'work': vcpus = 0 is out of range 1..4");
	damage(*state, five_vcpus);
	assert_bad_vm(*state, "vm 'work': vcpus = 5 is out of range 1..4");
	damage(*state, memory_too_big);
	assert_bad_vm(*state, "vm 'work': memory-mib = 4097 is out of range 1..4096");
	damage(*state, memory_as_u64);
	assert_bad_vm(*state, "vm 'work': memory-mib is 8 bytes, not one cell");
}

static void drop_kernel(void *fdt, int vm0)
{
	assert_int_equal(fdt_delprop(fdt, vm0, "kernel"), 0);
}

static void drop_name(void *fdt, int vm0)
{
	assert_int_equal(fdt_delprop(fdt, vm0, "name"), 0);
}

static void test_missing_kernel(void **state)
{
	damage(*state, drop_kernel);
	assert_bad_vm(*state, "vm 'work': has neither 'kernel' nor 'package'");
	damage(*state, drop_name);
	assert_bad_vm(*state, "vm@0: required property 'name' is missing");
}

static void cmdline_too_long(void *fdt, int vm0)
{
	char cmdline[MANIFEST_CMDLINE_MAX + 1];

	memset(cmdline, 'x', MANIFEST_CMDLINE_MAX);
	cmdline[MANIFEST_CMDLINE_MAX] = '\0';
	assert_int_equal(fdt_setprop_string(fdt, vm0, "cmdline", cmdline), 0);
}

static void cmdline_two_strings(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop(fdt, vm0, "cmdline", "a\0b", 4), 0);
}

static void test_bad_cmdline(void **state)
{
	damage(*state, cmdline_too_long);
	assert_bad_vm(*state, "vm 'work': cmdline is not a string of at most 1023 bytes");
	damage(*state, cmdline_two_strings);
	assert_bad_vm(*state, "vm 'work': cmdline is not a string of at most 1023 bytes");
}

static void rename_node(void *fdt, int vm0)
{
	assert_int_equal(fdt_set_name(fdt, vm0, "guest@0"), 0);
}

static void test_not_a_vm_node(void **state)
{
	damage(*state, rename_node);
	assert_bad_vm(*state, "/vms/guest@0: not a vm@N node");
}

/* --no-check packs what the hypervisor's own checks must refuse. */
static void test_unchecked_pack(void **state)
{
	struct fixture *f = *state;

	for (size_t i = 0; i < f->nvms; i++)
		config_free(&f->vms[i]);
	f->nvms = 0;
	load_config(f, "bad.cfg", "name = \"bad\"\nkernel = \"Image\"\nmemory = 5000\nvcpus = 0\n",
		    CONFIG_NO_RANGE_CHECK);
	pack_all(f);
	assert_bad_vm(f, "vm 'bad': memory-mib = 5000 is out of range 1..4096");
}

/* A node that says nothing at all is neither kind of VM. */
static void empty_node(void *fdt, int vm0)
{
	static const char *const props[] = {"name",   "memory-mib", "vcpus", "kernel",
					    "initrd", "cmdline",    "source"};

	for (size_t i = 0; i < sizeof(props) / sizeof(props[0]); i++)
		assert_int_equal(fdt_delprop(fdt, vm0, props[i]), 0);
}

static void min_rollback_on_config(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u64(fdt, vm0, "min-rollback", 2), 0);
}

static void test_config_node_kinds(void **state)
{
	damage(*state, empty_node);
	assert_bad_vm(*state, "vm@0: has neither 'kernel' nor 'package'");
	damage(*state, min_rollback_on_config);
	assert_bad_vm(*state,
		      "vm 'work': property 'min-rollback' is only allowed in a package node");
}

/* ---- persona-package VMs and the trust list ---- */

/* The one message in d must be want; clears d. */
static void assert_one_message(struct diag *d, const char *want)
{
	if (d->count != 1)
		for (size_t i = 0; i < d->count; i++)
			print_error("  got: %s\n", d->msgs[i]);
	assert_int_equal(d->count, 1);
	assert_string_equal(d->msgs[0], want);
	diag_clear(d);
}

/* The one message in d must contain want; clears d. */
static void assert_one_message_has(struct diag *d, const char *want)
{
	assert_int_equal(d->count, 1);
	if (!strstr(d->msgs[0], want))
		fail_msg("'%s' does not contain '%s'", d->msgs[0], want);
	diag_clear(d);
}

static void path_in(const struct fixture *f, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/%s", f->dir, name);
}

/*
 * Writes dir/<file>: a package "mail" (appliance, rollback index 4, 32 MiB,
 * a 6000-byte kernel), signed with dir/key.pem, made here with keygen.
 */
static void make_package(struct fixture *f, const char *file)
{
	static const struct persona_pack_spec spec = {
	    .name = "mail",
	    .role = PERSONA_ROLE_APPLIANCE,
	    .owner = "ACME Corp IT",
	    .rollback_index = 4,
	    .memory_mib = 32,
	    .vcpus = 1,
	    .priority = 128,
	};
	struct persona_span images[PERSONA_IMAGE_COUNT] = {0};
	struct persona_crypto_key *key;
	struct diag d = {0};
	char priv[128], pub[128];
	uint8_t kernel[6000], *pkg;
	size_t size;

	path_in(f, "key.pem", priv, sizeof(priv));
	path_in(f, "key.pub.pem", pub, sizeof(pub));
	if (access(priv, R_OK) != 0)
		assert_int_equal(persona_crypto_keygen(priv, pub, &d), 0);
	for (size_t i = 0; i < sizeof(kernel); i++)
		kernel[i] = (uint8_t)(i * 7);
	images[PERSONA_IMAGE_KERNEL] = (struct persona_span){kernel, sizeof(kernel)};
	assert_int_equal(persona_pack_build(&spec, images, &pkg, &size, &d), 0);
	key = persona_crypto_load_private(priv, &d);
	assert_non_null(key);
	assert_int_equal(persona_pack_sign_buf(pkg, size, key, file, &d), 0);
	assert_int_equal(d.count, 0);
	persona_crypto_free(key);
	write_file(f->dir, file, pkg, size);
	free(pkg);
}

/*
 * vm@0 the package mail.pkg (rollback floor 3), vm@1 a config VM "system";
 * the trust list: dir/key.pub.pem for persona and appliance.
 */
static int setup_pkg(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));
	struct trust_floor floor;
	struct diag d = {0};
	char arg[160], path[128];

	assert_non_null(f);
	strcpy(f->dir, "/tmp/facet-test-manifest.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	make_package(f, "mail.pkg");
	pattern_file(f->dir, "system.bin", 4096, 3);

	path_in(f, "mail.pkg", path, sizeof(path));
	assert_true(pack_is_package(path));
	assert_int_equal(pack_load_package(path, 0, &f->vms[f->nvms], &d), 0);
	assert_int_equal(d.count, 0);
	assert_string_equal(f->vms[0].name, "mail");
	assert_int_equal(f->vms[0].memory_mib, 32);
	f->nvms++;
	load_config(f, "system.cfg", "name = \"system\"\nkernel = \"system.bin\"\nmemory = 16\n",
		    0);

	snprintf(arg, sizeof(arg), "%s/key.pub.pem=persona,appliance", f->dir);
	assert_int_equal(trust_key_parse(arg, &f->keys[0], &d), 0);
	assert_int_equal(trust_key_load(&f->keys[0], &d), 0);
	f->nkeys = 1;
	assert_int_equal(trust_floor_parse("mail=3", NULL, 0, &floor, &d), 0);
	assert_int_equal(trust_floors_apply(&floor, 1, f->vms, f->nvms, &d), 0);
	assert_int_equal(d.count, 0);
	pack_all(f);
	*state = f;
	return 0;
}

static void parse_vm_n(struct fixture *f, int n, struct vm_config *vm)
{
	int node = manifest_next_vm(f->image, -1);

	for (int i = 0; i < n; i++)
		node = manifest_next_vm(f->image, node);
	assert_true(node >= 0);
	if (manifest_parse_vm(f->image, f->size, node, vm, f->err, sizeof(f->err)) != 0)
		fail_msg("%s", f->err);
}

static void test_package_round_trip(void **state)
{
	struct fixture *f = *state;
	struct persona_trusted_key keys[MANIFEST_MAX_KEYS];
	struct persona_trusted_key trusted;
	struct persona_policy policy = {&trusted, 1, 0};
	struct persona p;
	struct persona_error perr;
	struct vm_config vm;
	uint8_t pub[PERSONA_PUBKEY_SIZE];
	struct diag d = {0};
	char priv[128];

	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), 0);
	parse_vm_n(f, 0, &vm);
	assert_true(vm.package);
	assert_string_equal(vm.name, "");
	assert_int_equal(vm.memory_mib, 0);
	assert_int_equal(vm.kernel_size, 0);
	assert_string_equal(vm.source, f->vms[0].source);
	assert_int_equal(vm.min_rollback, 3);
	assert_int_equal(vm.package_offset % MANIFEST_IMAGE_ALIGN, 0);
	assert_true(vm.package_offset >= fdt_totalsize(f->image));
	assert_image_is_file(f, vm.package_offset, vm.package_size, f->vms[0].package);

	/* The trust list: the key the package is signed with, its roles, its file's name. */
	assert_int_equal(manifest_trust(f->image, keys, MANIFEST_MAX_KEYS, f->err, sizeof(f->err)),
			 1);
	path_in(f, "key.pem", priv, sizeof(priv));
	assert_int_equal(persona_crypto_load_public(priv, pub, &d), 0);
	assert_memory_equal(keys[0].pubkey, pub, PERSONA_PUBKEY_SIZE);
	assert_int_equal(keys[0].roles, PERSONA_ROLE_BIT(PERSONA_ROLE_PERSONA) |
					    PERSONA_ROLE_BIT(PERSONA_ROLE_APPLIANCE));
	assert_string_equal(keys[0].label, "key.pub.pem");

	/* What the hypervisor will do with them: the package verifies in place... */
	memcpy(trusted.pubkey, keys[0].pubkey, PERSONA_PUBKEY_SIZE);
	trusted.roles = keys[0].roles;
	trusted.label = keys[0].label;
	policy.min_rollback = vm.min_rollback;
	assert_int_equal(persona_verify(f->image + vm.package_offset, vm.package_size, &policy,
					&persona_crypto_openssl, &p, &perr),
			 PERSONA_OK);
	assert_string_equal(p.manifest.name, "mail");
	/* ...and a floor above its rollback index (4) refuses it. */
	policy.min_rollback = 5;
	assert_int_equal(persona_verify(f->image + vm.package_offset, vm.package_size, &policy,
					&persona_crypto_openssl, &p, &perr),
			 PERSONA_ERR_ROLLBACK);

	/* The config VM after it is unchanged by the company. */
	parse_vm_n(f, 1, &vm);
	assert_false(vm.package);
	assert_string_equal(vm.name, "system");
	assert_int_equal(vm.min_rollback, 0);
	assert_image_is_file(f, vm.kernel_offset, vm.kernel_size, f->vms[1].kernel);
}

/* A package named twice (by two paths) is stored once; no floor, no min-rollback property. */
static void test_package_stored_once(void **state)
{
	struct fixture *f = *state;
	struct vm_spec *again = &f->vms[f->nvms++];
	struct vm_config vm0, vm2;
	size_t size = f->size;
	char path[128];

	snprintf(path, sizeof(path), "%s/./mail.pkg", f->dir);
	again->source = strdup(path);
	again->package = strdup(path);
	assert_non_null(again->package);
	pack_all(f);
	assert_int_equal(f->size, size);
	parse_vm_n(f, 0, &vm0);
	parse_vm_n(f, 2, &vm2);
	assert_true(vm2.package);
	assert_int_equal(vm2.package_offset, vm0.package_offset);
	assert_int_equal(vm2.package_size, vm0.package_size);
	assert_int_equal(vm2.min_rollback, 0);
	assert_string_equal(vm2.source, path);
	assert_null(
	    fdt_getprop(f->image, fdt_path_offset(f->image, "/vms/vm@2"), "min-rollback", NULL));
}

/* Rewrites vm@0's package to <offset size>. */
static void set_package(void *fdt, int vm0, uint64_t offset, uint64_t size)
{
	fdt64_t cells[2] = {cpu_to_fdt64(offset), cpu_to_fdt64(size)};

	assert_int_equal(fdt_setprop(fdt, vm0, "package", cells, sizeof(cells)), 0);
}

static void package_misaligned(void *fdt, int vm0)
{
	set_package(fdt, vm0, 0x1008, 0x100);
}

static void package_past_end(void *fdt, int vm0)
{
	set_package(fdt, vm0, 0x1000, 0x100000);
}

static void package_over_manifest(void *fdt, int vm0)
{
	set_package(fdt, vm0, 0, 0x1000);
}

static void package_empty(void *fdt, int vm0)
{
	set_package(fdt, vm0, 0x1000, 0);
}

static void package_one_cell(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "package", 0x1000), 0);
}

static void package_without_source(void *fdt, int vm0)
{
	package_misaligned(fdt, vm0);
	assert_int_equal(fdt_delprop(fdt, vm0, "source"), 0);
}

static void test_package_bad_ranges(void **state)
{
	struct fixture *f = *state;
	const char *src = f->vms[0].source;
	char want[256];

	damage(f, package_misaligned);
	snprintf(want, sizeof(want), "vm@0 (%s): package offset 0x1008 is not 4096-byte aligned",
		 src);
	assert_bad_vm(f, want);
	damage(f, package_past_end);
	snprintf(want, sizeof(want),
		 "vm@0 (%s): package at 0x1000+0x100000 runs past the end of the boot image "
		 "(0x%zx bytes)",
		 src, f->size);
	assert_bad_vm(f, want);
	damage(f, package_over_manifest);
	snprintf(want, sizeof(want),
		 "vm@0 (%s): package at offset 0x0 overlaps the manifest (0x%x bytes)", src,
		 fdt_totalsize(f->image));
	assert_bad_vm(f, want);
	damage(f, package_empty);
	snprintf(want, sizeof(want), "vm@0 (%s): package is empty", src);
	assert_bad_vm(f, want);
	damage(f, package_one_cell);
	snprintf(want, sizeof(want), "vm@0 (%s): package is 4 bytes, not 4 cells <offset size>",
		 src);
	assert_bad_vm(f, want);
	/* Without a source, the node alone names it. */
	damage(f, package_without_source);
	assert_bad_vm(f, "vm@0: package offset 0x1008 is not 4096-byte aligned");
}

static void package_with_name(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_string(fdt, vm0, "name", "mail"), 0);
}

static void package_with_colour(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "colour", 3), 0);
}

static void package_and_kernel(void *fdt, int vm0)
{
	fdt64_t cells[2] = {cpu_to_fdt64(0x1000), cpu_to_fdt64(0x100)};

	assert_int_equal(fdt_setprop(fdt, vm0, "kernel", cells, sizeof(cells)), 0);
}

static void drop_package(void *fdt, int vm0)
{
	assert_int_equal(fdt_delprop(fdt, vm0, "package"), 0);
}

static void min_rollback_one_cell(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, vm0, "min-rollback", 3), 0);
}

static void source_two_strings(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop(fdt, vm0, "source", "a\0b", 4), 0);
}

static void test_package_bad_properties(void **state)
{
	struct fixture *f = *state;
	char want[256];

	damage(f, package_with_name);
	snprintf(want, sizeof(want),
		 "vm@0 (%s): property 'name' is not allowed in a package node (the package says "
		 "it)",
		 f->vms[0].source);
	assert_bad_vm(f, want);
	damage(f, package_with_colour);
	assert_bad_vm(f, "vm@0: unknown property 'colour'");
	damage(f, package_and_kernel);
	assert_bad_vm(f, "vm@0: has both 'kernel' and 'package'");
	damage(f, drop_package);
	assert_bad_vm(f, "vm@0: has neither 'kernel' nor 'package'");
	damage(f, min_rollback_one_cell);
	snprintf(want, sizeof(want), "vm@0 (%s): min-rollback is 4 bytes, not 2 cells",
		 f->vms[0].source);
	assert_bad_vm(f, want);
	damage(f, source_two_strings);
	assert_bad_vm(f, "vm@0: source is not a string of at most 4095 bytes");
}

/* The trust list must be refused with exactly this message. */
static void assert_bad_trust(struct fixture *f, unsigned max, const char *want)
{
	struct persona_trusted_key keys[MANIFEST_MAX_KEYS];

	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), 0);
	assert_int_equal(manifest_trust(f->image, keys, max, f->err, sizeof(f->err)), -1);
	assert_string_equal(f->err, want);
}

static int key0(void *fdt)
{
	int node = fdt_path_offset(fdt, "/trust/key@0");

	assert_true(node >= 0);
	return node;
}

static void key_64_bytes(void *fdt, int vm0)
{
	int node = key0(fdt);
	const uint8_t *pub = fdt_getprop(fdt, node, "public-key", NULL);
	uint8_t copy[64];

	memcpy(copy, pub, sizeof(copy));
	assert_int_equal(fdt_setprop(fdt, node, "public-key", copy, sizeof(copy)), 0);
}

static void key_compressed(void *fdt, int vm0)
{
	int node = key0(fdt);
	uint8_t *pub = fdt_getprop_w(fdt, node, "public-key", NULL);

	pub[0] = 0x02;
}

static void roles_zero(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, key0(fdt), "roles", 0), 0);
}

static void roles_unknown_bit(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, key0(fdt), "roles", 0x9), 0);
}

static void roles_u64(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u64(fdt, key0(fdt), "roles", 2), 0);
}

static void drop_roles(void *fdt, int vm0)
{
	assert_int_equal(fdt_delprop(fdt, key0(fdt), "roles"), 0);
}

static void drop_public_key(void *fdt, int vm0)
{
	assert_int_equal(fdt_delprop(fdt, key0(fdt), "public-key"), 0);
}

static void label_unterminated(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop(fdt, key0(fdt), "label", "abc", 3), 0);
}

static void key_colour(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, key0(fdt), "colour", 1), 0);
}

static void trust_property(void *fdt, int vm0)
{
	assert_int_equal(fdt_setprop_u32(fdt, fdt_path_offset(fdt, "/trust"), "version", 1), 0);
}

static void trust_other_node(void *fdt, int vm0)
{
	assert_int_equal(fdt_set_name(fdt, key0(fdt), "cert@0"), 0);
}

/*
 * Makes key@0..key@n-1: key@0 as packed, the others copies of its public key
 * with a distinct last byte (or the same, if dup) and roles <1>. libfdt adds
 * a subnode before its siblings, so they are added from the last.
 */
static void add_keys(void *fdt, int n, bool dup)
{
	int trust = fdt_path_offset(fdt, "/trust");
	uint8_t pub0[PERSONA_PUBKEY_SIZE];
	uint32_t roles0 = fdt32_ld(fdt_getprop(fdt, key0(fdt), "roles", NULL));

	memcpy(pub0, fdt_getprop(fdt, key0(fdt), "public-key", NULL), sizeof(pub0));
	assert_int_equal(fdt_del_node(fdt, key0(fdt)), 0);
	for (int i = n - 1; i >= 0; i--) {
		uint8_t pub[PERSONA_PUBKEY_SIZE];
		char name[16];
		int node;

		memcpy(pub, pub0, sizeof(pub));
		if (!dup)
			pub[64] = (uint8_t)(pub[64] + i);
		snprintf(name, sizeof(name), "key@%d", i);
		trust = fdt_path_offset(fdt, "/trust");
		node = fdt_add_subnode(fdt, trust, name);
		assert_true(node >= 0);
		assert_int_equal(fdt_setprop(fdt, node, "public-key", pub, sizeof(pub)), 0);
		assert_int_equal(fdt_setprop_u32(fdt, node, "roles", i ? 1 : roles0), 0);
	}
}

static void nine_keys(void *fdt, int vm0)
{
	add_keys(fdt, 9, false);
}

static void two_keys(void *fdt, int vm0)
{
	add_keys(fdt, 2, false);
}

static void same_key_twice(void *fdt, int vm0)
{
	add_keys(fdt, 2, true);
}

static void test_trust_list_damage(void **state)
{
	struct fixture *f = *state;
	struct persona_trusted_key keys[MANIFEST_MAX_KEYS];

	damage(f, key_64_bytes);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust/key@0: public-key is 64 bytes, not 65");
	damage(f, key_compressed);
	assert_bad_trust(f, MANIFEST_MAX_KEYS,
			 "/trust/key@0: public-key starts with 0x02, not 0x04 (an uncompressed "
			 "P-256 point)");
	damage(f, roles_zero);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust/key@0: roles = 0 allows no role");
	damage(f, roles_unknown_bit);
	assert_bad_trust(f, MANIFEST_MAX_KEYS,
			 "/trust/key@0: roles = 0x9 has bits for unknown roles (known: 0x7)");
	damage(f, roles_u64);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust/key@0: roles is 8 bytes, not one cell");
	damage(f, drop_roles);
	assert_bad_trust(f, MANIFEST_MAX_KEYS,
			 "/trust/key@0: required property 'roles' is missing");
	damage(f, drop_public_key);
	assert_bad_trust(f, MANIFEST_MAX_KEYS,
			 "/trust/key@0: required property 'public-key' is missing");
	damage(f, label_unterminated);
	assert_bad_trust(f, MANIFEST_MAX_KEYS,
			 "/trust/key@0: label is not a string of at most 255 bytes");
	damage(f, key_colour);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust/key@0: unknown property 'colour'");
	damage(f, trust_property);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust: unknown property 'version'");
	damage(f, trust_other_node);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust/cert@0: not a key@N node");
	damage(f, same_key_twice);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust/key@1: same public key as /trust/key@0");

	/* At most max keys, and never more than MANIFEST_MAX_KEYS. */
	damage(f, two_keys);
	assert_int_equal(manifest_trust(f->image, keys, 2, f->err, sizeof(f->err)), 2);
	assert_int_equal(keys[1].roles, 1);
	assert_string_equal(keys[1].label, "");
	assert_bad_trust(f, 1, "/trust: more keys than the 1 accepted");
	damage(f, nine_keys);
	assert_bad_trust(f, MANIFEST_MAX_KEYS, "/trust: more keys than the 8 accepted");
}

/* A boot image without /trust trusts no key; that is not an error. */
static void test_no_trust_list(void **state)
{
	struct fixture *f = *state;
	struct persona_trusted_key keys[1];

	assert_int_equal(manifest_check(f->image, f->size, f->err, sizeof(f->err)), 0);
	assert_int_equal(manifest_trust(f->image, keys, 1, f->err, sizeof(f->err)), 0);
}

/* --trust KEY.pem=ROLE[,ROLE...]: syntax, roles, the key file, the set of keys. */
static void test_trust_options(void **state)
{
	struct fixture *f = *state;
	struct trust_key key, set[MANIFEST_MAX_KEYS + 1];
	struct diag d = {0};
	char arg[256], path[128];

	static const char *const malformed[] = {"key.pem", "=system", "key.pem="};
	for (size_t i = 0; i < sizeof(malformed) / sizeof(malformed[0]); i++) {
		char want[128];

		assert_int_equal(trust_key_parse(malformed[i], &key, &d), -1);
		snprintf(want, sizeof(want), "--trust %s: expected KEY.pem=ROLE[,ROLE...]",
			 malformed[i]);
		assert_one_message(&d, want);
		trust_key_free(&key);
	}
	assert_int_equal(trust_key_parse("k.pem=system,radio", &key, &d), -1);
	assert_one_message(
	    &d, "--trust k.pem=system,radio: 'radio' is not a role (system, persona, appliance)");
	trust_key_free(&key);
	assert_int_equal(trust_key_parse("k.pem=system,,persona", &key, &d), -1);
	assert_one_message(
	    &d, "--trust k.pem=system,,persona: '' is not a role (system, persona, appliance)");
	trust_key_free(&key);
	assert_int_equal(trust_key_parse("keys/=system", &key, &d), -1);
	assert_one_message(&d, "--trust keys/=system: 'keys/' is a directory, not a key file");
	trust_key_free(&key);

	/* The last '=' splits: a file name may hold one. */
	assert_int_equal(trust_key_parse("dir/a=b.pem=system,appliance", &key, &d), 0);
	assert_string_equal(key.path, "dir/a=b.pem");
	assert_string_equal(key.label, "a=b.pem");
	assert_int_equal(key.roles, PERSONA_ROLE_BIT(PERSONA_ROLE_SYSTEM) |
					PERSONA_ROLE_BIT(PERSONA_ROLE_APPLIANCE));
	assert_int_equal(trust_key_load(&key, &d), -1);
	assert_one_message(&d, "dir/a=b.pem: No such file or directory");
	trust_key_free(&key);

	/* A file that is not a key: the package. */
	snprintf(arg, sizeof(arg), "%s/mail.pkg=system", f->dir);
	assert_int_equal(trust_key_parse(arg, &key, &d), 0);
	assert_int_equal(trust_key_load(&key, &d), -1);
	snprintf(path, sizeof(path), "%s/mail.pkg: not a PEM public (or private) key: ", f->dir);
	assert_one_message_has(&d, path);
	trust_key_free(&key);

	/* The private key holds the same public key as key.pub.pem (f->keys[0]). */
	snprintf(arg, sizeof(arg), "%s/key.pem=system", f->dir);
	assert_int_equal(trust_key_parse(arg, &key, &d), 0);
	assert_int_equal(trust_key_load(&key, &d), 0);
	assert_memory_equal(key.pubkey, f->keys[0].pubkey, PERSONA_PUBKEY_SIZE);
	assert_int_equal(trust_key_check_set(&key, f->keys, 1, &d), -1);
	snprintf(arg, sizeof(arg),
		 "%s/key.pem: the same public key as %s/key.pub.pem (give its roles once: "
		 "KEY.pem=ROLE,ROLE)",
		 f->dir, f->dir);
	assert_one_message(&d, arg);

	/* A ninth key does not fit. */
	memset(set, 0, sizeof(set));
	for (int i = 0; i < MANIFEST_MAX_KEYS; i++)
		set[i].pubkey[1] = (uint8_t)(i + 1);
	assert_int_equal(trust_key_check_set(&set[0], set + 1, MANIFEST_MAX_KEYS - 1, &d), 0);
	assert_int_equal(trust_key_check_set(&key, set, MANIFEST_MAX_KEYS, &d), -1);
	snprintf(arg, sizeof(arg),
		 "%s/key.pem: a boot image trusts at most 8 keys; this would be key 9", f->dir);
	assert_one_message(&d, arg);
	trust_key_free(&key);
}

/* --min-rollback NAME=N: syntax, once per name, and only for package VMs that exist. */
static void test_min_rollback_options(void **state)
{
	struct fixture *f = *state;
	struct trust_floor floors[3];
	struct diag d = {0};
	char want[256];

	assert_int_equal(trust_floor_parse("mail", NULL, 0, &floors[0], &d), -1);
	assert_one_message(
	    &d, "--min-rollback mail: expected NAME=N, NAME a VM name of 1..15 characters");
	assert_int_equal(trust_floor_parse("sixteen-chars-xx=1", NULL, 0, &floors[0], &d), -1);
	assert_one_message(&d, "--min-rollback sixteen-chars-xx=1: expected NAME=N, NAME a VM "
			       "name of 1..15 characters");
	assert_int_equal(trust_floor_parse("mail=-1", NULL, 0, &floors[0], &d), -1);
	assert_one_message(&d, "--min-rollback mail=-1: '-1' is not a decimal number below 2^64");
	assert_int_equal(trust_floor_parse("mail=18446744073709551616", NULL, 0, &floors[0], &d),
			 -1);
	assert_one_message(&d, "--min-rollback mail=18446744073709551616: "
			       "'18446744073709551616' is not a decimal number below 2^64");
	assert_int_equal(trust_floor_parse("mail=0x10", NULL, 0, &floors[0], &d), -1);
	assert_one_message(&d,
			   "--min-rollback mail=0x10: '0x10' is not a decimal number below 2^64");

	assert_int_equal(trust_floor_parse("mail=18446744073709551615", NULL, 0, &floors[0], &d),
			 0);
	assert_string_equal(floors[0].name, "mail");
	assert_true(floors[0].min_rollback == UINT64_MAX);
	assert_int_equal(trust_floor_parse("mail=2", floors, 1, &floors[1], &d), -1);
	assert_one_message(
	    &d, "--min-rollback mail=2: VM 'mail' already has a floor (18446744073709551615)");

	/* Applied: the package gets it; a config VM or a missing name is an error. */
	assert_int_equal(trust_floor_parse("system=1", floors, 1, &floors[1], &d), 0);
	assert_int_equal(trust_floor_parse("mial=1", floors, 2, &floors[2], &d), 0);
	assert_int_equal(trust_floors_apply(floors, 3, f->vms, f->nvms, &d), -1);
	assert_int_equal(d.count, 2);
	snprintf(want, sizeof(want),
		 "--min-rollback system=1: 'system' comes from the config %s, not a package; "
		 "only packages have a rollback index",
		 f->vms[1].source);
	assert_string_equal(d.msgs[0], want);
	assert_string_equal(d.msgs[1], "--min-rollback mial=1: no package VM is named 'mial'");
	diag_clear(&d);
	assert_true(f->vms[0].min_rollback == UINT64_MAX);
}

/* Which files are packages, and what loading one checks. */
static void test_load_package(void **state)
{
	struct fixture *f = *state;
	struct vm_spec vm;
	struct diag d = {0};
	char path[128], want[256];
	size_t size;
	unsigned char *pkg;

	/* By name, even before the file exists; else by its first 8 bytes. */
	path_in(f, "none.pkg", path, sizeof(path));
	assert_true(pack_is_package(path));
	assert_int_equal(pack_load_package(path, 0, &vm, &d), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	assert_one_message(&d, want);
	config_free(&vm);
	path_in(f, "system.cfg", path, sizeof(path));
	assert_false(pack_is_package(path));
	path_in(f, "mail.pkg", path, sizeof(path));
	pkg = read_file(path, &size);
	write_file(f->dir, "mail.bin", pkg, size);
	path_in(f, "mail.bin", path, sizeof(path));
	assert_true(pack_is_package(path));
	assert_int_equal(pack_load_package(path, 0, &vm, &d), 0);
	assert_string_equal(vm.name, "mail");
	assert_int_equal(vm.package_size, size);
	config_free(&vm);

	/* Cut short: refused, naming the file and the problem... */
	write_file(f->dir, "short.pkg", pkg, size - 1);
	path_in(f, "short.pkg", path, sizeof(path));
	assert_int_equal(pack_load_package(path, 0, &vm, &d), -1);
	snprintf(want, sizeof(want),
		 "%s: not a usable persona package: truncated: %zu bytes, the header says the "
		 "package has %zu [truncated]",
		 path, size - 1, size);
	assert_one_message(&d, want);
	config_free(&vm);
	/* ...but packed as it is, nameless, for tests of the hypervisor's own checks. */
	assert_int_equal(pack_load_package(path, CONFIG_NO_RANGE_CHECK, &vm, &d), 0);
	assert_int_equal(d.count, 0);
	assert_string_equal(vm.name, "");
	assert_int_equal(vm.package_size, size - 1);
	/* A nameless package clashes with no other VM. */
	assert_int_equal(config_check_set(&vm, f->vms, f->nvms, &d), 0);
	config_free(&vm);

	write_file(f->dir, "empty.pkg", "", 0);
	path_in(f, "empty.pkg", path, sizeof(path));
	assert_int_equal(pack_load_package(path, CONFIG_NO_RANGE_CHECK, &vm, &d), -1);
	snprintf(want, sizeof(want), "%s: empty file, not a persona package", path);
	assert_one_message(&d, want);
	config_free(&vm);

	/* Its name is checked against the other VMs' as a config's is. */
	path_in(f, "mail.bin", path, sizeof(path));
	assert_int_equal(pack_load_package(path, 0, &vm, &d), 0);
	assert_int_equal(config_check_set(&vm, f->vms, f->nvms, &d), -1);
	snprintf(want, sizeof(want), "%s: package name 'mail' is already the name of the VM in %s",
		 path, f->vms[0].source);
	assert_one_message(&d, want);
	config_free(&vm);
	free(pkg);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_wrong_compatible, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_version, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_libfdt_traps, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_header, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_property, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_image_past_end, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_image_ranges, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_name, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_numbers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_kernel, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_cmdline, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_not_a_vm_node, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unchecked_pack, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_config_node_kinds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_trust_list, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_package_round_trip, setup_pkg, teardown),
	    cmocka_unit_test_setup_teardown(test_package_stored_once, setup_pkg, teardown),
	    cmocka_unit_test_setup_teardown(test_package_bad_ranges, setup_pkg, teardown),
	    cmocka_unit_test_setup_teardown(test_package_bad_properties, setup_pkg, teardown),
	    cmocka_unit_test_setup_teardown(test_trust_list_damage, setup_pkg, teardown),
	    cmocka_unit_test_setup_teardown(test_trust_options, setup_pkg, teardown),
	    cmocka_unit_test_setup_teardown(test_min_rollback_options, setup_pkg, teardown),
	    cmocka_unit_test_setup_teardown(test_load_package, setup_pkg, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
