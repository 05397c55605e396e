/*
 * Distinct types for the three kinds of address facet handles, so that a
 * guest-physical address cannot be used where a physical one is meant:
 *   paddr_t   physical address (what the MMU and devices see)
 *   ipaddr_t  intermediate physical address: a guest's "physical" address
 * EL2 runs with an identity map, so a physical address is also the
 * hypervisor's virtual address: pa_to_ptr() is the one place that says so.
 */
#ifndef FACET_CORE_TYPES_H
#define FACET_CORE_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct {
	uint64_t pa;
} paddr_t;
typedef struct {
	uint64_t ipa;
} ipaddr_t;

static inline paddr_t pa(uint64_t v)
{
	return (paddr_t){v};
}
static inline ipaddr_t ipa(uint64_t v)
{
	return (ipaddr_t){v};
}
static inline void *pa_to_ptr(paddr_t p)
{
	return (void *)(uintptr_t)p.pa;
}
static inline paddr_t ptr_to_pa(const void *p)
{
	return pa((uint64_t)(uintptr_t)p);
}

#define KiB(x) ((uint64_t)(x) << 10)
#define MiB(x) ((uint64_t)(x) << 20)
#define GiB(x) ((uint64_t)(x) << 30)
#define ALIGN_UP(x, a) (((x) + (a)-1) & ~((uint64_t)(a)-1))
#define ALIGN_DOWN(x, a) ((x) & ~((uint64_t)(a)-1))
#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
