/*
 * A virtual machine: its memory, vCPUs, emulated devices and lifecycle.
 */
#ifndef FACET_CORE_VM_H
#define FACET_CORE_VM_H

#include "abi/board.h"
#include "arch/aarch64/stage2.h"
#include "core/manifest.h"
#include "core/pcpu.h"
#include "core/spinlock.h"
#include "core/vcpu.h"
#include "vdev/vgic.h"
#include "vdev/vpl011.h"

#define MAX_VMS MANIFEST_MAX_VMS

enum vm_state {
	VM_RUNNING,
	VM_STOPPING, /* SYSTEM_OFF or SYSTEM_RESET under way */
	VM_OFF,
};

struct vm {
	unsigned id; /* 1..: also the VMID */
	char name[MANIFEST_NAME_MAX + 1];
	enum vm_state state;
	/* Guards the vGIC, the vPL011 and the vCPUs' power state. */
	spinlock_t lock;
	/* The devices next to their lock: every trapped access addresses all three. */
	unsigned nr_vcpus;
	struct vpl011 uart;
	struct vgic vgic;
	struct vm_config cfg;
	paddr_t ram; /* host-physical base of guest RAM */
	uint64_t ram_size;
	uint64_t vttbr;
	struct stage2 s2;
	struct vcpu vcpu[BOARD_MAX_VCPUS];
	uint64_t entry, dtb; /* guest-physical kernel entry and device tree */
	bool reset_requested; /* with VM_STOPPING: start again once stopped */
	/* The console's view: line state for prefixing, and a VM without focus's line. */
	bool line_open;
	char linebuf[120];
	unsigned linelen, shown; /* buffered; of which already on the open console line */
};

extern struct vm vms[MAX_VMS];
extern unsigned nr_vms;

/* Builds every VM in the boot image; refuses bad ones with a message. */
void vm_create_all(const void *image, size_t image_size);
/* (Re)loads the VM's images and device tree, resets devices and vCPU 0. */
int vm_load(struct vm *vm);
/* PSCI SYSTEM_OFF / SYSTEM_RESET from vCPU v: acts on v's VM alone. */
void vm_power_off(struct vcpu *v, bool reset);
/* Called by a pCPU after it unloads v: finishes a VM's power-off or reset. */
void vm_vcpu_stopped(struct vcpu *v);
/* A guest-physical range as a hypervisor pointer, if it is all guest RAM. */
void *vm_ipa_to_ptr(struct vm *vm, uint64_t ipa, uint64_t len);

#endif
