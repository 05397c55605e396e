/*
 * Unit tests for the config file parser (tools/facet/config.c): valid files,
 * and each kind of mistake, which must be refused with a message naming the
 * file and the line or key.
 *
 * Each test works in a fresh temporary directory holding the kernel and
 * initrd files its configs name.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi/board.h"
#include "tools/facet/config.h"

#define MIB (1UL << 20)

struct fixture {
	char dir[64];
	char cfg[128]; /* dir/t.cfg: where load_text writes */
	struct vm_spec vm;
	struct diag d;
};

static void put_le64(unsigned char *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* Writes len bytes of content (repeating fill if content is NULL) to dir/name. */
static void write_file(const char *dir, const char *name, const void *content, size_t len)
{
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	assert_non_null(f);
	if (content) {
		assert_int_equal(fwrite(content, 1, len, f), len);
	} else {
		for (size_t i = 0; i < len; i++)
			fputc('x', f);
	}
	assert_int_equal(fclose(f), 0);
}

/* A file of size bytes without writing them (sparse): for sizes in MiB. */
static void sized_file(const char *dir, const char *name, uint64_t size)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)size), 0);
	close(fd);
}

/* An arm64 Image (arm64 booting.rst header) with the given fields, 8 KiB long. */
static void arm64_image(const char *dir, const char *name, uint64_t text_offset,
			uint64_t image_size, uint64_t flags)
{
	unsigned char img[8192] = {0};

	put_le64(img + 8, text_offset);
	put_le64(img + 16, image_size);
	put_le64(img + 24, flags);
	memcpy(img + 56, "ARM\x64", 4);
	write_file(dir, name, img, sizeof(img));
}

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof(*f));

	assert_non_null(f);
	strcpy(f->dir, "/tmp/facet-test-config.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->cfg, sizeof(f->cfg), "%s/t.cfg", f->dir);
	arm64_image(f->dir, "Image", 0, 4 * MIB, 0);
	write_file(f->dir, "initrd", NULL, 3000);
	write_file(f->dir, "raw.bin", NULL, 5000);
	write_file(f->dir, "empty", "", 0);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	char cmd[128];

	config_free(&f->vm);
	diag_clear(&f->d);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

/* Writes text as dir/t.cfg and loads it. */
static int load_text(struct fixture *f, const char *text, unsigned flags)
{
	write_file(f->dir, "t.cfg", text, strlen(text));
	return config_load(f->cfg, flags, &f->vm, &f->d);
}

/* Parses text without touching the file system, as if read from "t.cfg". */
static int parse_text(struct fixture *f, const char *text)
{
	return config_parse("t.cfg", text, strlen(text), 0, &f->vm, &f->d);
}

/* Some message must equal want exactly; on failure, show them all. */
static void assert_message(const struct diag *d, const char *want)
{
	for (size_t i = 0; i < d->count; i++)
		if (strcmp(d->msgs[i], want) == 0)
			return;
	for (size_t i = 0; i < d->count; i++)
		print_error("  got: %s\n", d->msgs[i]);
	fail_msg("no message '%s' among %zu", want, d->count);
}

/* Some message must contain want. */
static void assert_message_has(const struct diag *d, const char *want)
{
	for (size_t i = 0; i < d->count; i++)
		if (strstr(d->msgs[i], want))
			return;
	for (size_t i = 0; i < d->count; i++)
		print_error("  got: %s\n", d->msgs[i]);
	fail_msg("no message containing '%s' among %zu", want, d->count);
}

/* The config must be refused with exactly one message, want. */
static void assert_refused(struct fixture *f, int rc, const char *want)
{
	assert_int_equal(rc, -1);
	assert_message(&f->d, want);
	assert_int_equal(f->d.count, 1);
}

static const char good_config[] = "# a complete config\n"
				  "name = \"work\"\n"
				  "kernel = \"Image\"\n"
				  "initrd = \"initrd\"\n"
				  "cmdline = \"console=ttyAMA0 say \\\"hi\\\" c:\\\\ # kept\"\n"
				  "memory = 256   # MiB\n"
				  "vcpus = 2\n";

static void test_valid_config(void **state)
{
	struct fixture *f = *state;
	char path[160];

	assert_int_equal(load_text(f, good_config, 0), 0);
	assert_int_equal(f->d.count, 0);
	assert_string_equal(f->vm.name, "work");
	assert_string_equal(f->vm.source, f->cfg);
	snprintf(path, sizeof(path), "%s/Image", f->dir);
	assert_string_equal(f->vm.kernel, path);
	snprintf(path, sizeof(path), "%s/initrd", f->dir);
	assert_string_equal(f->vm.initrd, path);
	assert_string_equal(f->vm.cmdline, "console=ttyAMA0 say \"hi\" c:\\ # kept");
	assert_int_equal(f->vm.memory_mib, 256);
	assert_int_equal(f->vm.vcpus, 2);
	assert_int_equal(f->vm.kernel_size, 8192);
	assert_int_equal(f->vm.initrd_size, 3000);
}

static void test_defaults_and_layout(void **state)
{
	struct fixture *f = *state;

	/* Tabs, CRLF, blank and comment lines, no spaces round '=', no final newline. */
	assert_int_equal(parse_text(f, "\r\n  # comment\r\n\tname=\"a-b_C9\"\r\n"
				       "kernel =\t\"/abs/Image\"\r\n\nmemory= 007"),
			 0);
	assert_int_equal(f->d.count, 0);
	assert_string_equal(f->vm.name, "a-b_C9");
	assert_string_equal(f->vm.kernel, "/abs/Image"); /* absolute: unchanged */
	assert_null(f->vm.initrd);
	assert_null(f->vm.cmdline);
	assert_int_equal(f->vm.memory_mib, 7);
	assert_int_equal(f->vm.vcpus, CONFIG_DEFAULT_VCPUS);
}

static void test_relative_paths(void **state)
{
	struct fixture *f = *state;
	char sub[128], cfg[160], want[160];
	static const char text[] = "name = \"r\"\nkernel = \"../raw.bin\"\nmemory = 4\n";

	snprintf(sub, sizeof(sub), "%s/sub", f->dir);
	assert_int_equal(mkdir(sub, 0755), 0);
	write_file(sub, "r.cfg", text, strlen(text));
	snprintf(cfg, sizeof(cfg), "%s/r.cfg", sub);
	assert_int_equal(config_load(cfg, 0, &f->vm, &f->d), 0);
	snprintf(want, sizeof(want), "%s/../raw.bin", sub);
	assert_string_equal(f->vm.kernel, want);

	/* A config given without a directory resolves against ".". */
	config_free(&f->vm);
	assert_int_equal(parse_text(f, "name=\"x\"\nkernel=\"k/Image\"\nmemory=4\n"), 0);
	assert_string_equal(f->vm.kernel, "k/Image");
}

static void test_unknown_key(void **state)
{
	struct fixture *f = *state;

	assert_refused(f, parse_text(f, "name=\"a\"\nkernel=\"k\"\nmemroy = 5\nmemory=1\n"),
		       "t.cfg:3: unknown key 'memroy' (did you mean 'memory'?)");
	diag_clear(&f->d);
	config_free(&f->vm);
	assert_refused(f, parse_text(f, "name=\"a\"\nkernel=\"k\"\nmemory=1\nhostname = \"x\"\n"),
		       "t.cfg:4: unknown key 'hostname'");
}

static void test_duplicate_key(void **state)
{
	struct fixture *f = *state;

	assert_refused(f, parse_text(f, "name=\"a\"\nkernel=\"k\"\nmemory=1\n\nmemory = 2\n"),
		       "t.cfg:5: duplicate key 'memory' (first set on line 3)");
	/* The first value stands. */
	assert_int_equal(f->vm.memory_mib, 1);
}

static void test_syntax_errors(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *line, *message;
	} cases[] = {
	    {"memory 5", "t.cfg:4: expected '=' after 'memory'"},
	    {"memory =", "t.cfg:4: 'memory' has no value"},
	    {"memory = # none", "t.cfg:4: 'memory' has no value"},
	    {"= 5", "t.cfg:4: expected 'key = value'"},
	    {"9lives = 5", "t.cfg:4: expected 'key = value'"},
	    {"cmdline = \"open", "t.cfg:4: string has no closing '\"'"},
	    {"cmdline = \"a\\nb\"",
	     "t.cfg:4: unknown escape '\\n' in a string (only \\\" and \\\\)"},
	    {"cmdline = \"a\" \"b\"", "t.cfg:4: unexpected text after the value of 'cmdline'"},
	    {"cmdline = unquoted",
	     "t.cfg:4: value must be a \"quoted string\" or a decimal number"},
	    {"vcpus = 0x2", "t.cfg:4: '0x2' is not a decimal number"},
	    {"vcpus = 2M", "t.cfg:4: '2M' is not a decimal number"},
	    {"vcpus = 1.5", "t.cfg:4: '1.5' is not a decimal number"},
	    {"vcpus = -", "t.cfg:4: value must be a \"quoted string\" or a decimal number"},
	    {"vcpus = \"2\"", "t.cfg:4: key 'vcpus' takes a decimal number"},
	    {"cmdline = 5", "t.cfg:4: key 'cmdline' takes a \"quoted string\""},
	};
	char text[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "name=\"a\"\nkernel=\"k\"\nmemory=1\n%s\n",
			 cases[i].line);
		assert_refused(f, parse_text(f, text), cases[i].message);
		diag_clear(&f->d);
		config_free(&f->vm);
	}
}

