/*
 * VM config files: see config.h and docs/config.md for the syntax.
 *
 * Messages follow two shapes. Problems with a line's syntax or its key name
 * point at the line, "FILE:LINE: ...". Problems with a value, or with what
 * is missing, name the key, "FILE: key 'KEY': ...".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "abi/board.h"
#include "config.h"
#include "fileio.h"
#include "core/kimage.h"

/* Nobody writes a config file this big; a bigger one is some other file. */
#define CONFIG_MAX_FILE_SIZE (1UL << 20)

#define MIB (1UL << 20)

enum key {
	KEY_NAME,
	KEY_KERNEL,
	KEY_INITRD,
	KEY_CMDLINE,
	KEY_MEMORY,
	KEY_VCPUS,
	KEY_COUNT,
};

enum value_type {
	VALUE_STRING,
	VALUE_NUMBER,
};

static const struct key_info {
	const char *name;
	enum value_type type;
	bool required;
} keys[KEY_COUNT] = {
    [KEY_NAME] = {"name", VALUE_STRING, true},
    [KEY_KERNEL] = {"kernel", VALUE_STRING, true},
    [KEY_INITRD] = {"initrd", VALUE_STRING, false},
    [KEY_CMDLINE] = {"cmdline", VALUE_STRING, false},
    [KEY_MEMORY] = {"memory", VALUE_NUMBER, true},
    [KEY_VCPUS] = {"vcpus", VALUE_NUMBER, false},
};

/* One parsed value. Numbers saturate at the int64_t limits; text keeps what was written. */
struct value {
	enum value_type type;
	char *str; /* VALUE_STRING: unescaped, malloc'd */
	int64_t num;
	char text[32]; /* VALUE_NUMBER: as written (truncated), for messages */
};

struct parser {
	const char *source;
	const char *p, *end; /* the rest of the current line */
	unsigned line;
	unsigned flags;
	struct diag *d;
	unsigned key_line[KEY_COUNT]; /* 0: not set */
	bool bad;
};

