# facet: top-level build.
#
#   make run     install what is missing, build everything, boot the default demo
#   make test    install what is missing, build everything, run every test
#   make bench   trap-path and boot figures (see docs/performance.md)
#   make fuzz    fuzz the persona-package reader for FUZZ_SECONDS (mk/fuzz.mk)
#
# Each part of the tree has its fragment in mk/: the hypervisor (hyp.mk), the
# host tool (tool.mk), the guests (guests.mk), the host unit tests (unit.mk),
# the fuzz target (fuzz.mk).

SYSROOT := build/sysroot
CROSS := aarch64-linux-gnu-
HOSTCC ?= gcc

.PHONY: all setup run test unit integration bench clean format-check fuzz
all: hyp tool guests

setup:
	@scripts/setup.sh

# The demo VMs as signed persona packages (scripts/demo.sh).
run: setup
	@$(MAKE) --no-print-directory all
	scripts/demo.sh

test: setup
	@$(MAKE) --no-print-directory all unit-bins fuzz-bin
	@tests/run.sh

bench: all bench-bins
	@scripts/bench.sh

fuzz: setup
	@$(MAKE) --no-print-directory fuzz-run

clean:
	rm -rf build/hyp build/host build/guests build/unit build/linux build/fuzz build/bench \
		build/demo build/facet build/facet.bin build/facet.elf

include mk/hyp.mk
include mk/tool.mk
include mk/guests.mk
include mk/unit.mk
include mk/bench.mk
include mk/fuzz.mk
