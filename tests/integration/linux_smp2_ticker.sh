#!/bin/bash
# timeout: 420
# A 2-vCPU Linux VM sees both CPUs (cpus=2) while a ticker VM runs beside it,
# and the ticker keeps ticking through the Linux boot and after it.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/linux/Image build/linux/initramfs.cpio.gz build/guests/ticker.bin
facet_boot "$LOG" 400 --smp 2 "$CONFIGS/ticker1.cfg" "$CONFIGS/linux-duo.cfg"
wait_for "$LOG" '^\[ticker1\] tick [0-9]+' 60 || fail "ticker1 does not tick"
t0=$(last_tick "$LOG" ticker1)
wait_for "$LOG" '^\[duo\] FACET-LINUX-UP persona=duo' 360 || fail "duo did not reach userspace"
expect_count "$LOG" '^\[duo\] FACET-LINUX-UP persona=duo cpus=2$' 1 1 ||
	fail "duo does not see 2 CPUs: $(tr -d '\r' < "$LOG" | grep FACET-LINUX-UP)"
t1=$(last_tick "$LOG" ticker1)
sleep 3
t2=$(last_tick "$LOG" ticker1)
note "ticker1: tick $t0 at start, $t1 when duo was up, $t2 3 s later"
[ "$t1" -gt "$t0" ] || fail "ticker1 did not tick while Linux booted"
[ $((t2 - t1)) -ge 10 ] || fail "ticker1 ticks too slowly beside Linux: $((t2 - t1)) in 3 s"
expect_count "$LOG" 'Kernel panic|PANIC' 0 0 || fail "a VM panicked"
stop_qemu