static void test_nul_byte(void **state)
{
	struct fixture *f = *state;
	static const char text[] = "name=\"a\"\nkernel=\"k\0\"\nmemory=1\n";

	assert_int_equal(config_parse("t.cfg", text, sizeof(text) - 1, 0, &f->vm, &f->d), -1);
	assert_message(&f->d, "t.cfg:2: NUL byte: this is not a text file");
}

static void test_every_error_reported(void **state)
{
	struct fixture *f = *state;

	/* Three independent mistakes: all three are reported, not just the first. */
	assert_int_equal(parse_text(f, "name=\"a\"\nkernel=\"k\"\nmemroy=1\nvcpus=9\nfoo\n"), -1);
	assert_int_equal(f->d.count, 4);
	assert_message_has(&f->d, "t.cfg:3: unknown key 'memroy'");
	assert_message(&f->d, "t.cfg: key 'vcpus': 9 is more than the 4 a VM may have");
	assert_message(&f->d, "t.cfg:5: expected '=' after 'foo'");
	assert_message(&f->d, "t.cfg: required key 'memory' is missing");
}

static void test_bad_numbers(void **state)
{
	struct fixture *f = *state;
	static const struct {
		const char *line, *message;
	} cases[] = {
	    {"memory = 0", "t.cfg: key 'memory': 0 MiB is less than the 1 MiB a VM needs"},
	    {"memory = -1", "t.cfg: key 'memory': -1 MiB is less than the 1 MiB a VM needs"},
	    {"memory = 4097",
	     "t.cfg: key 'memory': 4097 MiB is more than the 4096 MiB a VM may have"},
	    {"memory = 99999999999999999999999",
	     "t.cfg: key 'memory': 99999999999999999999999 MiB is more than the 4096 MiB a VM "
	     "may have"},
	    {"vcpus = 0", "t.cfg: key 'vcpus': 0 is less than the 1 a VM needs"},
	    {"vcpus = 5", "t.cfg: key 'vcpus': 5 is more than the 4 a VM may have"},
	};
	char text[256];

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "name=\"a\"\nkernel=\"k\"\n%s\n%s\n", cases[i].line,
			 strncmp(cases[i].line, "memory", 6) ? "memory = 1" : "");
		assert_refused(f, parse_text(f, text), cases[i].message);
		diag_clear(&f->d);
		config_free(&f->vm);
	}
}

