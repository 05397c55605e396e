# Guests: the bare-metal test guests and the system VM (build/guests/<name>.bin,
# each an arm64 Image), and the Linux guest (build/linux/Image and initramfs).
#
# A guest is one C file: guests/tests/<name>.c or guests/system/<name>.c,
# linked with the guest library (guests/lib, built as an archive so that a
# guest with its own main() does not pull in the test runner's).

GUEST_CC := $(CROSS)gcc
GUEST_AR := $(CROSS)ar
GUEST_OBJCOPY := $(CROSS)objcopy

# -mstrict-align: the guests run with the MMU off, where every access is to
#  Device memory and must be aligned.
# -mno-outline-atomics: atomics inline, not through libgcc's run-time LSE probe.
# -fno-tree-loop-distribute-patterns: memset/memcpy loops stay loops (lib/string.c).
GUEST_CFLAGS := -std=c11 -O2 -g -ffreestanding -fno-builtin -nostdlib -fno-pic -fno-pie \
	-mstrict-align -mno-outline-atomics -fno-stack-protector -fno-common \
	-fno-tree-loop-distribute-patterns -fno-toplevel-reorder -ffunction-sections \
	-Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla \
	-Wno-unused-parameter -Iinclude -Iguests/lib -MMD -MP
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments -Wl,-T,guests/lib/guest.ld

GUEST_LIB_SRCS := $(wildcard guests/lib/*.c guests/lib/*.S)
GUEST_LIB_SRCS := $(filter-out guests/lib/image_name.c,$(GUEST_LIB_SRCS))
GUEST_LIB_OBJS := $(patsubst %,build/guests/obj/%.o,$(GUEST_LIB_SRCS))
GUEST_LIB := build/guests/libguest.a

GUEST_SRCS := $(wildcard guests/tests/*.c guests/system/*.c)
GUEST_NAMES := $(basename $(notdir $(GUEST_SRCS)))
GUEST_BINS := $(GUEST_NAMES:%=build/guests/%.bin)

LINUX_IMAGE := build/linux/Image
LINUX_INITRAMFS := build/linux/initramfs.cpio.gz

.PHONY: guests guest-bins linux
guests: guest-bins linux
guest-bins: $(GUEST_BINS)
linux: $(LINUX_IMAGE) $(LINUX_INITRAMFS)

build/guests/obj/%.c.o: %.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

build/guests/obj/%.S.o: %.S
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -c -o $@ $<

$(GUEST_LIB): $(GUEST_LIB_OBJS)
	@rm -f $@
	$(GUEST_AR) rcs $@ $^

build/guests/obj/name-%.o: guests/lib/image_name.c
	@mkdir -p $(dir $@)
	$(GUEST_CC) $(GUEST_CFLAGS) -DGUEST_IMAGE_NAME='"$*"' -c -o $@ $<

# build/guests/<name>.elf from whichever of guests/tests, guests/system holds <name>.c.
define guest_rule
build/guests/$(1).elf: build/guests/obj/$(2).o build/guests/obj/name-$(1).o $(GUEST_LIB) guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $$@ build/guests/obj/$(2).o \
		build/guests/obj/name-$(1).o $(GUEST_LIB) -lgcc
endef
$(foreach s,$(GUEST_SRCS),$(eval $(call guest_rule,$(basename $(notdir $(s))),$(s))))

build/guests/%.bin: build/guests/%.elf
	$(GUEST_OBJCOPY) -O binary $< $@

# The Debian arm64 kernel package's vmlinuz is a plain (uncompressed) arm64 Image.
LINUX_VMLINUZ := $(firstword $(wildcard $(SYSROOT)/boot/vmlinuz-*))
$(LINUX_IMAGE): $(LINUX_VMLINUZ)
	@test -n "$(LINUX_VMLINUZ)" || { echo "no $(SYSROOT)/boot/vmlinuz-*: run make setup" >&2; exit 1; }
	@mkdir -p $(dir $@)
	cp $(LINUX_VMLINUZ) $@

$(LINUX_INITRAMFS): scripts/mkinitramfs.sh $(wildcard $(SYSROOT)/bin/busybox)
	scripts/mkinitramfs.sh $@

-include $(GUEST_LIB_OBJS:.o=.d) $(GUEST_SRCS:%=build/guests/obj/%.d)
