/*
 * Unit tests for the boot-image manifest: what the pack code
 * (tools/facet/pack.c) writes, the reader the hypervisor shares
 * (core/manifest.c) must read back exactly; and a damaged manifest must be
 * refused with a message that names the VM and the problem.
 *
 * The damaged manifests start from a good boot image and change one thing
 * with libfdt's read-write API.
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
#include "tools/facet/config.h"
#include "tools/facet/pack.h"

struct fixture {
	char dir[64];
	struct vm_spec vms[3];
	size_t nvms;
	unsigned char *image; /* the packed boot image */
	size_t size;
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
	assert_int_equal(pack_plan(f->vms, f->nvms, &plan, &d), 0);
	assert_int_equal(pack_write(&plan, out, &d), 0);
	assert_int_equal(d.count, 0);
	pack_plan_free(&plan);
	free(f->image);
	f->image = read_file(out, &f->size);
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
	free(f->image);
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

/* Applies change to a copy of the manifest and puts it back in front of the images. */
static void damage(struct fixture *f, void (*change)(void *fdt, int vm0))
{
	size_t room = 4096; /* up to the first image, as the fixture is packed */
	void *fdt = malloc(room);

	assert_non_null(fdt);
	assert_int_equal(fdt_open_into(f->image, fdt, (int)room), 0);
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
	assert_non_null(strstr(f->err, "bytes but the boot image has only 100"));
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
	assert_non_null(strstr(f->err, "version is older than 17"));
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
	assert_bad_vm(*state, "vm 'work': required property 'kernel' is missing");
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
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
