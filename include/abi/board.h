/*
 * The virtual board every facet VM sees. It mirrors QEMU's "virt" machine
 * (hw/arm/virt.c memory map, GICv3 variant) so that a kernel that boots on
 * plain QEMU virt boots unchanged under facet. Shared by the hypervisor, the
 * host tool and the bare-metal test guests.
 */
#ifndef FACET_ABI_BOARD_H
#define FACET_ABI_BOARD_H

/* Guest RAM starts where QEMU virt puts it. */
#define BOARD_RAM_BASE 0x40000000UL

/* GICv3 distributor: 64 KiB. GIC architecture spec (IHI 0069), 12.8. */
#define BOARD_GICD_BASE 0x08000000UL
#define BOARD_GICD_SIZE 0x00010000UL

/*
 * Redistributors: one RD_base + SGI_base frame pair (2 x 64 KiB) per vCPU,
 * contiguous from here, as on QEMU virt. GIC spec 12.10.
 */
#define BOARD_GICR_BASE 0x080A0000UL
#define BOARD_GICR_STRIDE 0x00020000UL

/* PL011 UART, 4 KiB. ARM PrimeCell UART (PL011) TRM, 3.2. */
#define BOARD_UART_BASE 0x09000000UL
#define BOARD_UART_SIZE 0x00001000UL

/* Interrupt ids (GIC INTIDs). QEMU virt: UART is SPI 1 (INTID 33). */
#define BOARD_UART_INTID 33
/* Generic timer PPIs, as QEMU virt describes them (ARM ARM D11.2, SBSA). */
#define BOARD_TIMER_SEC_PHYS_INTID 29
#define BOARD_TIMER_PHYS_INTID 30
#define BOARD_TIMER_VIRT_INTID 27
#define BOARD_TIMER_HYP_INTID 26
/* GICv3 maintenance interrupt PPI (QEMU virt: PPI 9). */
#define BOARD_GIC_MAINT_INTID 25

/* Where facet places a guest's kernel when it has no arm64 Image header. */
#define BOARD_RAW_LOAD_OFFSET 0x80000UL

/* Limits of the virtual board. */
#define BOARD_MAX_VCPUS 4
/* SPIs 32..95 exist (GICD_TYPER.ITLinesNumber = 2). */
#define BOARD_NR_IRQS 96

#endif
