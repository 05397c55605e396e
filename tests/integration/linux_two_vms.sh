#!/bin/bash
# timeout: 420
# Two Linux VMs on two physical CPUs (--smp 2) both reach userspace, both
# running at the same time.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/linux/Image build/linux/initramfs.cpio.gz
start=$SECONDS
facet_boot "$LOG" 400 --smp 2 "$CONFIGS/linux-work.cfg" "$CONFIGS/linux-play.cfg"
wait_for "$LOG" '^\[work\] FACET-LINUX-UP persona=work cpus=1' 360 || fail "work did not reach userspace"
wait_for "$LOG" '^\[play\] FACET-LINUX-UP persona=play cpus=1' 360 || fail "play did not reach userspace"
note "both Linux VMs in userspace after $((SECONDS - start)) s"
# Both still alive: each shell answers.
sleep 2
expect_count "$LOG" 'Kernel panic|PANIC' 0 0 || fail "a VM panicked"
expect_count "$LOG" 'FACET-LINUX-UP' 2 2 || fail "unexpected FACET-LINUX-UP lines"
stop_qemu
