# The hypervisor: build/facet.bin, an arm64 Image that runs at EL2.
# C library: Debian's picolibc; device trees: Debian's libfdt (arm64, static,
# from the build-local sysroot that scripts/setup.sh fills).

HYP_CC := $(CROSS)gcc
HYP_OBJCOPY := $(CROSS)objcopy
PICOLIBC := /usr/lib/picolibc/aarch64-linux-gnu
HYP_LIBDIR := $(SYSROOT)/usr/lib/aarch64-linux-gnu

HYP_SRCS := $(wildcard arch/aarch64/*.S arch/aarch64/*.c core/*.c platform/qemu-virt/*.c \
	drivers/*.c vdev/*.c)
HYP_SRCS := $(filter-out arch/aarch64/asm-offsets.c,$(HYP_SRCS))
HYP_OBJS := $(patsubst %,build/hyp/%.o,$(HYP_SRCS))

# -mgeneral-regs-only: EL2 never touches FP/SIMD registers, so a trap does not
# have to save the guest's; the vCPU switch does (arch/aarch64/fpsimd.S).
# Built for size (facet.bin must stay within 64 KiB): -Os with link-time
# optimisation, no frame pointers (nothing walks them), and the tiny code
# model (one ADR per address: the image, bss included, is far below 1 MiB;
# the link fails if it ever is not).
HYP_CFLAGS := -std=c11 -Os -flto -fomit-frame-pointer -mcmodel=tiny -g -ffreestanding -fno-pic -fno-pie -mgeneral-regs-only \
	-mstrict-align -mno-outline-atomics -fno-stack-protector -fno-common -ffunction-sections -fdata-sections \
	-Wall -Wextra -Werror -Wshadow -Wmissing-prototypes -Wstrict-prototypes -Wvla \
	-Wno-unused-parameter \
	-isystem $(PICOLIBC)/include -isystem $(SYSROOT)/usr/include \
	-Iinclude -I. -Ibuild/hyp/include -DFACET_HYP=1 -MMD -MP
# For compiling to assembly that scripts read (asm-offsets, mk/bench.mk's footprint):
# no dependency files, and real assembly rather than LTO bytecode.
HYP_ASM_CFLAGS = $(filter-out -MMD -MP -flto,$(HYP_CFLAGS))

# Cortex-A53 erratum 843419: fixed by rewriting ADRP to ADR (everything is within
# its 1 MiB reach), never by the default's stubs, which can leave a 4 KiB hole.
HYP_LDFLAGS := -nostdlib -static -no-pie -Wl,--gc-sections -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,--fix-cortex-a53-843419=adr -Wl,-T,arch/aarch64/facet.ld -Wl,--defsym=vfprintf=__i_vfprintf
HYP_LIBS := $(HYP_LIBDIR)/libfdt.a $(HYP_LIBDIR)/libbearssl.a $(PICOLIBC)/lib/libc.a -lgcc

.PHONY: hyp
hyp: build/facet.bin

build/hyp/include/asm-offsets.h: arch/aarch64/asm-offsets.c $(wildcard core/*.h arch/aarch64/*.h)
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	@$(HYP_CC) $(HYP_ASM_CFLAGS) -S -o $@.s $<
	@sed -n 's/.*@@OFFSET \([A-Z0-9_]*\) #\{0,1\}\([0-9-]*\).*/#define \1 \2/p' $@.s > $@.tmp
	@(echo '/* Generated from arch/aarch64/asm-offsets.c: do not edit. */'; cat $@.tmp) > $@
	@rm -f $@.s $@.tmp

build/hyp/%.S.o: %.S build/hyp/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  AS      $<"
	@$(HYP_CC) $(HYP_CFLAGS) -D__ASSEMBLY__ -c -o $@ $<

# New flags here rebuild every object.
$(HYP_OBJS): mk/hyp.mk

build/hyp/%.c.o: %.c build/hyp/include/asm-offsets.h
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	@$(HYP_CC) $(HYP_CFLAGS) -c -o $@ $<

build/facet.elf: $(HYP_OBJS) arch/aarch64/facet.ld
	@echo "  LD      $@"
	@$(HYP_CC) $(HYP_CFLAGS) $(HYP_LDFLAGS) -o $@ $(HYP_OBJS) $(HYP_LIBS)
	@# EL2 must not use FP/SIMD registers outside the vCPU switch: they hold the guest's.
	@scripts/check-no-simd.sh $@

build/facet.bin: build/facet.elf
	@$(HYP_OBJCOPY) -O binary $< $@
	@$(CROSS)size $<

-include $(HYP_OBJS:.o=.d)
