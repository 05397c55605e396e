#!/bin/bash
# timeout: 150
# A VM that calls SYSTEM_RESET boots again (at least twice in all), and the
# VM beside it keeps ticking through the reset without being reset itself.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/reset_once.bin build/guests/ticker.bin
facet_boot "$LOG" 120 "$CONFIGS/ticker1.cfg" "$CONFIGS/reset_once.cfg"
wait_for "$LOG" '^\[ticker1\] tick [0-9]+' 60 || fail "ticker1 does not tick"
wait_count "$LOG" '^\[reset_once\] reset_once: boot' 2 60 || fail "reset_once did not boot twice"
t1=$(last_tick "$LOG" ticker1)
sleep 2
t2=$(last_tick "$LOG" ticker1)
note "ticker1: tick $t1 -> $t2 over 2 s after the second boot"
[ $((t2 - t1)) -ge 5 ] || fail "ticker1 stopped ticking after reset_once's reset"
expect_count "$LOG" '^\[ticker1\] ticker: up' 1 1 || fail "ticker1 was restarted"
expect_count "$LOG" 'PANIC|SYSTEM_RESET returned' 0 0 || fail "a VM failed"
expect_count "$LOG" '^\[reset_once\] reset_once: memory NOT cleared' 0 0 || fail "memory survived a reset"
expect_count "$LOG" '^\[reset_once\] reset_once: memory clear' 2 || fail "reset_once did not check its memory"
stop_qemu
