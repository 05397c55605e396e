# Helpers for the integration tests (sourced, not run). Each test is an
# executable tests/integration/<name>.sh that boots `build/facet run` with some
# VM configs, watches the console and exits 0 (pass), 77 (skipped) or
# anything else (fail); tests/run.sh runs them one at a time.
#
# The console as facet prints it: a VM's lines as "[<vm>] <text>", the
# hypervisor's as "(facet) <text>"; Ctrl-a pressed three times moves input
# focus to the next VM ("(facet) console focus: <vm>").
#
#   facet_boot LOG TIMEOUT [facet run args...]   start facet in the background
#   wait_for LOG REGEX TIMEOUT                   wait for a matching line
#   wait_count LOG REGEX N TIMEOUT               wait for N matching lines
#   count LOG REGEX                              number of matching lines
#   expect_count LOG REGEX MIN [MAX]             fail unless MIN <= count <= MAX
#   send_keys STRING                             type into the console (printf %b escapes)
#   stop_qemu                                    stop facet and QEMU
#   fail MESSAGE / skip MESSAGE                  end the test
# Regexes are grep -E, matched against lines with any \r removed.

set -u

T_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$T_ROOT" || exit 1
T_NAME=$(basename "$0" .sh)
T_LOGDIR=${FACET_TEST_LOGDIR:-build/test-logs}/integration
# For the tests: where their console log goes, where their configs are.
# shellcheck disable=SC2034
T_CONSOLE=$T_LOGDIR/$T_NAME.console
# shellcheck disable=SC2034
CONFIGS=tests/integration/configs
FACET=${FACET:-build/facet}
# Seconds between typed characters: a person types, a UART has a small FIFO.
KEY_DELAY=${KEY_DELAY:-0.03}

FACET_PID=
FACET_FD=
FACET_FIFO=
FACET_LOG=
mkdir -p "$T_LOGDIR"

note() { echo "[$T_NAME] $*"; }

stop_qemu() {
	if [ -n "$FACET_PID" ]; then
		# timeout(1) runs facet in its own process group, QEMU included.
		kill -TERM -- "-$FACET_PID" 2>/dev/null
		local i
		for i in $(seq 1 50); do
			kill -0 "$FACET_PID" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$FACET_PID" 2>/dev/null
		wait "$FACET_PID" 2>/dev/null
		FACET_PID=
	fi
	if [ -n "$FACET_FD" ]; then
		exec {FACET_FD}>&-
		FACET_FD=
	fi
	[ -n "$FACET_FIFO" ] && rm -f "$FACET_FIFO"
	FACET_FIFO=
}

fail() {
	echo "FAIL: $*"
	if [ -n "$FACET_LOG" ] && [ -f "$FACET_LOG" ]; then
		echo "--- last 40 lines of $FACET_LOG:"
		tr -d '\r' < "$FACET_LOG" | tail -n 40
	fi
	stop_qemu
	exit 1
}

skip() {
	echo "SKIP: $*"
	stop_qemu
	exit 77
}

require_files() {
	local f
	for f in "$@"; do
		[ -e "$f" ] || fail "missing $f (run make all)"
	done
}

# facet_boot LOG TIMEOUT [facet run args...]
facet_boot() {
	local timeout_s=$2
	FACET_LOG=$1
	shift 2
	[ -x "$FACET" ] || fail "missing $FACET (run make all)"
	: > "$FACET_LOG"
	FACET_FIFO=$(mktemp -u "${TMPDIR:-/tmp}/facet-keys.XXXXXX")
	mkfifo "$FACET_FIFO" || fail "mkfifo $FACET_FIFO"
	# Held open read-write for the whole test, so QEMU's stdin never sees EOF.
	exec {FACET_FD}<>"$FACET_FIFO"
	note "facet run --timeout $timeout_s $*"
	timeout -k 5 $((timeout_s + 30)) "$FACET" run --timeout "$timeout_s" "$@" \
		<&"$FACET_FD" >"$FACET_LOG" 2>&1 &
	FACET_PID=$!
	trap stop_qemu EXIT
}

facet_running() { [ -n "$FACET_PID" ] && kill -0 "$FACET_PID" 2>/dev/null; }

count() {
	tr -d '\r' < "$1" 2>/dev/null | grep -Ec -- "$2"
}

# wait_count LOG REGEX N TIMEOUT
wait_count() {
	local log=$1 re=$2 n=$3 end=$((SECONDS + $4))
	while :; do
		[ "$(count "$log" "$re")" -ge "$n" ] && return 0
		if ! facet_running; then
			[ "$(count "$log" "$re")" -ge "$n" ] && return 0
			note "facet exited before $n line(s) matching /$re/"
			return 1
		fi
		if [ "$SECONDS" -ge "$end" ]; then
			note "timed out after $4 s waiting for $n line(s) matching /$re/ (have $(count "$log" "$re"))"
			return 1
		fi
		sleep 0.2
	done
}

wait_for() { wait_count "$1" "$2" 1 "$3"; }

# expect_count LOG REGEX MIN [MAX]
expect_count() {
	local n
	n=$(count "$1" "$2")
	if [ "$n" -lt "$3" ] || { [ $# -ge 4 ] && [ "$n" -gt "$4" ]; }; then
		note "expected ${3}..${4:-} lines matching /$2/, found $n"
		return 1
	fi
	return 0
}

# The number N of the last "tick N" VM $2 printed in LOG $1 (0 if none).
last_tick() {
	tr -d '\r' < "$1" | grep -E "^\[$2\] tick [0-9]+" | tail -n 1 | sed -E 's/.*tick ([0-9]+).*/\1/' |
		grep . || echo 0
}

send_keys() {
	local s i
	[ -n "$FACET_FD" ] || fail "send_keys: facet is not running"
	printf -v s '%b' "$1"
	for ((i = 0; i < ${#s}; i++)); do
		printf '%s' "${s:i:1}" >&"$FACET_FD"
		sleep "$KEY_DELAY"
	done
}

export LC_ALL=C
