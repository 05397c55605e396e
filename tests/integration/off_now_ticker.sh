#!/bin/bash
# timeout: 150
# A VM that calls SYSTEM_OFF stops (prints nothing more) and the VM beside it
# keeps ticking.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/off_now.bin build/guests/ticker.bin
facet_boot "$LOG" 120 "$CONFIGS/ticker1.cfg" "$CONFIGS/off_now.cfg"
wait_for "$LOG" '^\[ticker1\] tick [0-9]+' 60 || fail "ticker1 does not tick"
wait_for "$LOG" '^\[off_now\] off_now: SYSTEM_OFF' 60 || fail "off_now never asked to power off"
lines_off=$(count "$LOG" '^\[off_now\]')
t1=$(last_tick "$LOG" ticker1)
sleep 3
t2=$(last_tick "$LOG" ticker1)
note "ticker1: tick $t1 -> $t2 over 3 s after off_now's SYSTEM_OFF"
[ $((t2 - t1)) -ge 10 ] || fail "ticker1 stopped ticking after off_now powered off"
expect_count "$LOG" '^\[off_now\]' "$lines_off" "$lines_off" || fail "off_now still prints after SYSTEM_OFF"
expect_count "$LOG" '^\[ticker1\] ticker: up' 1 1 || fail "ticker1 was restarted"
stop_qemu
