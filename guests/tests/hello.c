/*
 * hello: sanity checks of the virtual board a facet VM sees: firmware
 * interface (PSCI / SMCCC over HVC), UART, GIC, timer interrupt, SGI.
 */
#include "guest.h"

/* An id in the PSCI range (DEN0022 5.1) that no PSCI version defines. */
#define FID_UNDEFINED_PSCI 0x8400001FU
/* A fast call in the Standard Hypervisor Service range (DEN0028 6.1) nothing defines. */
#define FID_UNDEFINED_HYP 0xC600FF00U

/* PL011 identification (DDI 0183, 3.3.12-3.3.13): part 0x011, designer 0x41 (Arm), PrimeCell id. */
#define UART_PERIPHID(n) (0xFE0 + 4 * (n))
#define UART_PCELLID(n) (0xFF0 + 4 * (n))
#define UART_FR 0x018

TEST(psci_version)
{
	CHECK_EQ(psci_version(), PSCI_VERSION_1_1);
}

TEST(smccc_version)
{
	/*
	 * SMCCC_VERSION is discoverable through PSCI_FEATURES (DEN0028 7.2.1);
	 * when present it must report at least 1.1, when absent the call says NOT_SUPPORTED.
	 */
	int32_t feat = psci_features(SMCCC_VERSION);
	int32_t v = smccc_version();

	printf("hello: PSCI_FEATURES(SMCCC_VERSION)=%d SMCCC_VERSION=0x%x\n", feat, (unsigned)v);
	if (feat == PSCI_RET_SUCCESS)
		CHECK(v >= (int32_t)SMCCC_VERSION_1_1);
	else
		CHECK_EQ(v, SMCCC_RET_NOT_SUPPORTED);
}

TEST(psci_features)
{
	CHECK_EQ(psci_features(PSCI_0_2_VERSION), PSCI_RET_SUCCESS);
	CHECK(psci_features(PSCI_0_2_CPU_ON_64) >= 0);
	CHECK_EQ(psci_features(PSCI_0_2_SYSTEM_OFF), PSCI_RET_SUCCESS);
	CHECK_EQ(psci_features(FID_UNDEFINED_PSCI), PSCI_RET_NOT_SUPPORTED);
}

TEST(unknown_function_id)
{
	CHECK_EQ(smccc_call(FID_UNDEFINED_PSCI, 0, 0, 0), SMCCC_RET_NOT_SUPPORTED);
	CHECK_EQ(smccc_call(FID_UNDEFINED_HYP, 1, 2, 3), SMCCC_RET_NOT_SUPPORTED);
}