static void *xmalloc(size_t n)
{
	void *p = malloc(n);

	if (!p) {
		fputs("facet: out of memory\n", stderr);
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

static void line_error(struct parser *ps, const char *fmt, const char *arg)
{
	char msg[256];

	snprintf(msg, sizeof(msg), fmt, arg);
	diag_add(ps->d, "%s:%u: %s", ps->source, ps->line, msg);
	ps->bad = true;
}

static void skip_blanks(struct parser *ps)
{
	while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
		ps->p++;
}

static bool is_key_char(char c, bool first)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
	       (!first && ((c >= '0' && c <= '9') || c == '-'));
}

/* The edit distance is small: suggest the key the user probably meant. */
static const char *closest_key(const char *word, size_t len)
{
	const char *best = NULL;
	size_t best_dist = 3; /* suggest only within 2 edits */

	for (int k = 0; k < KEY_COUNT; k++) {
		const char *name = keys[k].name;
		size_t n = strlen(name), row[32], i, j;

		if (len >= 31 || n >= 31)
			continue;
		/* Levenshtein distance, one row at a time. */
		for (j = 0; j <= n; j++)
			row[j] = j;
		for (i = 1; i <= len; i++) {
			size_t diag_prev = row[0];

			row[0] = i;
			for (j = 1; j <= n; j++) {
				size_t up = row[j];
				size_t cost = word[i - 1] == name[j - 1] ? 0 : 1;
				size_t best_here = diag_prev + cost;

				if (up + 1 < best_here)
					best_here = up + 1;
				if (row[j - 1] + 1 < best_here)
					best_here = row[j - 1] + 1;
				row[j] = best_here;
				diag_prev = up;
			}
		}
		if (row[n] < best_dist) {
			best_dist = row[n];
			best = name;
		}
	}
	return best;
}

/* A "quoted string": \" and \\ are the only escapes. */
static bool parse_string(struct parser *ps, struct value *v)
{
	char *out = xmalloc((size_t)(ps->end - ps->p) + 1);
	size_t n = 0;

	ps->p++; /* the opening quote */
	while (ps->p < ps->end && *ps->p != '"') {
		char c = *ps->p++;

		if (c == '\\') {
			if (ps->p == ps->end)
				break;
			c = *ps->p++;
			if (c != '"' && c != '\\') {
				char esc[3] = {'\\', c, '\0'};

				line_error(ps,
					   "unknown escape '%s' in a string (only \\\" and \\\\)",
					   esc);
				free(out);
				return false;
			}
		}
		out[n++] = c;
	}
	if (ps->p == ps->end) {
		line_error(ps, "%s", "string has no closing '\"'");
		free(out);
		return false;
	}
	ps->p++; /* the closing quote */
	out[n] = '\0';
	v->type = VALUE_STRING;
	v->str = out;
	return true;
}

/* A decimal integer, optionally negative (so that -1 is reported as out of range). */
static bool parse_number(struct parser *ps, struct value *v)
{
	const char *start = ps->p;
	bool neg = false;
	uint64_t mag = 0;
	bool overflow = false;

	if (*ps->p == '-') {
		neg = true;
		ps->p++;
	}
	if (ps->p == ps->end || *ps->p < '0' || *ps->p > '9') {
		line_error(ps, "%s", "value must be a \"quoted string\" or a decimal number");
		return false;
	}
	while (ps->p < ps->end && *ps->p >= '0' && *ps->p <= '9') {
		unsigned digit = (unsigned)(*ps->p++ - '0');

		if (mag > (UINT64_MAX - digit) / 10)
			overflow = true;
		else
			mag = mag * 10 + digit;
	}
	/* "256M", "0x100", "1.5": say the whole word is not a number. */
	if (ps->p < ps->end && *ps->p != ' ' && *ps->p != '\t' && *ps->p != '#') {
		char word[64];
		size_t n = 0;

		for (const char *q = start;
		     q < ps->end && *q != ' ' && *q != '\t' && *q != '#' && n < sizeof(word) - 1;
		     q++)
			word[n++] = *q;
		word[n] = '\0';
		line_error(ps, "'%s' is not a decimal number", word);
		return false;
	}
	if (overflow || mag > INT64_MAX)
		v->num = neg ? INT64_MIN : INT64_MAX;
	else
		v->num = neg ? -(int64_t)mag : (int64_t)mag;
	snprintf(v->text, sizeof(v->text), "%.*s", (int)(ps->p - start), start);
	v->type = VALUE_NUMBER;
	return true;
}

static bool name_is_valid(const char *name)
{
	size_t len = strlen(name);

	if (len < 1 || len > MANIFEST_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!is_key_char(name[i], false))
			return false;
	return true;
}

/* A path relative to the config file's directory, as a path usable from here. */
static char *resolve_path(const char *source, const char *path)
{
	const char *slash = strrchr(source, '/');
	size_t dirlen;
	char *out;

	if (path[0] == '/' || !slash)
		return xstrdup(path);
	dirlen = (size_t)(slash - source) + 1;
	out = xmalloc(dirlen + strlen(path) + 1);
	memcpy(out, source, dirlen);
	strcpy(out + dirlen, path);
	return out;
}

/* Checks a number against [min, max] (unless range checks are off) and stores it. */
static void set_number(struct parser *ps, enum key k, const struct value *v, int64_t min,
		       int64_t max, const char *unit, const char *what, uint32_t *out)
{
	if (ps->flags & CONFIG_NO_RANGE_CHECK) {
		min = 0;
		max = UINT32_MAX;
		what = "a 32-bit manifest cell can hold";
	}
	if (v->num < min) {
		diag_add(ps->d, "%s: key '%s': %s%s is less than the %lld%s a VM needs", ps->source,
			 keys[k].name, v->text, unit, (long long)min, unit);
		ps->bad = true;
	} else if (v->num > max) {
		diag_add(ps->d, "%s: key '%s': %s%s is more than the %lld%s %s", ps->source,
			 keys[k].name, v->text, unit, (long long)max, unit, what);
		ps->bad = true;
	} else {
		*out = (uint32_t)v->num;
	}
}

/* Stores the value of a key whose type is already known to be right. */
static void set_key(struct parser *ps, enum key k, struct value *v, struct vm_spec *vm)
{
	switch (k) {
	case KEY_NAME:
		if (!name_is_valid(v->str)) {
			diag_add(ps->d,
				 "%s: key 'name': '%s' is not 1..%d characters of A-Z a-z 0-9 _ -",
				 ps->source, v->str, MANIFEST_NAME_MAX);
			ps->bad = true;
		} else {
			strcpy(vm->name, v->str);
		}
		break;
	case KEY_KERNEL:
	case KEY_INITRD:
		if (v->str[0] == '\0') {
			diag_add(ps->d, "%s: key '%s': the path is empty", ps->source,
				 keys[k].name);
			ps->bad = true;
		} else if (k == KEY_KERNEL) {
			vm->kernel = resolve_path(ps->source, v->str);
		} else {
			vm->initrd = resolve_path(ps->source, v->str);
		}
		break;
	case KEY_CMDLINE:
		if (strlen(v->str) > MANIFEST_CMDLINE_MAX - 1) {
			diag_add(ps->d,
				 "%s: key 'cmdline': %zu characters is more than the %d a command "
				 "line may have",
				 ps->source, strlen(v->str), MANIFEST_CMDLINE_MAX - 1);
			ps->bad = true;
		} else {
			vm->cmdline = v->str;
			v->str = NULL;
		}
		break;
	case KEY_MEMORY:
		set_number(ps, k, v, 1, MANIFEST_MAX_MEMORY_MIB, " MiB", "a VM may have",
			   &vm->memory_mib);
		break;
	case KEY_VCPUS:
		set_number(ps, k, v, 1, BOARD_MAX_VCPUS, "", "a VM may have", &vm->vcpus);
		break;
	case KEY_COUNT:
		break;
	}
}

/* One line: blank, a comment, or `key = value [# comment]`. */
static void parse_line(struct parser *ps, struct vm_spec *vm)
{
	const char *key_start;
	size_t key_len;
	struct value v = {0};
	char key[64];
	int k;

	skip_blanks(ps);
	if (ps->p == ps->end || *ps->p == '#')
		return;

	key_start = ps->p;
	while (ps->p < ps->end && is_key_char(*ps->p, ps->p == key_start))
		ps->p++;
	key_len = (size_t)(ps->p - key_start);
	if (key_len == 0) {
		line_error(ps, "%s", "expected 'key = value'");
		return;
	}
	snprintf(key, sizeof(key), "%.*s", (int)key_len, key_start);

	skip_blanks(ps);
	if (ps->p == ps->end || *ps->p != '=') {
		line_error(ps, "expected '=' after '%s'", key);
		return;
	}
	ps->p++;
	skip_blanks(ps);
	if (ps->p == ps->end || *ps->p == '#') {
		line_error(ps, "'%s' has no value", key);
		return;
	}
	if (*ps->p == '"' ? !parse_string(ps, &v) : !parse_number(ps, &v))
		return;
	skip_blanks(ps);
	if (ps->p < ps->end && *ps->p != '#') {
		line_error(ps, "unexpected text after the value of '%s'", key);
		goto out;
	}

	for (k = 0; k < KEY_COUNT; k++)
		if (strcmp(key, keys[k].name) == 0)
			break;
	if (k == KEY_COUNT) {
		const char *guess = closest_key(key, strlen(key));

		if (guess)
			diag_add(ps->d, "%s:%u: unknown key '%s' (did you mean '%s'?)", ps->source,
				 ps->line, key, guess);
		else
			diag_add(ps->d, "%s:%u: unknown key '%s'", ps->source, ps->line, key);
		ps->bad = true;
		goto out;
	}
	if (ps->key_line[k]) {
		diag_add(ps->d, "%s:%u: duplicate key '%s' (first set on line %u)", ps->source,
			 ps->line, key, ps->key_line[k]);
		ps->bad = true;
		goto out;
	}
	ps->key_line[k] = ps->line;
	if (v.type != keys[k].type) {
		line_error(ps,
			   keys[k].type == VALUE_STRING ? "key '%s' takes a \"quoted string\""
							: "key '%s' takes a decimal number",
			   key);
		goto out;
	}
	set_key(ps, (enum key)k, &v, vm);
out:
	free(v.str);
}

int config_parse(const char *source, const char *text, size_t len, unsigned flags,
		 struct vm_spec *vm, struct diag *d)
{
	struct parser ps = {.source = source, .flags = flags, .d = d};
	const char *p = text, *end = text + len;

	memset(vm, 0, sizeof(*vm));
	vm->source = xstrdup(source);
	vm->vcpus = CONFIG_DEFAULT_VCPUS;

	while (p < end) {
		const char *eol = memchr(p, '\n', (size_t)(end - p));
		size_t n = (size_t)((eol ? eol : end) - p);

		if (n > 0 && p[n - 1] == '\r') /* CRLF files */
			n--;
		ps.line++;
		ps.p = p;
		ps.end = p + n;
		if (memchr(p, '\0', n))
			line_error(&ps, "%s", "NUL byte: this is not a text file");
		else
			parse_line(&ps, vm);
		p = eol ? eol + 1 : end;
	}

	for (int k = 0; k < KEY_COUNT; k++) {
		if (keys[k].required && !ps.key_line[k]) {
			diag_add(d, "%s: required key '%s' is missing", source, keys[k].name);
			ps.bad = true;
		}
	}
	return ps.bad ? -1 : 0;
}

/* Opens a file a key names: it must be a readable, non-empty regular file. */
static int check_file(const struct vm_spec *vm, const char *key, const char *path, uint64_t *size,
		      unsigned char *head, size_t *headlen, struct diag *d)
{
	struct stat st;
	ssize_t n;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		diag_add(d, "%s: key '%s': %s: %s", vm->source, key, path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0) {
		diag_add(d, "%s: key '%s': %s: %s", vm->source, key, path, strerror(errno));
		close(fd);
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		diag_add(d, "%s: key '%s': %s: %s", vm->source, key, path,
			 S_ISDIR(st.st_mode) ? strerror(EISDIR) : "not a regular file");
		close(fd);
		return -1;
	}
	if (st.st_size == 0) {
		diag_add(d, "%s: key '%s': %s: the file is empty", vm->source, key, path);
		close(fd);
		return -1;
	}
	n = read(fd, head, *headlen);
	if (n < 0) {
		diag_add(d, "%s: key '%s': %s: %s", vm->source, key, path, strerror(errno));
		close(fd);
		return -1;
	}
	close(fd);
	*headlen = (size_t)n;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* "12 MiB" or "11.5 MiB" (tenths rounded up or down, as the sentence needs), or KiB. */
static const char *size_str(char *buf, size_t len, uint64_t bytes, bool round_up)
{
	if (bytes % MIB == 0) {
		snprintf(buf, len, "%lu MiB", (unsigned long)(bytes / MIB));
	} else if (bytes < MIB) {
		snprintf(buf, len, "%lu KiB",
			 (unsigned long)((bytes + (round_up ? 1023 : 0)) / 1024));
	} else {
		uint64_t tenths = (bytes * 10 + (round_up ? MIB - 1 : 0)) / MIB;

		snprintf(buf, len, "%lu.%lu MiB", (unsigned long)(tenths / 10),
			 (unsigned long)(tenths % 10));
	}
	return buf;
}

/*
 * Guest RAM, from the bottom: the kernel at its load offset; then, at the
 * top, the initrd (page-aligned) right below the device tree's 2 MiB.
 */
static int check_fit(const struct vm_spec *vm, const struct kimage *k, struct diag *d)
{
	struct kimage_layout l;
	enum kimage_fit fit = kimage_fit(k, (uint64_t)vm->memory_mib * MIB, vm->initrd_size, &l);
	uint64_t below_dtb = l.dtb_offset;
	char a[32], b[32];

	if (fit == KIMAGE_KERNEL_TOO_BIG) {
		diag_add(d,
			 "%s: key 'kernel': %s is too big for 'memory' = %u MiB: it needs %s (%s), "
			 "%s is free below the %lu MiB kept for the device tree",
			 vm->source, vm->kernel, vm->memory_mib,
			 size_str(a, sizeof(a), k->end, true),
			 k->is_arm64_image ? "arm64 Image: text_offset + image_size"
					   : "raw binary: its size + the 512 KiB load offset",
			 size_str(b, sizeof(b), below_dtb, false), (unsigned long)(KIMAGE_DTB_RESERVE / MIB));
		return -1;
	}
	if (fit == KIMAGE_INITRD_TOO_BIG) {
		char c[32];

		diag_add(d,
			 "%s: key 'initrd': %s is too big for 'memory' = %u MiB: it is %s, %s is "
			 "free between the kernel (%s) and the %lu MiB kept for the device tree",
			 vm->source, vm->initrd, vm->memory_mib,
			 size_str(a, sizeof(a), vm->initrd_size, true),
			 size_str(b, sizeof(b), below_dtb - k->end, false),
			 size_str(c, sizeof(c), k->end, true), (unsigned long)(KIMAGE_DTB_RESERVE / MIB));
		return -1;
	}
	return 0;
}

static char *read_config(const char *path, size_t *len, struct diag *d)
{
	return (char *)file_read(path, CONFIG_MAX_FILE_SIZE, "too big for a config file", len, d);
}

int config_load(const char *path, unsigned flags, struct vm_spec *vm, struct diag *d)
{
	unsigned char head[KIMAGE_HEAD_SIZE];
	size_t len = 0, headlen = sizeof(head);
	char *text = read_config(path, &len, d);
	struct kimage k;
	const char *why;
	int rc;

	if (!text) {
		memset(vm, 0, sizeof(*vm));
		vm->source = xstrdup(path);
		return -1;
	}
	rc = config_parse(path, text, len, flags, vm, d);
	free(text);

	/* Check the files even after other errors: report everything at once. */
	if (vm->kernel &&
	    check_file(vm, "kernel", vm->kernel, &vm->kernel_size, head, &headlen, d) < 0)
		rc = -1;
	if (vm->initrd) {
		unsigned char ihead[1];
		size_t ilen = sizeof(ihead);

		if (check_file(vm, "initrd", vm->initrd, &vm->initrd_size, ihead, &ilen, d) < 0)
			rc = -1;
	}
	if (rc < 0)
		return -1;

	if (kimage_inspect(head, headlen, vm->kernel_size, &k, &why) < 0) {
		diag_add(d, "%s: key 'kernel': %s %s", vm->source, vm->kernel, why);
		return -1;
	}
	if (!(flags & CONFIG_NO_RANGE_CHECK) && check_fit(vm, &k, d) < 0)
		return -1;
	return 0;
}

int config_check_set(const struct vm_spec *vm, const struct vm_spec *earlier, size_t n,
		     struct diag *d)
{
	for (size_t i = 0; vm->name[0] && i < n; i++) {
		if (strcmp(vm->name, earlier[i].name) != 0)
			continue;
		if (vm->package)
			diag_add(d, "%s: package name '%s' is already the name of the VM in %s",
				 vm->source, vm->name, earlier[i].source);
		else
			diag_add(d, "%s: key 'name': '%s' is already the name of the VM in %s",
				 vm->source, vm->name, earlier[i].source);
		return -1;
	}
	if (n >= MANIFEST_MAX_VMS) {
		diag_add(d, "%s: a boot image holds at most %d VMs; this would be VM %zu",
			 vm->source, MANIFEST_MAX_VMS, n + 1);
		return -1;
	}
	return 0;
}

void config_free(struct vm_spec *vm)
{
	free(vm->source);
	free(vm->kernel);
	free(vm->initrd);
	free(vm->cmdline);
	free(vm->package);
	memset(vm, 0, sizeof(*vm));
}
