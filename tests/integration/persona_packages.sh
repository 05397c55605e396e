#!/bin/bash
# timeout: 300
# Signed persona packages (issue 4): the hypervisor verifies each one before a
# single guest instruction runs. A work persona signed by the enterprise key
# and a personal persona signed by the user's key boot; a package with one
# flipped byte in its kernel, one signed by a key the device does not trust,
# one whose key is trusted only for another role, and one rolled back below
# the device's minimum are each refused with the reason, and cost nothing else.
. "$(dirname "$0")/lib.sh"

require_files build/guests/hello.bin build/guests/ticker.bin
K=$(mktemp -d)
trap 'stop_qemu; rm -rf "$K"' EXIT
for k in enterprise user owner rogue; do
	"$FACET" keygen -o "$K/$k.pem" --pub "$K/$k.pub.pem" >/dev/null || fail "keygen $k"
done
mkpkg() { # mkpkg NAME KERNEL ROLE KEY ROLLBACK
	"$FACET" pack --persona -o "$K/$1.pkg" --name "$1" --kernel "$T_ROOT/build/guests/$2.bin" \
		--memory 16 --role "$3" --owner "$4" --rollback "$5" >/dev/null || fail "pack $1"
	"$FACET" sign --key "$K/$4.pem" "$K/$1.pkg" >/dev/null || fail "sign $1"
}
mkpkg work hello persona enterprise 3
mkpkg personal ticker persona user 0
mkpkg tampered ticker persona enterprise 0
mkpkg rogue ticker persona rogue 0
mkpkg radio ticker system enterprise 0
mkpkg old ticker persona enterprise 1
# One flipped byte in the kernel, the package's last image.
size=$(stat -c %s "$K/tampered.pkg")
byte=$(od -An -tu1 -j $((size - 1)) -N1 "$K/tampered.pkg" | tr -d ' ')
printf "$(printf '\\%03o' $((byte ^ 1)))" | dd of="$K/tampered.pkg" bs=1 seek=$((size - 1)) conv=notrunc 2>/dev/null
"$FACET" verify --pub "$K/enterprise.pub.pem" "$K/tampered.pkg" >/dev/null 2>&1 &&
	fail "the host tool accepts the tampered package"

LOG=$T_CONSOLE
facet_boot "$LOG" 200 --trust "$K/enterprise.pub.pem=persona" --trust "$K/user.pub.pem=persona" \
	--trust "$K/owner.pub.pem=system" --min-rollback old=2 \
	"$K/work.pkg" "$K/personal.pkg" "$K/tampered.pkg" "$K/rogue.pkg" "$K/radio.pkg" "$K/old.pkg"
wait_for "$LOG" '^\[work\] FACET-GUEST hello DONE' 120 || fail "the work persona did not run"
wait_for "$LOG" '^\[personal\] tick 5$' 60 || fail "the personal persona did not run"
expect_count "$LOG" '^\[work\] FACET-GUEST hello DONE passed=[0-9]+ failed=0' 1 1 || fail "work's tests failed"
expect_count "$LOG" "^\(facet\) package .*work.pkg: persona 'work' of enterprise" 1 1 ||
	fail "no verification message for work"
expect_count "$LOG" '^\(facet\) refusing package .*tampered\.pkg: .*(hash|SHA-256)' 1 1 ||
	fail "the tampered package was not refused for its hash"
expect_count "$LOG" '^\(facet\) refusing package .*rogue\.pkg: .*(trust|key)' 1 1 ||
	fail "the package signed by an unknown key was not refused"
expect_count "$LOG" '^\(facet\) refusing package .*radio\.pkg: .*(role|system)' 1 1 ||
	fail "the package signed by a key not trusted for its role was not refused"
expect_count "$LOG" '^\(facet\) refusing package .*old\.pkg: .*roll' 1 1 ||
	fail "the rolled-back package was not refused"
expect_count "$LOG" '^\[(tampered|rogue|radio|old)\]' 0 0 || fail "a refused package ran"
stop_qemu
