# The benchmark (make bench, scripts/bench.sh, docs/performance.md):
#   build/guests/bench.bin      the benchmark guest (guests/bench/*.c, *.S)
#   build/bench/insncount.so    QEMU plugin: instruction counts at console bytes, or per address
#   build/bench/footprint.txt   sizeof the hypervisor's per-VM and per-vCPU state
# The guest is part of `guests`, so that every build keeps it compiling.

BENCH_GUEST_SRCS := $(wildcard guests/bench/*.S) guests/bench/bench.c
BENCH_GUEST_OBJS := $(patsubst %,build/guests/obj/%.o,$(BENCH_GUEST_SRCS))

.PHONY: bench-bins
guests: build/guests/bench.bin
bench-bins: build/guests/bench.bin build/bench/insncount.so build/bench/footprint.txt

build/guests/bench.elf: $(BENCH_GUEST_OBJS) build/guests/obj/name-bench.o $(GUEST_LIB) guests/lib/guest.ld
	$(GUEST_CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(BENCH_GUEST_OBJS) \
		build/guests/obj/name-bench.o $(GUEST_LIB) -lgcc

build/bench/insncount.so: guests/bench/insncount.c
	@mkdir -p $(dir $@)
	$(HOSTCC) -std=c11 -O2 -fPIC -shared -fvisibility=hidden -Wall -Wextra -Werror -Wno-unused-parameter \
		-Wmissing-prototypes -o $@ $<

build/bench/footprint.txt: guests/bench/footprint.c $(wildcard core/*.h arch/aarch64/*.h vdev/*.h)
	@mkdir -p $(dir $@)
	$(HYP_CC) $(HYP_ASM_CFLAGS) -S -o $@.s $<
	sed -n 's/.*@@SIZE \([a-z0-9_]*\) #\{0,1\}\([0-9]*\).*/\1 \2/p' $@.s > $@
	rm -f $@.s

-include $(BENCH_GUEST_OBJS:.o=.d)
