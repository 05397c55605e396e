/*
 * The arm64 Image header, from the Linux kernel's arm64 booting.rst
 * ("Call the kernel image", the header layout). All fields are
 * little-endian:
 *   0  code0, 4 code1
 *   8  text_offset   image load offset from a 2 MiB aligned RAM base
 *   16 image_size    effective image size, bss included (0 before v3.17)
 *   24 flags         bit 0: kernel endianness, 1 = big-endian
 *   56 magic         "ARM\x64"
 */
#include <string.h>

#include "abi/board.h"
#include "core/kimage.h"

#define ARM64_IMAGE_MAGIC_OFFSET 56
#define ARM64_IMAGE_FLAG_BE (1u << 0)

static uint64_t get_le64(const unsigned char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | p[i];
	return v;
}

int kimage_inspect(const unsigned char *head, size_t headlen, uint64_t file_size, struct kimage *k,
		   const char **why)
{
	memset(k, 0, sizeof(*k));

	/* gzip (RFC 1952, 2.3.1): what distributions ship as vmlinuz. */
	if (headlen >= 2 && head[0] == 0x1f && head[1] == 0x8b) {
		*why = "is gzip-compressed; facet boots an uncompressed arm64 Image (gunzip it)";
		return -1;
	}

	if (headlen >= KIMAGE_HEAD_SIZE &&
	    memcmp(head + ARM64_IMAGE_MAGIC_OFFSET, "ARM\x64", 4) == 0) {
		uint64_t text_offset = get_le64(head + 8);
		uint64_t image_size = get_le64(head + 16);
		uint64_t flags = get_le64(head + 24);

		if (flags & ARM64_IMAGE_FLAG_BE) {
			*why = "is a big-endian arm64 Image; facet guests run little-endian";
			return -1;
		}
		/*
		 * Before v3.17 image_size is 0 and text_offset is 0x80000 in the
		 * kernel's endianness (booting.rst): take 0x80000 and the file size.
		 */
		if (image_size == 0)
			text_offset = 0x80000;
		if (image_size < file_size)
			image_size = file_size;
		if (text_offset > UINT64_MAX - image_size) {
			*why = "has an arm64 Image header with impossible sizes";
			return -1;
		}
		k->is_arm64_image = true;
		k->load_offset = text_offset;
		k->size = image_size;
	} else {
		k->load_offset = BOARD_RAW_LOAD_OFFSET;
		k->size = file_size;
	}
	k->end = k->load_offset + k->size;
	return 0;
}

enum kimage_fit kimage_fit(const struct kimage *k, uint64_t ram_size, uint64_t initrd_size,
			   struct kimage_layout *out)
{
	uint64_t initrd = (initrd_size + KIMAGE_PAGE - 1) & ~(KIMAGE_PAGE - 1);

	out->dtb_offset = ram_size > KIMAGE_DTB_RESERVE ? ram_size - KIMAGE_DTB_RESERVE : 0;
	out->initrd_offset = 0;
	if (initrd < initrd_size) /* rounding wrapped */
		return KIMAGE_INITRD_TOO_BIG;
	if (k->end > out->dtb_offset)
		return KIMAGE_KERNEL_TOO_BIG;
	if (initrd > out->dtb_offset - k->end)
		return KIMAGE_INITRD_TOO_BIG;
	out->initrd_offset = out->dtb_offset - initrd;
	return KIMAGE_FITS;
}
