#!/bin/bash
# timeout: 400
# The make run demo: the system VM, the personal and the work persona, each a
# signed package (scripts/demo.sh), are verified by facet and all run: the
# system VM's heartbeat, and both Linux personas in userspace.
. "$(dirname "$0")/lib.sh"

require_files build/linux/Image build/linux/initramfs.cpio.gz build/guests/system.bin
scripts/demo.sh --pack-only || fail "scripts/demo.sh could not make the demo packages"
LOG=$T_CONSOLE
# scripts/demo.sh stands in for `facet run`: it adds the trust list and the packages.
FACET=scripts/demo.sh facet_boot "$LOG" 360 --smp 2
wait_for "$LOG" '^\[personal\] FACET-LINUX-UP persona=personal cpus=1' 300 || fail "personal did not reach userspace"
wait_for "$LOG" '^\[work\] FACET-LINUX-UP persona=work cpus=2' 300 || fail "work did not reach userspace"
wait_for "$LOG" '^\[system\] system: heartbeat [0-9]+' 30 || fail "no heartbeat from the system VM"
expect_count "$LOG" "^\(facet\) package build/demo/(system|personal|work)\.pkg: .* signature and hashes verified" 3 3 ||
	fail "not every demo package was verified"
expect_count "$LOG" 'refusing|Kernel panic|PANIC' 0 0 || fail "something was refused or panicked"
stop_qemu
