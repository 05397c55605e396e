/*
 * Building VMs from the boot image, loading their images, and their
 * lifecycle (power-off and reset act on one VM; the others keep running).
 */
#include <string.h>

#include "abi/board.h"
#include "arch/aarch64/bulk.h"
#include "core/console.h"
#include "core/crypto.h"
#include "core/kimage.h"
#include "core/log.h"
#include "core/mm.h"
#include "core/run.h"
#include "core/sched.h"
#include "core/vdtb.h"
#include "core/vm.h"
#include "drivers/gicv3.h"
#include "platform/qemu-virt/platform.h"

struct vm vms[MAX_VMS];
unsigned nr_vms;
extern struct mm phys_mm;

static const uint8_t *boot_image;
/* The device's trust list for persona packages (the boot image's /trust node). */
static struct persona_trusted_key trusted[MANIFEST_MAX_KEYS];
static unsigned nr_trusted;

/* The device tree's buffer, at the bottom of the top 2 MiB of guest RAM (core/kimage.h). */
#define DTB_MAX KiB(64)

void *vm_ipa_to_ptr(struct vm *vm, uint64_t addr, uint64_t len)
{
	if (addr < BOARD_RAM_BASE || len > vm->ram_size ||
	    addr - BOARD_RAM_BASE > vm->ram_size - len)
		return NULL;
	return pa_to_ptr(pa(vm->ram.pa + (addr - BOARD_RAM_BASE)));
}

static void *alloc_table(void *ctx)
{
	uint64_t p = mm_alloc_page(&phys_mm);
	if (!p)
		return NULL;
	memset(pa_to_ptr(pa(p)), 0, KiB(4));
	return pa_to_ptr(pa(p));
}

static void uart_tx(void *owner, uint8_t c)
{
	console_vm_putc(owner, c);
}

static void uart_irq(void *owner, bool level)
{
	struct vm *vm = owner;
	vgic_set_level(&vm->vgic, 0, BOARD_UART_INTID, level);
}

static void vgic_notify(void *owner, unsigned vcpu)
{
	struct vm *vm = owner;
	if (vcpu < vm->nr_vcpus)
		vcpu_kick(&vm->vcpu[vcpu]);
}

/*
 * Copy the images into guest RAM and write the device tree. Guest RAM is
 * cleared first: a reset VM starts from its images with nothing left over.
 */
int vm_load(struct vm *vm)
{
	const struct vm_config *c = &vm->cfg;
	uint8_t *ram = pa_to_ptr(vm->ram);
	const uint8_t *kernel = boot_image + c->kernel_offset;
	struct kimage k;
	struct kimage_layout l;
	const char *why;

	bulk_zero(ram, vm->ram_size);
	if (kimage_inspect(kernel, c->kernel_size < KIMAGE_HEAD_SIZE ? c->kernel_size : KIMAGE_HEAD_SIZE,
			   c->kernel_size, &k, &why)) {
		LOG("refusing VM %s: its kernel %s", vm->name, why);
		return -1;
	}
	/* bulk_copy wants an 8-byte aligned destination; booting.rst asks for more. */
	if (kimage_fit(&k, vm->ram_size, c->initrd_size, &l) != KIMAGE_FITS || (k.load_offset & 7)) {
		LOG("refusing VM %s: %u MiB of memory cannot hold its kernel, initrd and device tree",
		    vm->name, c->memory_mib);
		return -1;
	}
	uint64_t load = k.load_offset, dtb_off = l.dtb_offset, initrd_off = l.initrd_offset;
	bulk_copy(ram + load, kernel, c->kernel_size);
	if (c->initrd_size)
		bulk_copy(ram + initrd_off, boot_image + c->initrd_offset, c->initrd_size);

	struct vdtb_params dp = {
		.ram_base = BOARD_RAM_BASE,
		.ram_size = vm->ram_size,
		.nr_vcpus = vm->nr_vcpus,
		.cmdline = c->cmdline,
		.initrd_start = c->initrd_size ? BOARD_RAM_BASE + initrd_off : 0,
		.initrd_size = c->initrd_size,
	};
	int err = vdtb_build(ram + dtb_off, DTB_MAX, &dp);
	if (err) {
		LOG("refusing VM %s: cannot build its device tree (libfdt error %d)", vm->name, err);
		return -1;
	}
	vm->entry = BOARD_RAM_BASE + load;
	vm->dtb = BOARD_RAM_BASE + dtb_off;

	vgic_init(&vm->vgic, vm->nr_vcpus, vgic_notify, vm);
	vpl011_init(&vm->uart, uart_tx, uart_irq, vm);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *v = &vm->vcpu[i];
		vcpu_reset(v, 0, 0);
		v->power = VCPU_OFF;
	}
	vcpu_reset(&vm->vcpu[0], vm->entry, vm->dtb);
	vm->vcpu[0].power = VCPU_ON;
	vm->state = VM_RUNNING;
	return 0;
}

