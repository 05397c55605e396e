#!/bin/bash
# timeout: 150
# Three VMs on one physical CPU (--smp 1) all make progress: each ticks
# (every 100 ms) at a reasonable rate over the same few seconds.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
WINDOW=5
# Of the 50 ticks a VM would print in $WINDOW seconds on its own.
MIN_TICKS=20
require_files build/guests/ticker.bin
facet_boot "$LOG" 120 --smp 1 "$CONFIGS/ticker1.cfg" "$CONFIGS/ticker2.cfg" "$CONFIGS/ticker3.cfg"
for vm in ticker1 ticker2 ticker3; do
	wait_for "$LOG" "^\[$vm\] tick 5\$" 60 || fail "$vm does not tick"
done
declare -A before
for vm in ticker1 ticker2 ticker3; do
	before[$vm]=$(last_tick "$LOG" $vm)
done
sleep $WINDOW
for vm in ticker1 ticker2 ticker3; do
	b=${before[$vm]}
	after=$(last_tick "$LOG" $vm)
	note "$vm: tick $b -> $after in ${WINDOW}s"
	[ $((after - b)) -ge $MIN_TICKS ] ||
		fail "$vm made too little progress: $((after - b)) ticks in ${WINDOW}s"
done
stop_qemu
