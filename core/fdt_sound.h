/*
 * Reading untrusted flattened device trees, shared by the boot-image
 * manifest (core/manifest.c) and the persona manifest (core/persona.c).
 *
 * First the checks that make a tree safe to hand to libfdt 1.6.1 (Debian
 * 12), whose fdt_check_full dereferences NULL on trees older than version 17
 * and walks forever on a property length near 4 GiB (both found by
 * tests/fuzz). Every blob that comes from outside the hypervisor passes here
 * first. Then what both readers use on the nodes of such a tree: the walk
 * that picks out the entries they know, and checks of strings, names and
 * numbers. Messages go to a caller's buffer ("why"), each reader adding its
 * own prefix.
 */
#ifndef FACET_CORE_FDT_SOUND_H
#define FACET_CORE_FDT_SOUND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Everything that makes an untrusted manifest of size bytes (at least a
 * header's) safe to walk: a header libfdt accepts, a totalsize that fills
 * size (exact) or fits in it, version 17 or later, aligned blocks (Devicetree
 * Spec 5.1), a structure block that walks forwards to FDT_END without leaving
 * the block (5.4), and then libfdt's fdt_check_full. Returns 0, or -1 with
 * what is wrong in why[len] ("manifest is damaged: ...").
 */
int fdt_sound(const void *fdt, size_t size, bool exact, char *why, size_t len);
/* The structure-block walk alone. */
bool fdt_struct_block_is_sound(const void *fdt);

/* One NUL-terminated string with no NUL inside, at most max bytes with the NUL. */
bool fdt_is_string(const void *val, int len, size_t max);
/*
 * A property of one cell, its value in min..max, into *out. Returns 0, or -1
 * with what is wrong in why[len]: "vcpus is 8 bytes, not one cell",
 * "vcpus = 9 is out of range 1..4".
 */
int fdt_u32_in(const char *what, const void *val, int vlen, uint32_t min, uint32_t max,
	       uint32_t *out, char *why, size_t len);
/* Every character of s is one of a VM name's: [A-Za-z0-9_-] (include/abi/manifest.h). */
bool fdt_is_name(const char *s);

/* The entries of one node that a reader knows, by their index in its list of names. */
#define FDT_ENTRIES_MAX 12
struct fdt_entries {
	const void *val[FDT_ENTRIES_MAX]; /* a property's value; a subnode's name */
	int len[FDT_ENTRIES_MAX];	  /* a property's length; a subnode's offset */
	uint32_t seen;			  /* bit i: names[i] is there */
	char why[112];			  /* on failure: "property 'x' appears twice" */
};

enum fdt_entries_err {
	FDT_ENTRIES_OK,
	FDT_ENTRIES_UNREADABLE, /* libfdt cannot read an entry */
	FDT_ENTRIES_UNKNOWN,	/* a name not in the list that starts with the fatal prefix */
	FDT_ENTRIES_TWICE,	/* a name of the list twice */
	FDT_ENTRIES_BAD_LIST,	/* the walk ended on an error, not at the last entry */
	FDT_ENTRIES_MISSING,	/* a required name is not there */
};

/*
 * Sorts the properties of node (or, if subnodes, its subnodes) into e by
 * names[n] (at most FDT_ENTRIES_MAX); bit i of required: names[i] must be
 * there ("required property 'x' is missing"). A name not in the list is skipped
 * unless it starts with fatal: "" makes every unknown name fatal ("unknown
 * property 'x'"); a prefix marks the names a later format made mandatory
 * (persona's "critical,": "unknown critical property 'critical,x'"). Stops
 * at the first problem, with what it is in e->why. For a tree that
 * fdt_check_full has accepted.
 */
enum fdt_entries_err fdt_entries(const void *fdt, int node, bool subnodes, const char *const *names,
				 int n, uint32_t required, const char *fatal,
				 struct fdt_entries *e);

#endif