static void test_no_range_check(void **state)
{
	struct fixture *f = *state;
	char want[256];

	/* Out-of-range numbers pass, for boot images that test the hypervisor's checks... */
	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\"Image\"\nmemory=5000\nvcpus=0\n",
				   CONFIG_NO_RANGE_CHECK),
			 0);
	assert_int_equal(f->vm.memory_mib, 5000);
	assert_int_equal(f->vm.vcpus, 0);
	config_free(&f->vm);

	/* ...but not ones a manifest cell cannot hold. */
	snprintf(want, sizeof(want),
		 "%s: key 'vcpus': 4294967296 is more than the 4294967295 a 32-bit manifest cell "
		 "can hold",
		 f->cfg);
	assert_refused(f,
		       load_text(f, "name=\"a\"\nkernel=\"Image\"\nmemory=1\nvcpus=4294967296\n",
				 CONFIG_NO_RANGE_CHECK),
		       want);
}

static void test_bad_names(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = {"", "sixteen-chars-xx", "a b", "caf\xc3\xa9", "x/y"};
	char text[256], want[128];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(text, sizeof(text), "name=\"%s\"\nkernel=\"k\"\nmemory=1\n", names[i]);
		snprintf(want, sizeof(want),
			 "t.cfg: key 'name': '%s' is not 1..15 characters of A-Z a-z 0-9 _ -",
			 names[i]);
		assert_refused(f, parse_text(f, text), want);
		diag_clear(&f->d);
		config_free(&f->vm);
	}
	/* Exactly 15 is fine. */
	assert_int_equal(parse_text(f, "name=\"fifteen-chars-x\"\nkernel=\"k\"\nmemory=1\n"), 0);
}

