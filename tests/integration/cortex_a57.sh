#!/bin/bash
# timeout: 300
# The same VMs on a Cortex-A57 (ARMv8.0: no VHE, no PAN, fewer ID fields):
# a 2-vCPU Linux reaches userspace and powers itself off, the hello suite
# passes, and facet powers the machine off when both VMs are off.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/linux/Image build/linux/initramfs.cpio.gz build/guests/hello.bin
facet_boot "$LOG" 240 --cpu cortex-a57 --smp 2 "$CONFIGS/linux-off.cfg" "$CONFIGS/hello.cfg"
wait_for "$LOG" '^\(facet\) every VM is off: powering off' 200 || fail "the VMs did not both power off"
expect_count "$LOG" '^\[off\] FACET-LINUX-UP persona=off cpus=2' 1 1 || fail "Linux did not reach userspace with 2 CPUs"
expect_count "$LOG" '^\[hello\] FACET-GUEST hello DONE .* failed=0' 1 1 || fail "hello did not pass"
expect_count "$LOG" '^\(facet\) VM off: powered off' 1 1 || fail "Linux's poweroff did not reach facet"
expect_count "$LOG" 'Kernel panic|PANIC' 0 0 || fail "a VM panicked"
stop_qemu
