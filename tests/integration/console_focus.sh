#!/bin/bash
# timeout: 420
# Console input goes to one VM at a time. Ctrl-a pressed three times moves the
# focus to the next VM; a command typed into the work VM's shell runs there,
# and its output appears on work's lines only.
. "$(dirname "$0")/lib.sh"

LOG=$T_CONSOLE
FOCUS_RE='^\(facet\) console focus: '
require_files build/linux/Image build/linux/initramfs.cpio.gz build/guests/ticker.bin
facet_boot "$LOG" 400 --smp 2 "$CONFIGS/ticker1.cfg" "$CONFIGS/linux-work.cfg" "$CONFIGS/linux-play.cfg"
for vm in work play; do
	wait_for "$LOG" "^\[$vm\] FACET-LINUX-UP" 360 || fail "$vm did not reach userspace"
	# busybox ash's banner: the shell is reading the console.
	wait_for "$LOG" "^\[$vm\] Enter 'help'" 60 || fail "$vm has no shell"
done

# Move the focus until it is on work (three VMs: at most three moves).
focused=
for _ in 1 2 3 4; do
	n=$(count "$LOG" "$FOCUS_RE")
	send_keys '\x01\x01\x01'
	wait_count "$LOG" "$FOCUS_RE" $((n + 1)) 10 || fail "no '(facet) console focus:' after Ctrl-a x3"
	focused=$(tr -d '\r' < "$LOG" | grep -E "$FOCUS_RE" | tail -n 1 | sed -E "s/$FOCUS_RE([^ ]+).*/\1/")
	note "console focus: $focused"
	[ "$focused" = work ] && break
done
[ "$focused" = work ] || fail "focus never reached work"

send_keys 'echo hi-from-$((1+1))\r'
wait_for "$LOG" '^\[work\] hi-from-2$' 30 || fail "work did not run the typed command"
sleep 1
expect_count "$LOG" 'hi-from-2' 1 1 ||
	fail "hi-from-2 is not on work's lines only: $(tr -d '\r' < "$LOG" | grep hi-from-2)"
expect_count "$LOG" '^\[(play|ticker1)\].*hi-from' 0 0 || fail "the typed text reached another VM"
stop_qemu