/*
 * A package VM: check everything persona_verify checks (signature by a key
 * trusted for the package's role, rollback index, every image's hash), then
 * describe the VM from the package's own, now authenticated, manifest.
 */
static int vm_config_from_package(struct vm_config *cfg)
{
	const uint8_t *pkg = boot_image + cfg->package_offset;
	const char *from = cfg->source[0] ? cfg->source : "a package";
	struct persona_policy policy = {trusted, nr_trusted, cfg->min_rollback};
	struct persona p;
	struct persona_error perr;

	if (persona_verify(pkg, cfg->package_size, &policy, &el2_crypto, &p, &perr) != PERSONA_OK) {
		LOG("refusing package %s: %s", from, perr.msg);
		return -1;
	}
	const struct persona_manifest *m = &p.manifest;
	if (m->ndevices) {
		LOG("refusing package %s (%s): it asks for device '%s', which this board does not "
		    "give", from, m->name, m->devices[0]);
		return -1;
	}
	if (m->images[PERSONA_IMAGE_DTB].present) {
		LOG("refusing package %s (%s): it brings its own device tree, which facet does not "
		    "use yet", from, m->name);
		return -1;
	}
	memcpy(cfg->name, m->name, sizeof(cfg->name));
	cfg->memory_mib = m->memory_mib;
	cfg->vcpus = m->vcpus;
	cfg->cmdline = m->cmdline;
	cfg->kernel_offset = cfg->package_offset + m->images[PERSONA_IMAGE_KERNEL].offset;
	cfg->kernel_size = m->images[PERSONA_IMAGE_KERNEL].size;
	if (m->images[PERSONA_IMAGE_INITRD].present) {
		cfg->initrd_offset = cfg->package_offset + m->images[PERSONA_IMAGE_INITRD].offset;
		cfg->initrd_size = m->images[PERSONA_IMAGE_INITRD].size;
	}
	LOG("package %s: %s '%s' of %s, rollback index %lu, signature and hashes verified", from,
	    persona_role_name(m->role), m->name, m->owner, (unsigned long)m->rollback_index);
	return 0;
}

static void vm_create(const void *image, size_t size, int node, struct pcpu *const *pcpus,
		      unsigned npcpus)
{
	char err[160];
	struct vm *vm = &vms[nr_vms];
	struct vm_config cfg;

	if (manifest_parse_vm(image, size, node, &cfg, err, sizeof(err))) {
		LOG("refusing %s", err);
		return;
	}
	if (cfg.package && vm_config_from_package(&cfg))
		return;
	/*
	 * No range check of memory-mib and vcpus here: both readers (manifest
	 * and persona) hold them to 1..MANIFEST_MAX_MEMORY_MIB and
	 * 1..BOARD_MAX_VCPUS (the size of vm->vcpu).
	 */
	for (unsigned i = 0; i < nr_vms; i++) {
		if (!strcmp(vms[i].name, cfg.name)) {
			LOG("refusing VM %s: a VM of that name already exists", cfg.name);
			return;
		}
	}
	memset(vm, 0, sizeof(*vm));
	vm->cfg = cfg;
	memcpy(vm->name, cfg.name, sizeof(vm->name));
	vm->id = nr_vms + 1;
	vm->ram_size = MiB(cfg.memory_mib);
	vm->nr_vcpus = cfg.vcpus;
	uint64_t ram = mm_alloc(&phys_mm, vm->ram_size, MiB(2));
	if (!ram) {
		LOG("refusing VM %s: not enough free memory for %u MiB", vm->name, cfg.memory_mib);
		return;
	}
	vm->ram = pa(ram);
	if (stage2_init(&vm->s2, alloc_table, NULL) ||
	    stage2_map(&vm->s2, ipa(BOARD_RAM_BASE), vm->ram, vm->ram_size)) {
		LOG("refusing VM %s: out of memory for its stage-2 tables", vm->name);
		return;
	}
	/* VTTBR_EL2: table base, VMID in bits [55:48] (ARM ARM D13.2.152). */
	vm->vttbr = ptr_to_pa(vm->s2.root).pa | ((uint64_t)vm->id << 48);
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		vm->vcpu[i].vm = vm;
		vm->vcpu[i].id = i;
	}
	if (vm_load(vm))
		return;
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		sched_assign(pcpus, npcpus, &vm->vcpu[i]);
	nr_vms++;
	LOG("VM %s: %u MiB at %#lx, %u vCPU%s, from %s", vm->name, cfg.memory_mib,
	    (unsigned long)ram, vm->nr_vcpus, vm->nr_vcpus > 1 ? "s" : "",
	    cfg.source[0] ? cfg.source : "the boot image");
}