TEST(hvc_preserves_x4_x17)
{
	/* SMCCC 1.1 (DEN0028 2.6): the callee preserves x4..x17 (x0..x3 carry results). */
	uint64_t out[14];

	__asm__ volatile("mov x4, #4\n mov x5, #5\n mov x6, #6\n mov x7, #7\n"
			 "mov x8, #8\n mov x9, #9\n mov x10, #10\n mov x11, #11\n"
			 "mov x12, #12\n mov x13, #13\n mov x14, #14\n mov x15, #15\n"
			 "mov x16, #16\n mov x17, #17\n"
			 "mov w0, %w1\n hvc #0\n"
			 "stp x4, x5, [%0, #0]\n stp x6, x7, [%0, #16]\n"
			 "stp x8, x9, [%0, #32]\n stp x10, x11, [%0, #48]\n"
			 "stp x12, x13, [%0, #64]\n stp x14, x15, [%0, #80]\n"
			 "stp x16, x17, [%0, #96]\n"
			 :
			 : "r"(out), "r"(PSCI_0_2_VERSION)
			 : "x0", "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	for (unsigned i = 0; i < ARRAY_SIZE(out); i++)
		CHECK_MSG(out[i] == i + 4, "x%u = 0x%lx after HVC", i + 4, out[i]);
}

TEST(uart)
{
	uintptr_t u = BOARD_UART_BASE;
	uint32_t part = (mmio_read32(u + UART_PERIPHID(0)) & 0xff) |
			(mmio_read32(u + UART_PERIPHID(1)) & 0xf) << 8;
	uint32_t designer = (mmio_read32(u + UART_PERIPHID(1)) >> 4 & 0xf) |
			    (mmio_read32(u + UART_PERIPHID(2)) & 0xf) << 4;
	uint32_t cell = 0;

	for (unsigned i = 0; i < 4; i++)
		cell |= (mmio_read32(u + UART_PCELLID(i)) & 0xff) << (8 * i);
	printf("hello: UART part 0x%x designer 0x%x cell id 0x%x FR 0x%x\n", part, designer, cell,
	       mmio_read32(u + UART_FR));
	CHECK_EQ(part, 0x011);
	CHECK_EQ(designer, 0x41);
	CHECK_EQ(cell, 0xB105F00D);
}

TEST(gicd_typer)
{
	uint32_t typer = mmio_read32(dt.gicd_base + GICD_TYPER);
	unsigned lines = 32 * ((unsigned)FIELD_GET(GICD_TYPER_ITLINES, typer) + 1);
	unsigned idbits = (unsigned)FIELD_GET(GICD_TYPER_IDBITS, typer) + 1;

	printf("hello: GICD_TYPER 0x%x: %u INTIDs, %u id bits; PIDR2 0x%x\n", typer, lines, idbits,
	       mmio_read32(dt.gicd_base + GICD_PIDR2));
	CHECK(lines >= BOARD_UART_INTID + 1);
	CHECK(lines <= 1024);
	CHECK(idbits >= 16 && idbits <= 24);
	CHECK_EQ(FIELD_GET(GIC_PIDR2_ARCHREV, mmio_read32(dt.gicd_base + GICD_PIDR2)), 3);
	CHECK(mmio_read32(dt.gicd_base + GICD_CTLR) & GICD_CTLR_ARE_NS);
}

TEST(gicr_typer)
{
	/* Every vCPU has a redistributor, the last one says so, and ours matches our MPIDR. */
	uintptr_t rd = gic_redist_base(0);
	uint64_t typer;

	CHECK(rd != 0);
	typer = mmio_read64(rd + GICR_TYPER);
	printf("hello: GICR_TYPER 0x%lx at 0x%lx; PIDR2 0x%x\n", typer, rd,
	       mmio_read32(rd + GICR_PIDR2));
	CHECK_EQ(FIELD_GET(GICR_TYPER_AFFINITY, typer), gic_affinity32(READ_SYSREG(mpidr_el1)));
	CHECK_EQ(FIELD_GET(GIC_PIDR2_ARCHREV, mmio_read32(rd + GICR_PIDR2)), 3);
	CHECK_EQ(mmio_read32(rd + GICR_WAKER) & GICR_WAKER_CHILDREN_ASLEEP, 0);
	for (unsigned cpu = 0; cpu < smp_ncpus(); cpu++) {
		uintptr_t r = gic_redist_find(smp_cpu_mpidr(cpu));
		CHECK_MSG(r != 0, "no redistributor for CPU %u", cpu);
		CHECK_EQ(!!(mmio_read64(r + GICR_TYPER) & GICR_TYPER_LAST), cpu == smp_ncpus() - 1);
	}
}

TEST(timer_interrupt)
{
	unsigned before = timer_irq_count();
	uint64_t start = timer_count(), ticks = timer_ms_to_ticks(20);

	CHECK(timer_freq() != 0);
	timer_sleep_until(start + ticks);
	CHECK(timer_count() >= start + ticks);
	CHECK_EQ(timer_irq_count(), before + 1);
}

static unsigned sgi_hits;

static void sgi_handler(unsigned intid, void *arg)
{
	__atomic_add_fetch(&sgi_hits, 1, __ATOMIC_RELAXED);
}

TEST(sgi_to_self)
{
	sgi_hits = 0;
	irq_register(1, sgi_handler, NULL);
	irq_unmask();
	gic_send_sgi(1, smp_cpu_index());
	CHECK(WAIT_FOR(__atomic_load_n(&sgi_hits, __ATOMIC_RELAXED) >= 1, 500));
	timer_delay_us(20000);
	CHECK_EQ(sgi_hits, 1);
	gic_send_sgi_mask(1, 1U << smp_cpu_index());
	CHECK(WAIT_FOR(__atomic_load_n(&sgi_hits, __ATOMIC_RELAXED) >= 2, 500));
	timer_delay_us(20000);
	CHECK_EQ(sgi_hits, 2);
	irq_mask();
	irq_unregister(1);
	CHECK_EQ(irq_unhandled_count(), 0);
}

/*
 * More pending interrupts than the hypervisor has list registers (QEMU: 4):
 * eight SGIs pended at once, each at its own priority, must each be taken
 * exactly once and in priority order (GIC spec 4.8: highest priority first),
 * which needs the hypervisor's maintenance (underflow) path to refill.
 */
#define MANY_SGIS 8
static unsigned order[MANY_SGIS], taken;

static void many_handler(unsigned intid, void *arg)
{
	unsigned n = __atomic_fetch_add(&taken, 1, __ATOMIC_RELAXED);
	if (n < MANY_SGIS)
		order[n] = intid;
}

TEST(more_sgis_than_list_registers)
{
	taken = 0;
	for (unsigned i = 0; i < MANY_SGIS; i++) {
		unsigned sgi = 2 + i;
		irq_register(sgi, many_handler, NULL);
		/* Higher INTID, higher priority (lower value): delivery order is the reverse of sending. */
		gic_irq_set_priority(sgi, (uint8_t)(0xE0 - 0x10 * i));
	}
	irq_mask();
	for (unsigned i = 0; i < MANY_SGIS; i++)
		gic_send_sgi(2 + i, smp_cpu_index());
	irq_unmask();
	CHECK(WAIT_FOR(__atomic_load_n(&taken, __ATOMIC_RELAXED) >= MANY_SGIS, 500));
	timer_delay_us(20000);
	irq_mask();
	CHECK_EQ(taken, MANY_SGIS);
	for (unsigned i = 0; i < MANY_SGIS; i++)
		CHECK_MSG(order[i] == 2 + MANY_SGIS - 1 - i, "SGI #%u taken was %u, expected %u", i,
			  order[i], 2 + MANY_SGIS - 1 - i);
	for (unsigned i = 0; i < MANY_SGIS; i++)
		irq_unregister(2 + i);
	CHECK_EQ(irq_unhandled_count(), 0);
}

/*
 * What the virtual board does not offer gets the architectural answer: the
 * PMU (trapped by MDCR_EL2.TPM) is an undefined instruction for the guest
 * (ESR_EL1.EC 0, ARM ARM D17.2.37), and the ID registers do not advertise
 * the features whose state facet does not switch (SVE, SME, MTE, pointer
 * authentication, PMU: ARM ARM D17.2.59-74 field positions).
 */
TEST(hidden_features_are_undefined)
{
	struct fault_info fi;
	uint64_t v = 0;

	fault_expect(0);
	__asm__ volatile("mrs %0, pmccntr_el0" : "=r"(v));
	CHECK_MSG(fault_end(&fi), "reading PMCCNTR_EL0 did not trap (read %lx)", v);
	CHECK_MSG((fi.esr >> 26) == 0, "PMCCNTR_EL0: ESR_EL1 %lx, expected EC 0 (undefined)",
		  fi.esr);
	uint64_t pfr0 = READ_SYSREG(id_aa64pfr0_el1), pfr1 = READ_SYSREG(id_aa64pfr1_el1);
	uint64_t isar1 = READ_SYSREG(id_aa64isar1_el1), dfr0 = READ_SYSREG(id_aa64dfr0_el1);
	CHECK_MSG(((pfr0 >> 32) & 0xF) == 0, "ID_AA64PFR0_EL1.SVE = %lu", (pfr0 >> 32) & 0xF);
	CHECK_MSG(((pfr1 >> 8) & 0xF) == 0, "ID_AA64PFR1_EL1.MTE = %lu", (pfr1 >> 8) & 0xF);
	CHECK_MSG(((pfr1 >> 24) & 0xF) == 0, "ID_AA64PFR1_EL1.SME = %lu", (pfr1 >> 24) & 0xF);
	CHECK_MSG(((isar1 >> 4) & 0xFF) == 0, "ID_AA64ISAR1_EL1.APA/API = %lx", (isar1 >> 4) & 0xFF);
	CHECK_MSG(((dfr0 >> 8) & 0xF) == 0, "ID_AA64DFR0_EL1.PMUVer = %lu", (dfr0 >> 8) & 0xF);
	/* What is left is the hardware's: the GIC system-register interface is there. */
	CHECK_MSG(((pfr0 >> 24) & 0xF) != 0, "ID_AA64PFR0_EL1.GIC = 0");
}

/*
 * A trapped device access goes through any general register: facet's fast
 * path keeps x19-x29 in their registers and sends those accesses the slow
 * way; XZR reads as zero and discards a load (ARM ARM C6.2). Each access
 * here names its register explicitly; x9-x11 carry the test's own values.
 */
#define LOAD_VIA(n, addr)                                                                         \
	({                                                                                         \
		register uint64_t a_ __asm__("x10") = (addr);                                      \
		register uint64_t o_ __asm__("x11");                                               \
		__asm__ volatile("mov x9, x" #n "\n\tldr w" #n ", [x10]\n\tmov x11, x" #n           \
				 "\n\tmov x" #n ", x9"                                             \
				 : "=r"(o_)                                                        \
				 : "r"(a_)                                                         \
				 : "x9", "memory");                                                \
		o_;                                                                                \
	})
#define STORE_VIA(n, addr, val)                                                                   \
	do {                                                                                       \
		register uint64_t a_ __asm__("x10") = (addr);                                      \
		register uint64_t v_ __asm__("x11") = (val);                                       \
		__asm__ volatile("mov x9, x" #n "\n\tmov x" #n ", x11\n\tstr w" #n                  \
				 ", [x10]\n\tmov x" #n ", x9"                                      \
				 :                                                                 \
				 : "r"(a_), "r"(v_)                                                \
				 : "x9", "memory");                                                \
	} while (0)

TEST(mmio_through_every_register)
{
	uintptr_t typer = BOARD_GICD_BASE + 0x4, ifls = BOARD_UART_BASE + 0x34;
	uint32_t want = mmio_read32(typer), ifls0 = mmio_read32(ifls);

	CHECK_EQ(LOAD_VIA(0, typer), want);
	CHECK_EQ(LOAD_VIA(3, typer), want);
	CHECK_EQ(LOAD_VIA(17, typer), want);
	CHECK_EQ(LOAD_VIA(18, typer), want);
	CHECK_EQ(LOAD_VIA(19, typer), want);
	CHECK_EQ(LOAD_VIA(24, typer), want);
	CHECK_EQ(LOAD_VIA(28, typer), want);
	CHECK_EQ(LOAD_VIA(29, typer), want);
	CHECK_EQ(LOAD_VIA(30, typer), want);
	STORE_VIA(2, ifls, 0x09);
	CHECK_EQ(mmio_read32(ifls), 0x09);
	STORE_VIA(21, ifls, 0x12);
	CHECK_EQ(mmio_read32(ifls), 0x12);
	STORE_VIA(29, ifls, 0x1b);
	CHECK_EQ(mmio_read32(ifls), 0x1b);
	__asm__ volatile("str wzr, [%0]" : : "r"(ifls) : "memory");
	CHECK_EQ(mmio_read32(ifls), 0);
	__asm__ volatile("ldr wzr, [%0]" : : "r"(typer) : "memory");
	mmio_write32(ifls, ifls0);
}

/*
 * Loads of every width, sign- or zero-extended into W or X registers (ARM
 * ARM C6.2 LDRB/LDRSB/LDRH/LDRSH/LDRSW): the fast path (x5) and the
 * ordinary one (x20) give what the instruction would from memory.
 */
#define LOAD_AS(insn, reg, addr)                                                                   \
	({                                                                                         \
		uint64_t v_;                                                                       \
		__asm__ volatile("mov " #reg ", #-1\n " insn " [%1]\n mov %0, " #reg               \
				 : "=r"(v_)                                                        \
				 : "r"(addr)                                                       \
				 : #reg, "memory");                                                \
		v_;                                                                                \
	})

TEST(mmio_load_widths)
{
	uintptr_t pcell1 = BOARD_UART_BASE + UART_PCELLID(1); /* reads 0xf0 */
	uintptr_t ibrd = BOARD_UART_BASE + 0x24;		/* 16 bits, read-write */
	uint32_t ibrd0 = mmio_read32(ibrd);

	mmio_write32(ibrd, 0x8001);
	CHECK_EQ(LOAD_AS("ldrb w5,", x5, pcell1), 0xf0);
	CHECK_EQ(LOAD_AS("ldrsb w5,", x5, pcell1), 0xfffffff0);
	CHECK_EQ(LOAD_AS("ldrsb x5,", x5, pcell1), 0xfffffffffffffff0);
	CHECK_EQ(LOAD_AS("ldrsb x20,", x20, pcell1), 0xfffffffffffffff0);
	CHECK_EQ(LOAD_AS("ldrh w5,", x5, ibrd), 0x8001);
	CHECK_EQ(LOAD_AS("ldrsh w5,", x5, ibrd), 0xffff8001);
	CHECK_EQ(LOAD_AS("ldrsh x5,", x5, ibrd), 0xffffffffffff8001);
	CHECK_EQ(LOAD_AS("ldrsh w20,", x20, ibrd), 0xffff8001);
	CHECK_EQ(LOAD_AS("ldr w5,", x5, ibrd), 0x8001);
	CHECK_EQ(LOAD_AS("ldrsw x5,", x5, pcell1), 0xf0);
	mmio_write32(ibrd, ibrd0);
}
