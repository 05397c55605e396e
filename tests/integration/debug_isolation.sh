#!/bin/bash
# timeout: 150
# Hardware breakpoints stay in the VM that set them: two VMs on one physical
# CPU, one with a breakpoint on a function, the other calling the function at
# the same address with debug exceptions enabled (guests/tests/debug_isolation.c).
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/debug_isolation.bin
facet_boot "$LOG" 120 --smp 1 "$CONFIGS/debug-set.cfg" "$CONFIGS/debug-check.cfg"
wait_for "$LOG" '^\(facet\) every VM is off: powering off' 110 || fail "the VMs did not finish"
for vm in dbgset dbgcheck; do
	expect_count "$LOG" "^\[$vm\] FACET-GUEST debug_isolation DONE passed=1 failed=0" 1 1 ||
		fail "$vm: $(tr -d '\r' < "$LOG" | grep -E "^\[$vm\] (TEST|debug_isolation)" | tail -2)"
done
stop_qemu
