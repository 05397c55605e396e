#!/bin/bash
# timeout: 200
# Two VMs share one physical CPU (--smp 1), each with its own values in the
# FP/SIMD registers across many switches between them: neither sees the other's.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/fpsimd.bin
facet_boot "$LOG" 150 --smp 1 "$CONFIGS/fpsimd1.cfg" "$CONFIGS/fpsimd2.cfg"
wait_for "$LOG" '^\(facet\) every VM is off: powering off' 140 || fail "the VMs did not finish"
for vm in fpsimd1 fpsimd2; do
	expect_count "$LOG" "^\[$vm\] FACET-GUEST fpsimd DONE passed=1 failed=0" 1 1 ||
		fail "$vm: $(tr -d '\r' < "$LOG" | grep -E "^\[$vm\] TEST .*FAIL" | head -2)"
done
stop_qemu
