# facet: top-level build.
#
#   make run     install what is missing, build everything, boot the default demo
#   make test    install what is missing, build everything, run every test
#   make bench   trap-path and boot figures (see docs/performance.md)
#
# Each part of the tree has its fragment in mk/: the hypervisor (hyp.mk), the
# host tool (tool.mk), the guests (guests.mk), the host unit tests (unit.mk).

SYSROOT := build/sysroot
CROSS := aarch64-linux-gnu-
HOSTCC ?= gcc

.PHONY: all setup run test unit integration bench clean format-check
all: hyp tool guests

setup:
	@scripts/setup.sh

run: setup
	@$(MAKE) --no-print-directory all
	build/facet run configs/demo/*.cfg

test: setup
	@$(MAKE) --no-print-directory all unit-bins
	@tests/run.sh

clean:
	rm -rf build/hyp build/host build/guests build/unit build/linux build/facet build/facet.bin build/facet.elf

include mk/hyp.mk
include mk/tool.mk
include mk/guests.mk
include mk/unit.mk