static void test_missing_keys(void **state)
{
	struct fixture *f = *state;

	assert_int_equal(parse_text(f, "# nothing\nvcpus = 1\n"), -1);
	assert_int_equal(f->d.count, 3);
	assert_message(&f->d, "t.cfg: required key 'name' is missing");
	assert_message(&f->d, "t.cfg: required key 'kernel' is missing");
	assert_message(&f->d, "t.cfg: required key 'memory' is missing");
}

static void test_bad_strings(void **state)
{
	struct fixture *f = *state;
	char text[1200];

	assert_refused(f, parse_text(f, "name=\"a\"\nkernel=\"\"\nmemory=1\n"),
		       "t.cfg: key 'kernel': the path is empty");
	diag_clear(&f->d);
	config_free(&f->vm);

	snprintf(text, sizeof(text), "name=\"a\"\nkernel=\"k\"\nmemory=1\ncmdline=\"%01024d\"\n",
		 0);
	assert_refused(f, parse_text(f, text),
		       "t.cfg: key 'cmdline': 1024 characters is more than the 1023 a command line "
		       "may have");
}

static void test_missing_files(void **state)
{
	struct fixture *f = *state;
	char want[512], missing[160];

	snprintf(missing, sizeof(missing), "%s/nothere.cfg", f->dir);
	assert_int_equal(config_load(missing, 0, &f->vm, &f->d), -1);
	snprintf(want, sizeof(want), "%s: No such file or directory", missing);
	assert_message(&f->d, want);
	diag_clear(&f->d);
	config_free(&f->vm);

	assert_int_equal(config_load(f->dir, 0, &f->vm, &f->d), -1);
	snprintf(want, sizeof(want), "%s: Is a directory", f->dir);
	assert_message(&f->d, want);
	diag_clear(&f->d);
	config_free(&f->vm);

	/* Both file problems are reported. */
	assert_int_equal(
	    load_text(f, "name=\"a\"\nkernel=\"vmlinux\"\ninitrd=\"empty\"\nmemory=16\n", 0), -1);
	assert_int_equal(f->d.count, 2);
	snprintf(want, sizeof(want), "%s: key 'kernel': %s/vmlinux: No such file or directory",
		 f->cfg, f->dir);
	assert_message(&f->d, want);
	snprintf(want, sizeof(want), "%s: key 'initrd': %s/empty: the file is empty", f->cfg,
		 f->dir);
	assert_message(&f->d, want);
	diag_clear(&f->d);
	config_free(&f->vm);

	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\".\"\nmemory=16\n", 0), -1);
	snprintf(want, sizeof(want), "%s: key 'kernel': %s/.: Is a directory", f->cfg, f->dir);
	assert_message(&f->d, want);
}

