#!/bin/bash
# timeout: 120
# The hypervisor validates the boot image again: a VM the host tool would have
# refused (packed with --no-check: 9 vCPUs) and a VM larger than the machine's
# free memory are each refused with a message naming them, and the good VM in
# the same boot image boots and passes its tests.
. "$(dirname "$0")/lib.sh"

require_files build/facet.bin build/guests/hello.bin
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
printf 'name = "nine"\nkernel = "%s"\nmemory = 16\nvcpus = 9\n' "$T_ROOT/build/guests/ticker.bin" > "$W/nine.cfg"
printf 'name = "huge"\nkernel = "%s"\nmemory = 1024\n' "$T_ROOT/build/guests/ticker.bin" > "$W/huge.cfg"
"$FACET" pack --no-check -o "$W/boot.img" "$W/nine.cfg" "$W/huge.cfg" "$CONFIGS/hello.cfg" ||
	fail "facet pack --no-check failed"

LOG=$T_CONSOLE
timeout 100 qemu-system-aarch64 -M virt,virtualization=on,gic-version=3 -cpu max -smp 2 -m 512 \
	-nic none -display none -monitor none -serial stdio \
	-kernel build/facet.bin -initrd "$W/boot.img" < /dev/null > "$LOG" 2>&1
FACET_LOG=$LOG
expect_count "$LOG" "^\(facet\) refusing vm 'nine': vcpus = 9" 1 1 || fail "VM nine was not refused for its vCPUs"
expect_count "$LOG" '^\(facet\) refusing VM huge: not enough free memory' 1 1 || fail "VM huge was not refused for its memory"
expect_count "$LOG" '^\[(nine|huge)\]' 0 0 || fail "a refused VM ran"
expect_count "$LOG" '^\[hello\] FACET-GUEST hello DONE .* failed=0' 1 1 || fail "hello did not pass"
expect_count "$LOG" '^\(facet\) every VM is off: powering off' 1 1 || fail "facet did not power off at the end"
exit 0
