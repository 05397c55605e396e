#!/bin/bash
# Regenerates the fuzzer's seed corpus (tests/fuzz/corpus) with build/facet:
# small packages of each role and shape, signed and unsigned, and their bare
# manifests (the fuzz target also feeds the whole input to the manifest
# parser). Inputs that once crashed the reader are kept as regress-*. The images are a few bytes each so the seeds stay small; the keys
# are thrown away (the fuzz target does not check signatures).
#
#   tests/fuzz/make-corpus.sh      (or: make fuzz-corpus)
set -euo pipefail
cd "$(dirname "$0")/../.."
FACET=build/facet
OUT=tests/fuzz/corpus
[ -x "$FACET" ] || { echo "make-corpus: build $FACET first (make tool)" >&2; exit 1; }

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
printf 'kernel-%.0s' {1..16} > "$tmp/kernel"
printf 'initrd' > "$tmp/initrd"
printf '/dts-v1/;\n/ { compatible = "facet,guest"; };\n' | dtc -q -I dts -O dtb -o "$tmp/guest.dtb"
"$FACET" keygen -o "$tmp/key.pem" > /dev/null

pack() { # OUT ARGS...: an unsigned package
	local out=$1
	shift
	"$FACET" pack --persona -o "$tmp/$out" "$@" > /dev/null
}
pack full.pkg --name work --kernel "$tmp/kernel" --initrd "$tmp/initrd" --memory 4 --vcpus 2 \
	--cmdline "console=ttyAMA0 facet.persona=work" --role persona --owner "ACME Corp IT" \
	--rollback 7 --priority 100 --device gpu0 --device modem --dtb "$tmp/guest.dtb"
pack minimal.pkg --name app --kernel "$tmp/kernel" --memory 4 --role appliance --owner x
pack system.pkg --name radio --kernel "$tmp/kernel" --memory 4 --role system \
	--owner "Device owner" --rollback 18446744073709551615 --priority 255
"$FACET" sign --key "$tmp/key.pem" "$tmp/full.pkg" "$tmp/system.pkg" > /dev/null

# Files named regress-* are inputs that once crashed the reader: kept as they are.
mkdir -p "$OUT"
find "$OUT" -type f ! -name 'regress-*' -delete
for p in full minimal system; do
	cp "$tmp/$p.pkg" "$OUT/$p.pkg"
	# The bare manifest: header fields manifest_offset (24) and manifest_size (32), LE.
	python3 - "$tmp/$p.pkg" "$OUT/$p.manifest" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off, size = struct.unpack_from("<QQ", data, 24)
open(sys.argv[2], "wb").write(data[off:off + size])
PY
done
# The first bytes alone: a truncated package.
head -c 200 "$OUT/full.pkg" > "$OUT/truncated.pkg"
ls -l "$OUT"