static void test_unbootable_kernels(void **state)
{
	struct fixture *f = *state;
	static const unsigned char gz[] = {0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3};
	char want[512];

	write_file(f->dir, "vmlinuz", gz, sizeof(gz));
	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\"vmlinuz\"\nmemory=16\n", 0), -1);
	snprintf(want, sizeof(want),
		 "%s: key 'kernel': %s/vmlinuz is gzip-compressed; facet boots an uncompressed "
		 "arm64 Image (gunzip it)",
		 f->cfg, f->dir);
	assert_message(&f->d, want);
	diag_clear(&f->d);
	config_free(&f->vm);

	arm64_image(f->dir, "Image.be", 0, MIB, 1);
	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\"Image.be\"\nmemory=16\n", 0), -1);
	assert_message_has(&f->d, "Image.be is a big-endian arm64 Image");
}

static void test_kernel_too_big(void **state)
{
	struct fixture *f = *state;
	char want[512];

	/* Image: text_offset 2 MiB + image_size 13 MiB + 2 MiB device tree = 17 MiB. */
	arm64_image(f->dir, "Image", 2 * MIB, 13 * MIB, 0);
	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\"Image\"\nmemory=17\n", 0), 0);
	config_free(&f->vm);
	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\"Image\"\nmemory=16\n", 0), -1);
	snprintf(want, sizeof(want),
		 "%s: key 'kernel': %s/Image is too big for 'memory' = 16 MiB: it needs 15 MiB "
		 "(arm64 Image: text_offset + image_size), 14 MiB is free below the 2 MiB kept "
		 "for the device tree",
		 f->cfg, f->dir);
	assert_refused(f, -1, want);
	diag_clear(&f->d);
	config_free(&f->vm);

	/* Raw binary: loaded at BOARD_RAW_LOAD_OFFSET. 1.5 MiB + 512 KiB + 2 MiB = 4 MiB. */
	sized_file(f->dir, "raw.bin", 3 * MIB / 2);
	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\"raw.bin\"\nmemory=4\n", 0), 0);
	config_free(&f->vm);
	sized_file(f->dir, "raw.bin", 3 * MIB / 2 + 1);
	assert_int_equal(load_text(f, "name=\"a\"\nkernel=\"raw.bin\"\nmemory=4\n", 0), -1);
	assert_message_has(&f->d, "raw.bin is too big for 'memory' = 4 MiB: it needs 2.1 MiB "
				  "(raw binary: its size + the 512 KiB load offset), 2 MiB is "
				  "free");
}

