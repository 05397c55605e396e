/*
 * Writing the boot image: see pack.h and include/abi/manifest.h.
 *
 * The manifest is built with libfdt's sequential-write API. Its size does
 * not depend on the image offsets it records (each is a fixed 4 cells), so
 * it is built once to learn its size, the images are placed after it, and
 * it is built again with the real offsets.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "core/persona.h"
#include "pack.h"

struct file_id {
	dev_t dev;
	ino_t ino;
};

/* Which pack_file each VM's kernel, initrd or package is (-1: none). */
struct vm_files {
	int kernel, initrd, package;
};

static uint64_t align_up(uint64_t v, uint64_t a)
{
	return (v + a - 1) & ~(a - 1);
}

/* Adds path to the plan unless the same file is there already; returns its index or -1. */
static int add_file(struct pack_plan *plan, struct file_id *ids, const char *source,
		    const char *path, struct diag *d)
{
	struct stat st;

	if (stat(path, &st) < 0) {
		if (strcmp(source, path) == 0) /* a package: the file is its own source */
			diag_add(d, "%s: %s", path, strerror(errno));
		else
			diag_add(d, "%s: %s: %s", source, path, strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < plan->nfiles; i++)
		if (ids[i].dev == st.st_dev && ids[i].ino == st.st_ino)
			return (int)i;
	if (plan->nfiles == PACK_MAX_FILES) {
		diag_add(d, "%s: %s: more than %d image files", source, path, PACK_MAX_FILES);
		return -1;
	}
	ids[plan->nfiles] = (struct file_id){st.st_dev, st.st_ino};
	plan->files[plan->nfiles] = (struct pack_file){.path = path, .size = (uint64_t)st.st_size};
	return (int)plan->nfiles++;
}

/* <offset-hi offset-lo size-hi size-lo>, big-endian cells as every FDT value. */
static int property_image(void *fdt, const char *name, const struct pack_file *f)
{
	fdt32_t cells[4] = {
	    cpu_to_fdt32((uint32_t)(f->offset >> 32)),
	    cpu_to_fdt32((uint32_t)f->offset),
	    cpu_to_fdt32((uint32_t)(f->size >> 32)),
	    cpu_to_fdt32((uint32_t)f->size),
	};

	return fdt_property(fdt, name, cells, sizeof(cells));
}

static char *xstrdup(const char *s)
{
	char *p = strdup(s);

	if (!p) {
		fputs("facet: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

bool pack_is_package(const char *path)
{
	size_t len = strlen(path);
	char magic[PERSONA_MAGIC_SIZE];
	FILE *f;
	bool is;

	if (len > 4 && strcmp(path + len - 4, ".pkg") == 0)
		return true;
	f = fopen(path, "rb");
	if (!f)
		return false; /* the config reader says why it cannot be read */
	is = fread(magic, 1, sizeof(magic), f) == sizeof(magic) &&
	     memcmp(magic, PERSONA_MAGIC, PERSONA_MAGIC_SIZE) == 0;
	fclose(f);
	return is;
}

int pack_load_package(const char *path, unsigned flags, struct vm_spec *vm, struct diag *d)
{
	struct persona p;
	struct persona_error perr;
	struct stat st;
	void *map;
	int fd, rc = -1;

	memset(vm, 0, sizeof(*vm));
	vm->source = xstrdup(path);
	vm->package = xstrdup(path);
	fd = open(path, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		diag_add(d, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(d, "%s: not a regular file", path);
		goto out;
	}
	if (st.st_size == 0) {
		diag_add(d, "%s: empty file, not a persona package", path);
		goto out;
	}
	vm->package_size = (uint64_t)st.st_size;
	/* Page-aligned, as persona_parse needs (8 bytes at least). */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (map == MAP_FAILED) {
		diag_add(d, "%s: %s", path, strerror(errno));
		goto out;
	}
	if (persona_parse(map, (size_t)st.st_size, &p, &perr) == PERSONA_OK) {
		memcpy(vm->name, p.manifest.name, sizeof(vm->name));
		vm->memory_mib = p.manifest.memory_mib;
		vm->vcpus = p.manifest.vcpus;
		rc = 0;
	} else if (flags & CONFIG_NO_RANGE_CHECK) {
		rc = 0;
	} else {
		diag_add(d, "%s: not a usable persona package: %s [%s]", path, perr.msg,
			 persona_err_name(perr.code));
	}
	munmap(map, (size_t)st.st_size);
out:
	if (fd >= 0)
		close(fd);
	return rc;
}

/* Stop at the first libfdt error: the caller only needs to know which one. */
#define TRY(expr)                                                                                  \
	do {                                                                                       \
		int rc_ = (expr);                                                                  \
		if (rc_ < 0)                                                                       \
			return rc_;                                                                \
	} while (0)

/* What the boot image holds besides the files: the manifest's inputs. */
struct manifest_input {
	const struct vm_spec *vms;
	size_t n;
	const struct vm_files *vf;
	const struct trust_key *keys;
	size_t nkeys;
};

/* /trust, if any key is given: key@N { public-key, roles, label }. */
static int build_trust(void *buf, const struct manifest_input *in)
{
	if (in->nkeys == 0)
		return 0;
	TRY(fdt_begin_node(buf, "trust"));
	for (size_t i = 0; i < in->nkeys; i++) {
		char node[32];

		snprintf(node, sizeof(node), "key@%zu", i);
		TRY(fdt_begin_node(buf, node));
		TRY(fdt_property(buf, "public-key", in->keys[i].pubkey, PERSONA_PUBKEY_SIZE));
		TRY(fdt_property_u32(buf, "roles", in->keys[i].roles));
		TRY(fdt_property_string(buf, "label", in->keys[i].label));
		TRY(fdt_end_node(buf));
	}
	return fdt_end_node(buf);
}

/* A package VM: the package, the rollback floor (if above the default 0), the source. */
static int build_package_vm(void *buf, const struct vm_spec *vm, const struct pack_file *pkg)
{
	TRY(property_image(buf, "package", pkg));
	if (vm->min_rollback)
		TRY(fdt_property_u64(buf, "min-rollback", vm->min_rollback));
	return fdt_property_string(buf, "source", vm->source);
}

static int build_manifest(void *buf, int bufsize, const struct manifest_input *in,
			  const struct pack_plan *plan)
{
	const struct vm_spec *vms = in->vms;
	const struct vm_files *vf = in->vf;

	TRY(fdt_create(buf, bufsize));
	TRY(fdt_finish_reservemap(buf));
	TRY(fdt_begin_node(buf, ""));
	TRY(fdt_property_string(buf, "compatible", MANIFEST_COMPATIBLE));
	TRY(fdt_property_u32(buf, "facet,format-version", MANIFEST_FORMAT_VERSION));
	TRY(build_trust(buf, in));
	TRY(fdt_begin_node(buf, "vms"));
	for (size_t i = 0; i < in->n; i++) {
		char node[32];

		snprintf(node, sizeof(node), "vm@%zu", i);
		TRY(fdt_begin_node(buf, node));
		if (vms[i].package) {
			TRY(build_package_vm(buf, &vms[i], &plan->files[vf[i].package]));
			TRY(fdt_end_node(buf));
			continue;
		}
		TRY(fdt_property_string(buf, "name", vms[i].name));
		TRY(fdt_property_u32(buf, "memory-mib", vms[i].memory_mib));
		TRY(fdt_property_u32(buf, "vcpus", vms[i].vcpus));
		TRY(property_image(buf, "kernel", &plan->files[vf[i].kernel]));
		if (vf[i].initrd >= 0)
			TRY(property_image(buf, "initrd", &plan->files[vf[i].initrd]));
		if (vms[i].cmdline)
			TRY(fdt_property_string(buf, "cmdline", vms[i].cmdline));
		TRY(fdt_property_string(buf, "source", vms[i].source));
		TRY(fdt_end_node(buf));
	}
	TRY(fdt_end_node(buf));
	TRY(fdt_end_node(buf));
	return fdt_finish(buf);
}

/* Builds into plan->manifest, growing the buffer until the manifest fits. */
static int build_manifest_alloc(struct pack_plan *plan, const struct manifest_input *in)
{
	int size = 4096, rc;

	for (;;) {
		free(plan->manifest);
		plan->manifest = malloc((size_t)size);
		if (!plan->manifest)
			return -FDT_ERR_NOSPACE;
		rc = build_manifest(plan->manifest, size, in, plan);
		if (rc != -FDT_ERR_NOSPACE || size > (1 << 24))
			break;
		size *= 2;
	}
	if (rc < 0)
		return rc;
	plan->manifest_size = fdt_totalsize(plan->manifest);
	return 0;
}

int pack_plan(const struct vm_spec *vms, size_t n, const struct trust_key *keys, size_t nkeys,
	      struct pack_plan *plan, struct diag *d)
{
	struct file_id ids[PACK_MAX_FILES];
	struct vm_files vf[MANIFEST_MAX_VMS];
	struct manifest_input in = {vms, n, vf, keys, nkeys};
	uint64_t offset;
	size_t first_size;
	int rc;

	memset(plan, 0, sizeof(*plan));
	if (n > MANIFEST_MAX_VMS) {
		diag_add(d, "a boot image holds at most %d VMs, not %zu", MANIFEST_MAX_VMS, n);
		return -1;
	}
	if (nkeys > MANIFEST_MAX_KEYS) {
		diag_add(d, "a boot image trusts at most %d keys, not %zu", MANIFEST_MAX_KEYS,
			 nkeys);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {
		vf[i] = (struct vm_files){-1, -1, -1};
		if (vms[i].package) {
			vf[i].package = add_file(plan, ids, vms[i].source, vms[i].package, d);
			if (vf[i].package < 0)
				return -1;
			continue;
		}
		vf[i].kernel = add_file(plan, ids, vms[i].source, vms[i].kernel, d);
		if (vf[i].kernel < 0)
			return -1;
		if (vms[i].initrd) {
			vf[i].initrd = add_file(plan, ids, vms[i].source, vms[i].initrd, d);
			if (vf[i].initrd < 0)
				return -1;
		}
	}

	rc = build_manifest_alloc(plan, &in);
	if (rc < 0)
		goto fdt_error;
	first_size = plan->manifest_size;

	offset = align_up(plan->manifest_size, MANIFEST_IMAGE_ALIGN);
	for (size_t i = 0; i < plan->nfiles; i++) {
		plan->files[i].offset = offset;
		offset = align_up(offset + plan->files[i].size, MANIFEST_IMAGE_ALIGN);
	}
	/* The last image ends the boot image: no padding after it. */
	plan->total_size =
	    plan->nfiles ? plan->files[plan->nfiles - 1].offset + plan->files[plan->nfiles - 1].size
			 : plan->manifest_size;

	rc = build_manifest_alloc(plan, &in);
	if (rc < 0)
		goto fdt_error;
	if (plan->manifest_size != first_size) {
		diag_add(d, "manifest changed size between passes (%zu, then %zu bytes)",
			 first_size, plan->manifest_size);
		return -1;
	}
	return 0;

fdt_error:
	diag_add(d, "cannot build the manifest: %s", fdt_strerror(rc));
	return -1;
}

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;

	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Zero bytes from *pos up to offset. */
static int pad_to(int fd, uint64_t *pos, uint64_t offset)
{
	static const char zeros[4096];

	while (*pos < offset) {
		size_t n = offset - *pos < sizeof(zeros) ? (size_t)(offset - *pos) : sizeof(zeros);

		if (write_all(fd, zeros, n) < 0)
			return -1;
		*pos += n;
	}
	return 0;
}

/* Copies exactly f->size bytes of f->path: a file that changed since the plan is an error. */
static int copy_file(int out, const struct pack_file *f, const char *tmp, struct diag *d)
{
	char buf[65536];
	uint64_t left = f->size;
	int in = open(f->path, O_RDONLY);

	if (in < 0) {
		diag_add(d, "%s: %s", f->path, strerror(errno));
		return -1;
	}
	while (left > 0) {
		ssize_t n = read(in, buf, left < sizeof(buf) ? (size_t)left : sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			diag_add(d, "%s: %s", f->path,
				 n < 0 ? strerror(errno) : "file shrank while being packed");
			close(in);
			return -1;
		}
		if (write_all(out, buf, (size_t)n) < 0) {
			diag_add(d, "%s: %s", tmp, strerror(errno));
			close(in);
			return -1;
		}
		left -= (uint64_t)n;
	}
	close(in);
	return 0;
}

int pack_write(const struct pack_plan *plan, const char *out, struct diag *d)
{
	size_t tmplen = strlen(out) + 16;
	char *tmp = malloc(tmplen);
	uint64_t pos = 0;
	int fd;

	if (!tmp) {
		diag_add(d, "%s: out of memory", out);
		return -1;
	}
	snprintf(tmp, tmplen, "%s.tmp", out);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0) {
		diag_add(d, "%s: %s", tmp, strerror(errno));
		free(tmp);
		return -1;
	}
	if (write_all(fd, plan->manifest, plan->manifest_size) < 0)
		goto write_error;
	pos = plan->manifest_size;
	for (size_t i = 0; i < plan->nfiles; i++) {
		if (pad_to(fd, &pos, plan->files[i].offset) < 0)
			goto write_error;
		if (copy_file(fd, &plan->files[i], tmp, d) < 0)
			goto fail;
		pos += plan->files[i].size;
	}
	if (close(fd) < 0) {
		fd = -1;
		goto write_error;
	}
	fd = -1;
	if (rename(tmp, out) < 0) {
		diag_add(d, "%s: %s", out, strerror(errno));
		goto fail;
	}
	free(tmp);
	return 0;

write_error:
	diag_add(d, "%s: %s", tmp, strerror(errno));
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return -1;
}

void pack_plan_free(struct pack_plan *plan)
{
	free(plan->manifest);
	memset(plan, 0, sizeof(*plan));
}
