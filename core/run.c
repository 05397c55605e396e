/*
 * The run loop of one physical CPU. Interrupts stay masked at EL2: they
 * are taken only while a guest runs (as a guest exit) or polled by the idle
 * loop. Cross-CPU requests are a flag in the target vCPU plus an SGI to its
 * pCPU, which does the work itself.
 */
#include "abi/board.h"
#include "arch/aarch64/arch.h"
#include "arch/aarch64/sysreg.h"
#include "core/console.h"
#include "core/log.h"
#include "core/run.h"
#include "core/sched.h"
#include "core/vm.h"
#include "drivers/gicv3.h"
#include "drivers/pl011.h"
#include "platform/qemu-virt/platform.h"

#define SLICE_MS 10

static uint64_t slice_ticks;

void vcpu_kick(struct vcpu *v)
{
	struct pcpu *p = v->pcpu;
	__atomic_store_n(&v->irq_dirty, true, __ATOMIC_RELEASE);
	spin_lock(&p->lock);
	v->blocked = false;
	spin_unlock(&p->lock);
	if (p != this_pcpu())
		gicv3_send_sgi(p->mpidr, SGI_KICK);
}

static bool vcpu_has_wakeup(struct vcpu *v)
{
	if (vtimer_expired() || vgic_lr_has_pending(v))
		return true;
	spin_lock(&v->vm->lock);
	bool pending = vgic_has_pending(&v->vm->vgic, v->id);
	spin_unlock(&v->vm->lock);
	return pending;
}

void vcpu_block(struct vcpu *v)
{
	if (vcpu_has_wakeup(v))
		return;
	console_vm_idle(v->vm);
	struct pcpu *p = v->pcpu;
	spin_lock(&p->lock);
	/* A kick that came after the check above set irq_dirty: do not sleep through it. */
	if (!__atomic_load_n(&v->irq_dirty, __ATOMIC_ACQUIRE)) {
		v->blocked = true;
		v->wake_at = vtimer_deadline();
	}
	spin_unlock(&p->lock);
}

void vcpu_yield(struct vcpu *v)
{
	v->pcpu->slice_end = 0; /* slice over: the next vCPU in turn runs */
}

static void handle_vtimer(struct pcpu *p)
{
	struct vcpu *v = p->current;
	if (!v)
		return;
	/*
	 * The guest's timer fired. Mask it (CNTV_CTL_EL0.IMASK) so it does not
	 * fire again before the guest reprograms it, and give the guest the
	 * virtual PPI. The guest's own handler sets IMASK or a new deadline.
	 */
	write_sysreg(cntv_ctl_el0, read_sysreg(cntv_ctl_el0) | 2);
	spin_lock(&v->vm->lock);
	vgic_inject(&v->vm->vgic, v->id, BOARD_TIMER_VIRT_INTID);
	spin_unlock(&v->vm->lock);
	v->irq_dirty = true;
}

void run_handle_irqs(void)
{
	struct pcpu *p = this_pcpu();
	for (;;) {
		uint32_t id = gicv3_ack();
		if (id >= 1020)
			break;
		if (id == SGI_KICK) {
			/* Nothing to do here: the resume path looks at everything again. */
		} else if (id == plat.htimer_intid) {
			arch_set_hyp_timer(SCHED_NEVER);
			p->slice_end = 0;
		} else if (id == plat.vtimer_intid) {
			handle_vtimer(p);
		} else if (id == BOARD_GIC_MAINT_INTID) {
			if (p->current) {
				spin_lock(&p->current->vm->lock);
				vgic_lr_maintenance(p->current);
				spin_unlock(&p->current->vm->lock);
			}
		} else if (id == plat.uart_intid) {
			int c;
			while ((c = pl011_getc()) >= 0)
				console_input((uint8_t)c);
		}
		gicv3_eoi(id);
	}
}

/* Choose what p runs next; switch to it; idle until there is something. */
static struct vcpu *schedule(struct pcpu *p)
{
	struct vcpu *prev = p->current, *next;
	const struct vcpu *last = prev; /* round-robin goes on after the one that ran */

	for (;;) {
		uint64_t now = arch_counter();
		spin_lock(&p->lock);
		next = sched_pick(p, last, now);
		uint64_t wake = sched_next_wake(p);
		spin_unlock(&p->lock);

		if (prev && prev != next) {
			vcpu_put(prev);
			vm_vcpu_stopped(prev); /* may restart a VM: pick again */
			prev = NULL;
			continue;
		}
		if (next) {
			p->slice_end = now + slice_ticks;
			arch_set_hyp_timer(p->slice_end < wake ? p->slice_end : wake);
			if (next != p->current)
				vcpu_load(next);
			return next;
		}
		/* Nothing to run: sleep until an interrupt (a kick, a timer, input). */
		arch_set_hyp_timer(wake);
		wfi();
		run_handle_irqs();
	}
}

void run_flush_irqs(struct vcpu *v)
{
	spin_lock(&v->vm->lock);
	vgic_lr_flush(v);
	spin_unlock(&v->vm->lock);
}

struct vcpu *run_resume(struct vcpu *v)
{
	struct pcpu *p = v->pcpu;

	if (!sched_runnable(v) || arch_counter() >= p->slice_end)
		v = schedule(p);
	if (__atomic_load_n(&v->irq_dirty, __ATOMIC_ACQUIRE))
		run_flush_irqs(v);
	return v;
}

void run_start(void)
{
	struct pcpu *p = this_pcpu();
	if (!slice_ticks)
		slice_ticks = arch_counter_freq() / 1000 * SLICE_MS;
	struct vcpu *v = schedule(p);
	guest_enter(run_resume(v));
}
