#!/bin/bash
# The test runner `make test` calls once everything is built.
#
#   tests/run.sh [FILTER]
#
# Runs every host unit test binary build/unit/test_* (cmocka; each test case
# counts), then every executable tests/integration/*.sh (each one test: exit 0
# passes, 77 is skipped, anything else fails), one at a time, each under a
# timeout. FILTER, if given, keeps only the tests whose name contains it
# ("unit/test_stage2", "integration/hello"), then every fuzz target
# build/fuzz/fuzz_* for FUZZ_SMOKE_SECONDS (default 20) from its seed corpus.
# Logs go to build/test-logs/.
# Ends with "N passed, N failed[, N skipped]"; exits 1 if anything failed.
set -u
cd "$(dirname "$0")/.." || exit 1

FILTER=${1:-}
LOGDIR=build/test-logs
UNIT_TIMEOUT=${UNIT_TIMEOUT:-300}
# An integration test may name its own limit in a "# timeout: SECONDS" line.
INTEGRATION_TIMEOUT=${INTEGRATION_TIMEOUT:-300}
TAIL_LINES=30

passed=0
failed=0
skipped=0
failed_names=()

selected() { [ -z "$FILTER" ] || [[ "$1" == *"$FILTER"* ]]; }

show_tail() {
	echo "    --- last $TAIL_LINES lines of $1:"
	tr -d '\r' < "$1" | tail -n "$TAIL_LINES" | sed 's/^/    | /'
}

# cmocka's default output names each case twice: "[ RUN      ] name" and then
# one of "[       OK ] name", "[  FAILED  ] name", "[  SKIPPED ] name",
# "[  ERROR   ] ...". A case that starts and never ends crashed the binary.
# Prints: ok failed skipped names-of-failed-cases
cmocka_tally() {
	awk '
	/^\[ RUN      \] / { if (cur != "") { fail++; bad = bad " " cur "(crashed)" } cur = substr($0, 14); next }
	/^\[       OK \] / { if (cur != "") ok++; cur = ""; next }
	/^\[  SKIPPED \] / { if (cur != "") skip++; cur = ""; next }
	/^\[  (FAILED|ERROR)   ?\] / { if (cur != "") { fail++; bad = bad " " cur } cur = ""; next }
	END { if (cur != "") { fail++; bad = bad " " cur "(crashed)" } print ok + 0, fail + 0, skip + 0, bad }
	' "$1"
}

run_unit() {
	local bin=$1 name log rc ok bad skip names
	name=unit/$(basename "$bin")
	log=$LOGDIR/unit/$(basename "$bin").log
	mkdir -p "$LOGDIR/unit"
	CMOCKA_MESSAGE_OUTPUT=stdout timeout -k 10 "$UNIT_TIMEOUT" "$bin" > "$log" 2>&1
	rc=$?
	read -r ok bad skip names < <(cmocka_tally "$log")
	if [ "$rc" -ne 0 ] && [ "$bad" -eq 0 ]; then
		# Died outside any case, or exited non-zero with every case passing.
		bad=1
		names="(exit status $rc$([ "$rc" -eq 124 ] && echo ", timed out"))"
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	skipped=$((skipped + skip))
	if [ "$bad" -eq 0 ]; then
		echo "PASS $name ($ok cases$([ "$skip" -gt 0 ] && echo ", $skip skipped"))"
	else
		echo "FAIL $name: $bad failed:$([ -n "$names" ] && echo " $names")"
		failed_names+=("$name")
		show_tail "$log"
	fi
}

run_integration() {
	local script=$1 name log limit rc start
	name=integration/$(basename "$script" .sh)
	log=$LOGDIR/integration/$(basename "$script" .sh).log
	limit=$(sed -n 's/^# timeout: *\([0-9][0-9]*\).*/\1/p' "$script" | head -n 1)
	limit=${limit:-$INTEGRATION_TIMEOUT}
	mkdir -p "$LOGDIR/integration"
	start=$SECONDS
	FACET_TEST_LOGDIR=$LOGDIR timeout -k 10 "$limit" "$script" > "$log" 2>&1 < /dev/null
	rc=$?
	case $rc in
	0)
		passed=$((passed + 1))
		echo "PASS $name ($((SECONDS - start)) s)"
		;;
	77)
		skipped=$((skipped + 1))
		echo "SKIP $name: $(grep -m1 '^SKIP' "$log" | sed 's/^SKIP: *//')"
		;;
	*)
		failed=$((failed + 1))
		failed_names+=("$name")
		if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
			echo "FAIL $name: timed out after $limit s"
		else
			echo "FAIL $name (exit status $rc, $((SECONDS - start)) s)"
		fi
		show_tail "$log"
		;;
	esac
}

for bin in build/unit/test_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	selected "unit/$(basename "$bin")" || continue
	run_unit "$bin"
done

for script in tests/integration/*.sh; do
	[ -f "$script" ] && [ -x "$script" ] || continue
	selected "integration/$(basename "$script" .sh)" || continue
	run_integration "$script"
done

# Fuzz targets (mk/fuzz.mk): a bounded run each from the seed corpus in the
# tree; a crash, a leak or a time-out found in that time fails the test.
FUZZ_SMOKE_SECONDS=${FUZZ_SMOKE_SECONDS:-20}
for bin in build/fuzz/fuzz_*; do
	[ -f "$bin" ] && [ -x "$bin" ] || continue
	name=fuzz/$(basename "$bin")
	selected "$name" || continue
	log=$LOGDIR/fuzz/$(basename "$bin").log
	mkdir -p "$LOGDIR/fuzz" "build/fuzz/corpus-$(basename "$bin")" build/fuzz/artifacts
	seeds=tests/fuzz/corpus
	[ "$(basename "$bin")" = fuzz_manifest ] && seeds=tests/fuzz/manifest-corpus
	dict=tests/fuzz/$(basename "$bin" | sed 's/^fuzz_//').dict
	timeout -k 10 $((FUZZ_SMOKE_SECONDS + 60)) "$bin" -max_total_time="$FUZZ_SMOKE_SECONDS" \
		-timeout=10 -rss_limit_mb=2048 -max_len=65536 -print_final_stats=1 -artifact_prefix=build/fuzz/artifacts/ \
		$([ -f "$dict" ] && echo "-dict=$dict") "build/fuzz/corpus-$(basename "$bin")" "$seeds" > "$log" 2>&1
	if [ $? -eq 0 ]; then
		passed=$((passed + 1))
		echo "PASS $name ($(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo '?') inputs in ${FUZZ_SMOKE_SECONDS} s)"
	else
		failed=$((failed + 1))
		failed_names+=("$name")
		echo "FAIL $name"
		show_tail "$log"
	fi
done

summary="$passed passed, $failed failed"
[ "$skipped" -gt 0 ] && summary="$summary, $skipped skipped"
if [ "$failed" -gt 0 ]; then
	echo "failed: ${failed_names[*]}"
fi
echo "$summary"
[ "$failed" -eq 0 ]
