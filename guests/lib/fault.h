/*
 * Probing for aborts. A test arms an expectation, touches something that may
 * fault, and reads back what the EL1 synchronous exception recorded:
 *
 *   fault_expect(0);               // 0: resume after the faulting instruction
 *   ... one load/store ...
 *   struct fault_info fi;
 *   if (fault_end(&fi)) ... fi.esr, fi.far, fi.elr ...
 *
 * or, for one access, the fault_probe_* helpers. An exception while nothing
 * is armed is unexpected: it is reported and fails the running test.
 * State is per CPU; exception.c calls fault_claim().
 */
#ifndef GUEST_FAULT_H
#define GUEST_FAULT_H

#include "base.h"
#include "exception.h"

struct fault_info {
	uint64_t esr, far, elr;
};

/* resume: where to continue after a fault, or 0 for "the next instruction". */
void fault_expect(uintptr_t resume);
/* Disarms; true if a fault was taken since fault_expect (then *out is filled). */
bool fault_end(struct fault_info *out);

/* True if reading 32 bits at addr faulted; val and info may be NULL. */
bool fault_probe_read32(uintptr_t addr, uint32_t *val, struct fault_info *info);
bool fault_probe_write32(uintptr_t addr, uint32_t val, struct fault_info *info);
/* Branches to addr; true if the instruction fetch (or what it ran into) faulted. */
bool fault_probe_exec(uintptr_t addr, struct fault_info *info);

/* For exception.c: records a synchronous exception if one was expected. */
bool fault_claim(struct exc_frame *f, uint64_t esr, uint64_t far);

#endif
