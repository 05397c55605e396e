#!/bin/bash
# timeout: 330
# One VM probes the whole IPA space (every 2 MiB up to 1 TiB, writes, fetches)
# and must get an abort for every access outside its RAM, GIC and UART; a
# second VM meanwhile keeps re-checking a pattern in all of its RAM, which
# must stay intact while the probing goes on and after it.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
CANARY_CHECKS_AFTER=3
require_files build/guests/abort_probe.bin build/guests/canary.bin
facet_boot "$LOG" 300 --smp 2 "$CONFIGS/canary.cfg" "$CONFIGS/abort_probe.cfg"
wait_for "$LOG" '^\[canary\] canary: (intact|CORRUPTED)' 60 || fail "canary never checked its RAM"
wait_for "$LOG" '^\[abort_probe\] FACET-GUEST abort_probe (DONE|PANIC)' 240 ||
	fail "abort_probe did not finish"
# The canary has to check a few more times after the probing is over.
checks=$(count "$LOG" '^\[canary\] canary: (intact|CORRUPTED)')
wait_count "$LOG" '^\[canary\] canary: (intact|CORRUPTED)' $((checks + CANARY_CHECKS_AFTER)) 30 ||
	fail "canary stopped checking"

tr -d '\r' < "$LOG" | grep -E '^\[abort_probe\] (abort_probe: [0-9]+ |TEST )' || true
expect_count "$LOG" '^\[abort_probe\] FACET-GUEST abort_probe DONE passed=[1-9][0-9]* failed=0' 1 1 ||
	fail "abort_probe: $(tr -d '\r' < "$LOG" | grep -E 'TEST .*: FAIL|PANIC|no abort|ESR' | head -5)"
expect_count "$LOG" 'CORRUPTED|PANIC' 0 0 ||
	fail "canary: $(tr -d '\r' < "$LOG" | grep -E 'CORRUPTED|PANIC' | head -5)"
note "canary intact after $(count "$LOG" '^\[canary\] canary: intact') checks"
stop_qemu
