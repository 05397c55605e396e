#!/bin/bash
# Fails if the EL2 image uses FP/SIMD registers outside fpsimd_save/fpsimd_restore:
# the hypervisor runs with the guest's FP/SIMD state live in those registers.
set -eu
bad=$(aarch64-linux-gnu-objdump -d "$1" | awk '
	/^[0-9a-f]+ <[^>]+>:$/ { fn = $2; next }
	fn ~ /^<fpsimd_(save|restore)>:$/ { next }
	/\t[a-z]/ && / (v[0-9]+\.|[qdsbh][0-9]+,|[qdsbh][0-9]+$)/ { print fn ": " $0 }' | head -5)
if [ -n "$bad" ]; then
	echo "error: $1 uses FP/SIMD registers at EL2:" >&2
	echo "$bad" >&2
	exit 1
fi
