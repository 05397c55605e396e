/* EL1 exception dispatch: IRQs to irq.c, expected faults to fault.c, the rest is a failure. */
#include "exception.h"

#include "console.h"
#include "fault.h"
#include "guest.h"
#include "irq.h"
#include "smp.h"
#include "sysreg.h"
#include "test.h"

_Static_assert(__builtin_offsetof(struct exc_frame, x[30]) == EXC_FRAME_X30, "frame layout");
_Static_assert(__builtin_offsetof(struct exc_frame, elr) == EXC_FRAME_ELR, "frame layout");
_Static_assert(__builtin_offsetof(struct exc_frame, fpsr) == EXC_FRAME_FPSR, "frame layout");
_Static_assert(__builtin_offsetof(struct exc_frame, q) == EXC_FRAME_Q0, "frame layout");
_Static_assert(sizeof(struct exc_frame) == EXC_FRAME_SIZE, "frame layout");

static const char *const exc_type_names[] = {"synchronous", "IRQ", "FIQ", "SError"};
static const char *const exc_src_names[] = {"EL1t", "EL1h", "EL0 AArch64", "EL0 AArch32"};

void exc_handle(unsigned slot, struct exc_frame *f)
{
	unsigned src = slot / 4, type = slot % 4;
	uint64_t esr, far;
	char reason[192];

	if (src == EXC_SRC_CUR_SPX && type == EXC_TYPE_IRQ) {
		irq_dispatch();
		return;
	}
	esr = READ_SYSREG(esr_el1);
	far = READ_SYSREG(far_el1);
	if (src == EXC_SRC_CUR_SPX && type == EXC_TYPE_SYNC && fault_claim(f, esr, far))
		return;

	snprintf(
	    reason, sizeof(reason),
	    "unexpected %s exception from %s on CPU %u: ESR=0x%lx (EC 0x%x) FAR=0x%lx ELR=0x%lx",
	    exc_type_names[type], exc_src_names[src], smp_cpu_index(), esr, ESR_EC(esr), far,
	    f->elr);
	printf("guest: %s\n", reason);
	if (test_abort_from_exception(f, reason))
		return;
	guest_panic("%s", reason);
}
