/* Device register access. The guests run with the MMU off, so every data access is Device-nGnRnE.
 */
#ifndef GUEST_MMIO_H
#define GUEST_MMIO_H

#include "base.h"

static inline uint32_t mmio_read32(uintptr_t addr)
{
	uint32_t v;
	__asm__ volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write32(uintptr_t addr, uint32_t v)
{
	__asm__ volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline uint64_t mmio_read64(uintptr_t addr)
{
	uint64_t v;
	__asm__ volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void mmio_write64(uintptr_t addr, uint64_t v)
{
	__asm__ volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

#endif
