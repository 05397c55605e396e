#!/bin/bash
# timeout: 420
# Two Linux VMs time-share one physical CPU (--smp 1): every switch between
# them saves and loads EL1 system registers, timer, GIC state and FP/SIMD, and
# both still reach userspace and answer in their shells.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/linux/Image build/linux/initramfs.cpio.gz
facet_boot "$LOG" 400 --smp 1 "$CONFIGS/linux-work.cfg" "$CONFIGS/linux-play.cfg"
wait_for "$LOG" '^\[work\] FACET-LINUX-UP persona=work cpus=1' 360 || fail "work did not reach userspace"
wait_for "$LOG" '^\[play\] FACET-LINUX-UP persona=play cpus=1' 360 || fail "play did not reach userspace"
# work has focus (the first VM): a command typed there runs while play keeps running.
wait_for "$LOG" "^\[work\] Enter 'help'" 60 || fail "work has no shell"
send_keys 'echo sum-$((20+22))\r'
wait_for "$LOG" '^\[work\] sum-42$' 30 || fail "work's shell did not answer"
expect_count "$LOG" 'Kernel panic|PANIC|Oops|BUG' 0 0 || fail "a VM panicked"
stop_qemu