void vm_create_all(const void *image, size_t size)
{
	char err[160];
	struct pcpu *pcpus[MAX_PCPUS];

	for (unsigned i = 0; i < nr_pcpus; i++)
		pcpus[i] = &pcpu_stacks[i].pcpu;
	boot_image = image;
	if (manifest_check(image, size, err, sizeof(err))) {
		LOG("no VMs: the boot image is not valid: %s", err);
		return;
	}
	int n = manifest_trust(image, trusted, MANIFEST_MAX_KEYS, err, sizeof(err));
	if (n < 0) {
		LOG("trust list refused, no package will run: %s", err);
		n = 0;
	}
	nr_trusted = (unsigned)n;
	for (int node = manifest_next_vm(image, -1); node >= 0 && nr_vms < MAX_VMS;
	     node = manifest_next_vm(image, node))
		vm_create(image, size, node, pcpus, nr_pcpus);
}

void vm_power_off(struct vcpu *v, bool reset)
{
	struct vm *vm = v->vm;

	spin_lock(&vm->lock);
	if (vm->state != VM_RUNNING) {
		spin_unlock(&vm->lock);
		return;
	}
	vm->state = VM_STOPPING;
	vm->reset_requested = reset;
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		struct vcpu *t = &vm->vcpu[i];
		spin_lock(&t->pcpu->lock);
		t->power = VCPU_OFF;
		spin_unlock(&t->pcpu->lock);
	}
	spin_unlock(&vm->lock);
	LOG("VM %s: %s", vm->name, reset ? "system reset" : "powered off");
	/* Every pCPU running one of its vCPUs unloads it; the last one finishes. */
	for (unsigned i = 0; i < vm->nr_vcpus; i++)
		if (vm->vcpu[i].pcpu != this_pcpu())
			gicv3_send_sgi(vm->vcpu[i].pcpu->mpidr, SGI_KICK);
}

void vm_vcpu_stopped(struct vcpu *v)
{
	struct vm *vm = v->vm;
	bool reset;

	spin_lock(&vm->lock);
	if (vm->state != VM_STOPPING) {
		spin_unlock(&vm->lock);
		return;
	}
	for (unsigned i = 0; i < vm->nr_vcpus; i++) {
		if (__atomic_load_n(&vm->vcpu[i].running, __ATOMIC_ACQUIRE)) {
			spin_unlock(&vm->lock);
			return;
		}
	}
	vm->state = VM_OFF;
	reset = vm->reset_requested;
	spin_unlock(&vm->lock);
	if (!reset) {
		for (unsigned i = 0; i < nr_vms; i++)
			if (vms[i].state != VM_OFF)
				return;
		LOG("every VM is off: powering off");
		platform_system_off();
	}
	/* Nothing of the VM runs any more: clear and reload it, then start vCPU 0. */
	spin_lock(&vm->lock);
	int err = vm_load(vm);
	if (!err)
		vcpu_kick(&vm->vcpu[0]);
	spin_unlock(&vm->lock);
	if (err)
		LOG("VM %s: reset failed, left powered off", vm->name);
}
