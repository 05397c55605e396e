/*
 * The physical GICv3 as the hypervisor uses it: all interrupts Group 1,
 * affinity routing, system-register CPU interface at EL2 (GIC spec IHI 0069).
 */
#ifndef FACET_DRIVERS_GICV3_H
#define FACET_DRIVERS_GICV3_H

#include <stdbool.h>
#include <stdint.h>

#define GIC_SPURIOUS 1023
#define SGI_KICK 0 /* "look at your vCPUs again": cross-CPU work and wake-ups */

void gicv3_init(uintptr_t gicd, uintptr_t gicr_base, uint64_t gicr_size);
/* Per CPU: find and wake this CPU's redistributor, set up the CPU interface. */
uintptr_t gicv3_cpu_init(uint64_t mpidr);
void gicv3_enable_ppi(uintptr_t gicr, unsigned intid, uint8_t prio);
void gicv3_enable_spi(unsigned intid, uint64_t target_mpidr, uint8_t prio, bool level);
uint32_t gicv3_ack(void);
void gicv3_eoi(uint32_t intid);
void gicv3_send_sgi(uint64_t target_mpidr, unsigned sgi);

#endif
