/*
 * What a guest kernel file needs from the start of guest RAM. facet loads
 * either an arm64 Linux Image, at the text_offset its header asks for, or
 * any other file as a raw binary at BOARD_RAW_LOAD_OFFSET.
 */
#ifndef FACET_TOOL_KIMAGE_H
#define FACET_TOOL_KIMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Bytes of a file kimage_inspect looks at: the arm64 Image header. */
#define KIMAGE_HEAD_SIZE 64

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

#endif