static void test_initrd_too_big(void **state)
{
	struct fixture *f = *state;
	char want[512];

	/* 4 MiB kernel + 10 MiB initrd + 2 MiB device tree = 16 MiB: just fits. */
	sized_file(f->dir, "initrd", 10 * MIB);
	assert_int_equal(
	    load_text(f, "name=\"a\"\nkernel=\"Image\"\ninitrd=\"initrd\"\nmemory=16\n", 0), 0);
	config_free(&f->vm);

	/* One byte more needs one page more. */
	sized_file(f->dir, "initrd", 10 * MIB + 1);
	assert_int_equal(
	    load_text(f, "name=\"a\"\nkernel=\"Image\"\ninitrd=\"initrd\"\nmemory=16\n", 0), -1);
	snprintf(want, sizeof(want),
		 "%s: key 'initrd': %s/initrd is too big for 'memory' = 16 MiB: it is 10.1 MiB, "
		 "10 MiB is free between the kernel (4 MiB) and the 2 MiB kept for the device "
		 "tree",
		 f->cfg, f->dir);
	assert_refused(f, -1, want);
}

static void test_duplicate_names(void **state)
{
	struct fixture *f = *state;
	struct vm_spec set[MANIFEST_MAX_VMS] = {0};
	struct vm_spec other = {0};
	static const char text[] = "name=\"work\"\nkernel=\"k\"\nmemory=1\n";

	assert_int_equal(parse_text(f, text), 0);
	assert_int_equal(config_parse("b.cfg", text, strlen(text), 0, &other, &f->d), 0);
	assert_int_equal(config_check_set(&f->vm, NULL, 0, &f->d), 0);
	assert_refused(f, config_check_set(&other, &f->vm, 1, &f->d),
		       "b.cfg: key 'name': 'work' is already the name of the VM in t.cfg");
	diag_clear(&f->d);

	/* Names differing only in case are different names. */
	strcpy(other.name, "Work");
	assert_int_equal(config_check_set(&other, &f->vm, 1, &f->d), 0);

	/* A ninth VM does not fit in a boot image. */
	for (int i = 0; i < MANIFEST_MAX_VMS; i++)
		snprintf(set[i].name, sizeof(set[i].name), "vm%d", i);
	assert_refused(f, config_check_set(&other, set, MANIFEST_MAX_VMS, &f->d),
		       "b.cfg: a boot image holds at most 8 VMs; this would be VM 9");
	config_free(&other);
}

/*
 * A persona package (tools/facet/pack.c loads it) goes into the same set:
 * its name, as its manifest says, must differ from the others', and the
 * message says it is the package's. A package packed unread has no name.
 */
static void test_package_names(void **state)
{
	struct fixture *f = *state;
	struct vm_spec pkg = {0}, unread = {0};
	static const char text[] = "name=\"work\"\nkernel=\"k\"\nmemory=1\n";

	assert_int_equal(parse_text(f, text), 0);
	pkg.source = strdup("work.pkg");
	pkg.package = strdup("work.pkg");
	assert_non_null(pkg.package);
	strcpy(pkg.name, "work");
	assert_refused(f, config_check_set(&pkg, &f->vm, 1, &f->d),
		       "work.pkg: package name 'work' is already the name of the VM in t.cfg");
	diag_clear(&f->d);

	strcpy(pkg.name, "work2");
	assert_int_equal(config_check_set(&pkg, &f->vm, 1, &f->d), 0);
	unread.source = strdup("bad.pkg");
	unread.package = strdup("bad.pkg");
	assert_int_equal(config_check_set(&unread, &pkg, 1, &f->d), 0);
	/* Two nameless ones do not clash either: the hypervisor refuses each itself. */
	assert_int_equal(config_check_set(&unread, &unread, 1, &f->d), 0);
	assert_int_equal(f->d.count, 0);
	config_free(&pkg);
	config_free(&unread);
	/* config_free leaves nothing behind: a second call is harmless. */
	config_free(&pkg);
	assert_null(pkg.package);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_valid_config, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_defaults_and_layout, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_relative_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unknown_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_syntax_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_every_error_reported, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_numbers, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_range_check, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_bad_strings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_missing_files, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_unbootable_kernels, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_kernel_too_big, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_initrd_too_big, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_duplicate_names, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_package_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
