/*
 * The facet boot image: the one file the host tool (`facet`) builds from VM
 * config files and the hypervisor reads at boot (QEMU hands it over as the
 * -initrd; the hypervisor finds it through /chosen/linux,initrd-start/end).
 *
 * Layout (all offsets are from the start of the boot image):
 *   0x0       a flattened device tree, "the manifest" (Devicetree Spec 0.4, ch. 5)
 *   4 KiB-aligned offsets after it: the guest images the manifest points at.
 *             An image used by several VMs is stored once.
 *
 * Manifest nodes and properties:
 *   / {
 *       compatible = "facet,boot-image";
 *       facet,format-version = <1>;
 *       trust {                          optional: who may sign persona packages
 *           key@0 {                      one node per key, at most MANIFEST_MAX_KEYS
 *               public-key = [04 ...];   65 bytes: uncompressed P-256 point (SEC 1, 2.3.3)
 *               roles = <0x2>;           bit (1 << role) per role it may sign
 *                                        (include/abi/persona.h: system 0, persona 1, appliance 2)
 *               label = "enterprise";    optional, for messages
 *           };
 *       };
 *       vms {
 *           vm@0 {                       one node per VM, in config order
 *               name = "work";           1..15 chars of [A-Za-z0-9_-], unique
 *               memory-mib = <256>;      guest RAM in MiB, 1..MANIFEST_MAX_MEMORY_MIB
 *               vcpus = <2>;             1..BOARD_MAX_VCPUS
 *               kernel = <off-hi off-lo size-hi size-lo>;   required, size > 0
 *               initrd = <off-hi off-lo size-hi size-lo>;   optional, size > 0
 *               cmdline = "console=ttyAMA0";                optional, < MANIFEST_CMDLINE_MAX chars
 *               source = "configs/work.cfg";  optional: config file it came from (messages)
 *           };
 *           vm@1 {                       a VM from a signed persona package instead
 *               package = <off-hi off-lo size-hi size-lo>;  the package file, stored whole
 *               min-rollback = <0 5>;    optional (default 0): lowest rollback index accepted
 *               source = "work.pkg";     optional (messages)
 *           };                           (no other property: the package's own signed
 *                                        manifest says name, memory, images, ...)
 *       };
 *   };
 * The trust list and rollback floors are the device's own configuration: on a
 * phone the boot image that carries them is covered by verified boot, as
 * facet.bin is; the packages inside are what an enterprise or user brings,
 * and each is refused unless its signature, role and hashes check out.
 * Properties not marked optional are required. Cells are big-endian, as in
 * any FDT; a 64-bit value is two cells, high first. An image's offset is a
 * multiple of MANIFEST_IMAGE_ALIGN, at or after the end of the manifest
 * (its totalsize), and offset + size lies within the boot image.
 * A reader refuses a format version it does not know, and refuses a VM node
 * with a property it does not know or has twice (the format has no optional
 * extensions yet).
 */
#ifndef FACET_ABI_MANIFEST_H
#define FACET_ABI_MANIFEST_H

#define MANIFEST_COMPATIBLE "facet,boot-image"
#define MANIFEST_FORMAT_VERSION 1
#define MANIFEST_IMAGE_ALIGN 4096UL
#define MANIFEST_MAX_VMS 8
#define MANIFEST_NAME_MAX 15
#define MANIFEST_CMDLINE_MAX 1024
#define MANIFEST_MAX_MEMORY_MIB 4096
#define MANIFEST_MAX_KEYS 8

#endif
