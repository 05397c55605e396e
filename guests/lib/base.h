/*
 * Basics every guest file uses: fixed-width types, bit-field helpers,
 * barriers and the few string functions the compiler may call on its own.
 */
#ifndef GUEST_BASE_H
#define GUEST_BASE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define BIT(n) (1UL << (n))
/* Bits h..l set, h >= l. */
#define GENMASK(h, l) ((~0UL >> (63 - (h))) & ~((1UL << (l)) - 1))
#define FIELD_GET(mask, v) (((uint64_t)(v) & (mask)) >> __builtin_ctzl(mask))
#define FIELD_PREP(mask, v) (((uint64_t)(v) << __builtin_ctzl(mask)) & (mask))

#define NORETURN __attribute__((noreturn))
#define PRINTF_LIKE(f, a) __attribute__((format(printf, f, a)))
#define UNUSED __attribute__((unused))

#define SZ_1K 0x400UL
#define SZ_1M 0x100000UL
#define SZ_2M 0x200000UL
#define SZ_1G 0x40000000UL

static inline void cpu_relax(void)
{
	__asm__ volatile("yield" ::: "memory");
}
/*
 * For polling loops that may wait long: WFE rather than a spin, so that a
 * hypervisor trapping WFE (HCR_EL2.TWE) can run another vCPU meanwhile. The
 * timer event stream (timer.c) bounds the wait to ~100 us on hardware that
 * would otherwise sleep until an SEV.
 */
static inline void cpu_wait(void)
{
	__asm__ volatile("wfe" ::: "memory");
}
static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}
static inline void wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}
static inline void sev(void)
{
	__asm__ volatile("sev" ::: "memory");
}
static inline void isb(void)
{
	__asm__ volatile("isb" ::: "memory");
}
static inline void dsb_sy(void)
{
	__asm__ volatile("dsb sy" ::: "memory");
}
static inline void dsb_ishst(void)
{
	__asm__ volatile("dsb ishst" ::: "memory");
}

void *memset(void *dst, int c, size_t n);
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
/* Parses a decimal or 0x-prefixed number; stops at the first other char. */
uint64_t str_to_u64(const char *s, size_t len);

#endif
