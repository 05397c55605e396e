#!/bin/bash
# timeout: 150
# Four physical CPUs (--smp 4, the most the issue asks for): secondaries come
# up through the platform's PSCI, and three SMP VMs (4 + 4 + 2 vCPUs) spread
# over them all pass their tests; facet powers off when they are done.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/psci_race.bin build/guests/sgi.bin build/guests/hello.bin
facet_boot "$LOG" 120 --smp 4 "$CONFIGS/psci_race.cfg" "$CONFIGS/sgi.cfg" "$CONFIGS/hello.cfg"
wait_for "$LOG" '^\(facet\) every VM is off: powering off' 110 || fail "the VMs did not all finish"
expect_count "$LOG" '^\(facet\) facet hypervisor: 4 CPUs' 1 1 || fail "facet did not see 4 CPUs"
expect_count "$LOG" 'did not start' 0 0 || fail "a physical CPU did not start"
for vm in psci_race sgi hello; do
	expect_count "$LOG" "^\[$vm\] FACET-GUEST $vm DONE passed=[0-9]+ failed=0" 1 1 || fail "$vm failed"
done
stop_qemu
