/*
 * A guest kernel and its place in guest RAM. facet loads either an arm64
 * Linux Image, at the text_offset its header asks for, or any other file as
 * a raw binary at BOARD_RAW_LOAD_OFFSET; the initrd goes page-aligned right
 * below the device tree, which has the top 2 MiB of RAM (booting.rst: the
 * DTB lies in a 2 MiB region of its own). One rule for the host tool, which
 * refuses a VM that does not fit, and the hypervisor, which places it.
 * Plain C: no system registers, no allocation.
 */
#ifndef FACET_CORE_KIMAGE_H
#define FACET_CORE_KIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of a file kimage_inspect looks at: the arm64 Image header. */
#define KIMAGE_HEAD_SIZE 64
/* The top of guest RAM kept for the device tree. */
#define KIMAGE_DTB_RESERVE (2ULL << 20)
#define KIMAGE_PAGE 4096ULL

struct kimage {
	bool is_arm64_image;  /* has the arm64 Image header */
	uint64_t load_offset; /* from the RAM base: text_offset, or BOARD_RAW_LOAD_OFFSET */
	uint64_t size;	      /* bytes it occupies from there, bss included */
	uint64_t end;	      /* load_offset + size: RAM it needs from the base */
};

/*
 * Classifies a kernel from its first headlen bytes (up to KIMAGE_HEAD_SIZE)
 * and its size. Returns 0, or -1 with *why saying why facet cannot boot it.
 */
int kimage_inspect(const unsigned char *head, size_t headlen, uint64_t file_size, struct kimage *k,
		   const char **why);

enum kimage_fit {
	KIMAGE_FITS,
	KIMAGE_KERNEL_TOO_BIG, /* k->end is past dtb_offset */
	KIMAGE_INITRD_TOO_BIG, /* the page-rounded initrd does not fit between kernel and DTB */
};

struct kimage_layout {
	uint64_t dtb_offset;	/* from the RAM base; 0 if RAM is no larger than the reserve */
	uint64_t initrd_offset; /* valid when it fits and initrd_size > 0 */
};

/* Places kernel k and an initrd of initrd_size bytes in ram_size bytes of guest RAM. */
enum kimage_fit kimage_fit(const struct kimage *k, uint64_t ram_size, uint64_t initrd_size,
			   struct kimage_layout *out);

#endif
