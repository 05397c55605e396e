#!/bin/bash
# timeout: 150
# PSCI on a 4-vCPU VM: racing CPU_ON calls give exactly one SUCCESS (the rest
# ALREADY_ON or ON_PENDING), AFFINITY_INFO follows CPU_ON/CPU_OFF, unknown
# MPIDRs and function ids are refused (guests/tests/psci_race.c).
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
require_files build/guests/psci_race.bin
facet_boot "$LOG" 120 "$CONFIGS/psci_race.cfg"
wait_for "$LOG" '^\[psci_race\] FACET-GUEST psci_race (DONE|PANIC)' 120 ||
	fail "psci_race did not finish"
tr -d '\r' < "$LOG" | grep -E '^\[psci_race\] psci_race: SUCCESS' || true
expect_count "$LOG" '^\[psci_race\] FACET-GUEST psci_race DONE passed=[1-9][0-9]* failed=0' 1 1 ||
	fail "psci_race reported failures: $(tr -d '\r' < "$LOG" | grep -E 'TEST .*: FAIL|PANIC' | head -5)"
stop_qemu
