#!/bin/bash
# timeout: 150
# SGIs between the 4 vCPUs of a VM, by target list and by IRM=1 (all but
# self), each arrive exactly once and only where sent (guests/tests/sgi.c).
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/sgi.bin
facet_boot "$LOG" 120 "$CONFIGS/sgi.cfg"
wait_for "$LOG" '^\[sgi\] FACET-GUEST sgi (DONE|PANIC)' 120 || fail "sgi did not finish"
expect_count "$LOG" '^\[sgi\] FACET-GUEST sgi DONE passed=[1-9][0-9]* failed=0' 1 1 ||
	fail "sgi reported failures: $(tr -d '\r' < "$LOG" | grep -E 'TEST .*: FAIL|PANIC' | head -5)"
stop_qemu
