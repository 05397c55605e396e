#!/bin/bash
# timeout: 150
# The demo system VM prints a heartbeat about once a second.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/system.bin
facet_boot "$LOG" 120 "$CONFIGS/system.cfg"
wait_for "$LOG" '^\[system\] system: heartbeat 2$' 60 || fail "no heartbeat"
n=$(count "$LOG" '^\[system\] system: heartbeat')
sleep 5
m=$(count "$LOG" '^\[system\] system: heartbeat')
note "$((m - n)) heartbeats in 5 s"
if [ $((m - n)) -lt 3 ] || [ $((m - n)) -gt 7 ]; then
	fail "$((m - n)) heartbeats in 5 s, want about 5"
fi
stop_qemu
