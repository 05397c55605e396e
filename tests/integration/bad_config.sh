#!/bin/bash
# timeout: 150
# A bad config (vcpus = 9) is reported with its file, key and reason, and left
# out; the good VMs beside it boot and run.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/hello.bin build/guests/ticker.bin
facet_boot "$LOG" 120 "$CONFIGS/ticker1.cfg" "$CONFIGS/bad-vcpus.cfg" "$CONFIGS/hello.cfg"
wait_for "$LOG" 'bad-vcpus\.cfg.*vcpus' 30 || fail "no message naming bad-vcpus.cfg and its key 'vcpus'"
tr -d '\r' < "$LOG" | grep -E 'bad-vcpus\.cfg' || true
wait_for "$LOG" '^\[ticker1\] tick 10$' 60 || fail "ticker1 did not run"
wait_for "$LOG" '^\[hello\] FACET-GUEST hello (DONE|PANIC)' 120 || fail "hello did not run"
expect_count "$LOG" '^\[hello\] FACET-GUEST hello DONE .* failed=0' 1 1 || fail "hello failed"
expect_count "$LOG" '^\[bad\]' 0 0 || fail "the bad VM ran"
stop_qemu
