#include "fault.h"

#include <abi/board.h>

#include "smp.h"

struct fault_state {
	bool armed;
	bool taken;
	uintptr_t resume;
	struct fault_info info;
};

static struct fault_state fault_state[BOARD_MAX_VCPUS];

/* vectors.S: branches to x0; a fetch fault resumes at fault_exec_resume, which returns. */
void fault_exec_at(uintptr_t addr);
extern char fault_exec_resume[];

static inline void compiler_barrier(void)
{
	__asm__ volatile("" ::: "memory");
}

void fault_expect(uintptr_t resume)
{
	struct fault_state *s = &fault_state[smp_cpu_index()];

	s->taken = false;
	s->resume = resume;
	compiler_barrier();
	s->armed = true;
	compiler_barrier();
}

bool fault_end(struct fault_info *out)
{
	struct fault_state *s = &fault_state[smp_cpu_index()];

	compiler_barrier();
	s->armed = false;
	if (s->taken && out)
		*out = s->info;
	return s->taken;
}

bool fault_claim(struct exc_frame *f, uint64_t esr, uint64_t far)
{
	struct fault_state *s = &fault_state[smp_cpu_index()];

	if (!s->armed)
		return false;
	s->armed = false;
	s->taken = true;
	s->info = (struct fault_info){.esr = esr, .far = far, .elr = f->elr};
	f->elr = s->resume ? s->resume : f->elr + 4;
	return true;
}

bool fault_probe_read32(uintptr_t addr, uint32_t *val, struct fault_info *info)
{
	uint32_t v = 0;

	fault_expect(0);
	__asm__ volatile("ldr %w0, [%1]" : "+r"(v) : "r"(addr) : "memory");
	if (val)
		*val = v;
	return fault_end(info);
}

bool fault_probe_write32(uintptr_t addr, uint32_t val, struct fault_info *info)
{
	fault_expect(0);
	__asm__ volatile("str %w0, [%1]" : : "r"(val), "r"(addr) : "memory");
	return fault_end(info);
}

bool fault_probe_exec(uintptr_t addr, struct fault_info *info)
{
	fault_expect((uintptr_t)fault_exec_resume);
	fault_exec_at(addr);
	return fault_end(info);
}
