#!/bin/bash
# The default demo (make run): the VMs of configs/demo/ as signed persona
# packages, verified by facet before they run.
#   system    role system,  signed by the device owner's key
#   personal  role persona, signed by the user's key
#   work      role persona, signed by the enterprise's key
# Demo keys are made once in build/keys/ (a real device's owner, user and
# enterprise keep theirs elsewhere); the packages are rebuilt every time.
#   scripts/demo.sh [--pack-only] [run] [facet run options (--smp, --timeout, ...)]
set -euo pipefail
cd "$(dirname "$0")/.."
FACET=build/facet
KEYS=build/keys
PKGS=build/demo
mkdir -p "$KEYS" "$PKGS"
for k in owner user enterprise; do
	[ -f "$KEYS/$k.pem" ] || "$FACET" keygen -o "$KEYS/$k.pem" --pub "$KEYS/$k.pub.pem" >/dev/null
done
pack() { # pack NAME ROLE KEY OWNER
	"$FACET" pack --persona -o "$PKGS/$1.pkg" "configs/demo/$1.cfg" --role "$2" --owner "$4" \
		--rollback 1 >/dev/null
	"$FACET" sign --key "$KEYS/$3.pem" "$PKGS/$1.pkg" >/dev/null
}
pack system system owner "device owner"
pack personal persona user "the user"
pack work persona enterprise "Example Corp IT"
if [ "${1:-}" = --pack-only ]; then
	exit 0
fi
[ "${1:-}" = run ] && shift # so it can stand in for `facet run` (tests/integration/demo_packages.sh)
exec "$FACET" run "$@" --trust "$KEYS/owner.pub.pem=system" --trust "$KEYS/user.pub.pem=persona" \
	--trust "$KEYS/enterprise.pub.pem=persona,appliance" \
	"$PKGS/system.pkg" "$PKGS/personal.pkg" "$PKGS/work.pkg"
