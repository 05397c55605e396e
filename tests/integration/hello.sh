#!/bin/bash
# timeout: 150
# The hello test suite (firmware calls, UART, GIC, timer, SGI) passes under facet.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/hello.bin
facet_boot "$LOG" 120 "$CONFIGS/hello.cfg"
wait_for "$LOG" '^\[hello\] FACET-GUEST hello (DONE|PANIC)' 120 || fail "hello did not finish"
expect_count "$LOG" '^\[hello\] FACET-GUEST hello DONE passed=[1-9][0-9]* failed=0' 1 1 ||
	fail "hello reported failures: $(tr -d '\r' < "$LOG" | grep -E 'TEST .*: FAIL|PANIC' | head -5)"
stop_qemu
