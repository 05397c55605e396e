#!/bin/bash
# The hypervisor runs with the guest's FP/SIMD registers live: EL2 code must not
# touch them. Our own code is built with -mgeneral-regs-only; Debian's picolibc
# and libfdt are not, and a few of their functions move data through q0/q1.
# Those are allowed only because facet calls them with no guest FP state live
# (boot, VM reset after the vCPUs are saved) or inside fpsimd_save/restore
# (core/log.c for picolibc's printf, core/crypto.c for BearSSL: br_*, and its
# statics sha2small_* and, in ec_prime_i31, run_code, point_* and api_*).
# Any other function using FP/SIMD registers fails the build.
# Likewise TPIDR_EL0 (picolibc's TLS errno) belongs to the guest.
set -eu
ALLOWED='^<(fpsimd_save|fpsimd_restore|snprintf|vsnprintf|fdt_[a-z_]+|br_[a-z0-9_]+|sha2small_[a-z_]+|run_code|point_[a-z]+|api_[a-z]+)>:$'
dis=$(aarch64-linux-gnu-objdump -d "$1")
bad=$(echo "$dis" | awk -v ok="$ALLOWED" '
	/^[0-9a-f]+ <[^>]+>:$/ { fn = $2; next }
	fn ~ ok { next }
	/\t[a-z]/ && / (v[0-9]+\.|[qdsbh][0-9]+,|[qdsbh][0-9]+$)/ { print fn ": " $0 }' | head -5)
if [ -n "$bad" ]; then
	echo "error: $1 uses FP/SIMD registers at EL2:" >&2
	echo "$bad" >&2
	exit 1
fi
tls=$(echo "$dis" | awk '
	/^[0-9a-f]+ <[^>]+>:$/ { fn = $2; next }
	fn ~ /^<(vcpu_load|vcpu_put)>:$/ { next }
	/tpidr_el0/ { print fn ": " $0 }' | head -5)
if [ -n "$tls" ]; then
	echo "error: $1 uses TPIDR_EL0 (thread-local storage) at EL2:" >&2
	echo "$tls" >&2
	exit 1
fi
