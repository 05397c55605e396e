#!/bin/bash
# timeout: 150
# Three always-busy vCPUs and a sleeping one share a single physical CPU
# (--smp 1): every busy vCPU gets to run (time slices end, vCPUs rotate).
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/busy_vcpus.bin
facet_boot "$LOG" 120 --smp 1 "$CONFIGS/busy_vcpus.cfg"
wait_for "$LOG" '^\[busy_vcpus\] FACET-GUEST busy_vcpus (DONE|PANIC)' 120 ||
	fail "busy_vcpus did not finish"
tr -d '\r' < "$LOG" | grep -E '^\[busy_vcpus\] busy_vcpus: CPU' || true
expect_count "$LOG" '^\[busy_vcpus\] FACET-GUEST busy_vcpus DONE passed=1 failed=0' 1 1 ||
	fail "busy_vcpus: $(tr -d '\r' < "$LOG" | grep -E 'TEST .*: FAIL|PANIC' | head -3)"
stop_qemu
