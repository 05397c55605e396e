#!/bin/bash
# make bench: facet's figures, one line each,
#   bench: <name> <value> <unit>
# then the peers' figures for the same operations (from ../shared/peer-bench,
# when present) and the targets of issue 3. Method and recorded results:
# docs/performance.md. Everything runs in QEMU with -icount shift=0,sleep=off,
# so instruction counts are exact and repeat from run to run; one QEMU at a
# time, each under a timeout. Work files go to build/bench/.
#
#   scripts/bench.sh [--no-linux]    (--no-linux: skip the Linux boot figures, ~2 min)
#   scripts/bench.sh --profile NAME  where figure NAME's instructions go at EL2:
#                                    instructions per operation, by function
#
# Needs what `make all bench-bins` builds: build/facet, build/facet.bin,
# build/guests/bench.bin, build/linux/{Image,initramfs.cpio.gz},
# build/bench/insncount.so, build/bench/footprint.txt.
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=build/bench
ICOUNT=(-icount shift=0,sleep=off)
QEMU=${FACET_QEMU:-qemu-system-aarch64}
PEER_DIR=${PEER_BENCH:-../shared/peer-bench}
PEER_RESULTS=${PEER_BENCH_DIR:-$HOME/.cache/peer-bench}/results
# The Linux VM of the boot figures: the test suite's, powering off right after
# its userspace marker (scripts/mkinitramfs.sh).
LINUX_MIB=256
LINUX_CMDLINE="console=ttyAMA0 facet.test=poweroff"
MARKER=FACET-LINUX-UP
WITH_LINUX=1
PROFILE=
case "${1:-}" in
--no-linux) WITH_LINUX=0 ;;
--profile) PROFILE=${2:?--profile needs a figure name, e.g. gicd_read} ;;
"") ;;
*)
	echo "usage: scripts/bench.sh [--no-linux | --profile NAME]" >&2
	exit 2
	;;
esac

mkdir -p "$OUT"
FIGURES=$OUT/figures.txt
: > "$FIGURES"

die() {
	echo "bench: error: $*" >&2
	exit 1
}

for f in build/facet build/facet.bin build/facet.elf build/guests/bench.bin \
	build/bench/insncount.so build/bench/footprint.txt; do
	[ -e "$f" ] || die "missing $f (run make bench)"
done

figure() { # name value unit
	echo "bench: $1 $2 $3"
	echo "$1 $2 $3" >> "$FIGURES"
}

# facet_run LOG TIMEOUT CONFIG... [-- QEMU-ARGS]: one facet boot on one physical CPU.
facet_run() {
	local log=$1 limit=$2
	shift 2
	timeout -k 10 $((limit + 30)) build/facet run --smp 1 --timeout "$limit" "$@" \
		> "$log" 2> "$log.err" < /dev/null || true
}

# "FACET-BENCH <name> <value> insns (...)" lines of a bench guest log, as figures.
bench_figures() { # log vm
	local log=$1 vm=$2 n
	grep -a "FACET-BENCH error" "$log" && die "the bench guest reported an error ($log)"
	grep -aq "^\[$vm\] FACET-BENCH done" "$log" || die "the bench guest did not finish ($log)"
	n=0
	while read -r name value; do
		figure "$name" "${value%.00}" insns
		n=$((n + 1))
	done < <(tr -d '\r' < "$log" | sed -n "s/^\[$vm\] FACET-BENCH \([a-z0-9_]*\) \(-\{0,1\}[0-9.]*\) insns.*/\1 \2/p")
	[ "$n" -gt 0 ] || die "no figures in $log"
}

# ---- --profile NAME ----
# Runs the bench guest under the insncount plugin, counting every instruction
# in facet's image: with bench.only=NAME and with bench.only=none, which
# leaves the operation out. The difference per function of build/facet.elf,
# divided by how often the guest ran the operation, is the EL2 path by function.
# A vtimer_irq shot's profile also holds the EOI's maintenance interrupt, which
# comes after the timed read there, and which is what irq_ack_eoi measures.
bench_cfg() { # source-config only -> build/bench/profile-<vm>.cfg, with bench.only=<only>
	local vm
	vm=$(basename "$1" .cfg)
	sed -e "s/^cmdline = \"\(.*\)\"/cmdline = \"\1 bench.only=$2\"/" \
		-e 's|"\.\./\.\./build/|"../|' "$1" > "$OUT/profile-$vm.cfg"
	echo "$OUT/profile-$vm.cfg"
}

if [ -n "$PROFILE" ]; then
	symbol() { aarch64-linux-gnu-nm build/facet.elf | awk -v s="$1" '$3 == s { print "0x" $1 }'; }
	lo=$(symbol __image_start)
	hi=$(symbol __image_end)
	[ "$PROFILE" = irq_ack_eoi ] &&
		die "irq_ack_eoi's EL2 work is in the vtimer_irq shots: --profile vtimer_irq"
	for only in none "$PROFILE"; do
		cfgs=()
		if [ "$PROFILE" = vm_switch ]; then
			cfgs+=("$(bench_cfg guests/bench/switch-a.cfg "$only")")
			cfgs+=("$(bench_cfg guests/bench/switch-b.cfg "$only")")
		else
			cfgs+=("$(bench_cfg guests/bench/bench.cfg "$only")")
		fi
		facet_run "$OUT/profile-$only.log" 600 "${cfgs[@]}" -- "${ICOUNT[@]}" \
			-plugin "build/bench/insncount.so,profile=$OUT/profile-$only.txt,lo=$lo,hi=$hi"
		[ -s "$OUT/profile-$only.txt" ] || die "no profile from $OUT/profile-$only.log"
	done
	runs=$(tr -d '\r' < "$OUT/profile-$PROFILE.log" |
		sed -n "s/.*FACET-BENCH runs $PROFILE \([0-9]*\)$/\1/p" | awk '{ n += $1 } END { print n + 0 }')
	[ "$runs" -gt 0 ] || die "the bench guest did not run $PROFILE ($OUT/profile-$PROFILE.log)"
	tr -d '\r' < "$OUT/profile-$PROFILE.log" | grep -a "FACET-BENCH $PROFILE " || true
	python3 - "$PROFILE" "$runs" "$OUT" <<'EOF'
import bisect, collections, subprocess, sys
name, runs, out = sys.argv[1], int(sys.argv[2]), sys.argv[3]
syms = []
for line in subprocess.run(["aarch64-linux-gnu-nm", "-n", "build/facet.elf"],
                           capture_output=True, text=True, check=True).stdout.splitlines():
    f = line.split()
    if len(f) == 3 and f[1] in "tTwW":
        syms.append((int(f[0], 16), f[2]))
starts = [a for a, _ in syms]
def by_function(path):
    c = collections.Counter()
    for line in open(path):
        addr, n = line.split()
        i = bisect.bisect_right(starts, int(addr, 16)) - 1
        c[syms[i][1] if i >= 0 else "?"] += int(n)
    return c
def profile(only):
    return by_function("%s/profile-%s.txt" % (out, only))
diff = profile(name)
diff.subtract(profile("none"))
rows = sorted(((n / runs, f) for f, n in diff.items() if abs(n / runs) >= 0.05), reverse=True)
print("bench: profile of %s: EL2 instructions per operation (%d runs), by function" % (name, runs))
for n, f in rows:
    print("bench: %10.1f  %s" % (n, f))
print("bench: %10.1f  total" % sum(n for n, _ in rows))
EOF
	exit 0
fi

# ---- Trap paths: the bench guest (guests/bench) ----
facet_run "$OUT/ops.log" 300 guests/bench/bench.cfg -- "${ICOUNT[@]}"
bench_figures "$OUT/ops.log" bench

# VM switch: two bench guests on one physical CPU, WFI ping-pong.
facet_run "$OUT/switch.log" 300 guests/bench/switch-a.cfg guests/bench/switch-b.cfg -- "${ICOUNT[@]}"
bench_figures "$OUT/switch.log" switch-a
a=$(tr -d '\r' < "$OUT/switch.log" | sed -n 's/^\[switch-a\] FACET-BENCH vm_switch \([0-9.]*\).*/\1/p')
b=$(tr -d '\r' < "$OUT/switch.log" | sed -n 's/^\[switch-b\] FACET-BENCH vm_switch \([0-9.]*\).*/\1/p')
[ "$a" = "$b" ] || echo "bench: note: the two VMs measured vm_switch $a and $b"

# ---- Whole-guest figures: Linux boot to its userspace marker ----
# Instructions from power-on to the first byte of the marker on the console,
# all CPUs and exception levels, counted by the insncount plugin (one stamp
# per byte the PL011 transmits; the log holds the same bytes in order).
marker_stamps() { # log stamps -> the stamp of every marker, one per line
	python3 - "$1" "$2" "$MARKER" <<'EOF'
import sys
log, stamps, marker = sys.argv[1], sys.argv[2], sys.argv[3].encode()
data = open(log, "rb").read()
counts = [l for l in open(stamps).read().splitlines() if not l.startswith("end")]
if len(counts) != len(data):
    sys.exit("bench: %s has %d bytes but %s %d stamps" % (log, len(data), stamps, len(counts)))
i = data.find(marker)
while i >= 0:
    print(counts[i])
    i = data.find(marker, i + 1)
EOF
}

linux_cfg() { # n -> build/bench/linux<n>.cfg
	cat > "$OUT/linux$1.cfg" <<EOF
# Generated by scripts/bench.sh: a Linux VM of the boot figures
name = "linux$1"
kernel = "../linux/Image"
initrd = "../linux/initramfs.cpio.gz"
memory = $LINUX_MIB
vcpus = 1
cmdline = "$LINUX_CMDLINE"
EOF
}

ratio() { # a b -> a / b, 3 decimals
	python3 -c "print('%.3f' % (($1) / ($2)))"
}

if [ "$WITH_LINUX" = 1 ]; then
	for f in build/linux/Image build/linux/initramfs.cpio.gz; do
		[ -e "$f" ] || die "missing $f (run make bench)"
	done
	command -v fdtput > /dev/null || die "fdtput missing (Debian package device-tree-compiler)"

	# Native: the same kernel, initramfs, command line and RAM on the same QEMU
	# at EL1, no EL2. The board is made the one a facet VM sees (core/vdtb.c):
	# QEMU virt's device tree less the devices facet does not give guests
	# (PCIe, virtio-mmio, fw-cfg, GPIO, RTC, flash, PMU, GIC ITS), and the CPU
	# less the features facet hides (SVE, SME, pointer authentication, PMU:
	# arch/aarch64/traps.c). Otherwise native Linux would boot more.
	NATIVE_CPU=max,sve=off,sme=off,pauth=off,pmu=off
	NATIVE_M=virt,gic-version=3
	rm -f "$OUT/native.dtb"
	timeout 60 "$QEMU" -M "$NATIVE_M,dumpdtb=$OUT/native.dtb" -cpu "$NATIVE_CPU" -smp 1 \
		-m "$LINUX_MIB" -display none -nic none > /dev/null 2>&1 || true
	[ -s "$OUT/native.dtb" ] || die "QEMU did not dump its device tree"
	for node in $(dtc -q -I dtb -O dts "$OUT/native.dtb" |
		sed -n 's/^\t\(\(platform-bus\|fw-cfg\|virtio_mmio\|gpio-keys\|pl061\|pcie\|pl031\|flash\|pmu\)[^ ]*\) {$/\1/p'); do
		fdtput -r "$OUT/native.dtb" "/$node"
	done
	for node in $(dtc -q -I dtb -O dts "$OUT/native.dtb" | sed -n 's/^\t\t\(its@[0-9a-f]*\) {$/\1/p'); do
		fdtput -r "$OUT/native.dtb" "/intc@8000000/$node"
	done
	# Random seeds: a KASLR-randomised kernel does not boot from a -dtb here, and
	# would not count the same instructions twice.
	fdtput -d "$OUT/native.dtb" /chosen kaslr-seed 2> /dev/null || true
	fdtput -d "$OUT/native.dtb" /chosen rng-seed 2> /dev/null || true

	timeout -k 10 600 "$QEMU" -M "$NATIVE_M" -cpu "$NATIVE_CPU" -smp 1 -m "$LINUX_MIB" \
		-display none -monitor none -serial stdio -nic none "${ICOUNT[@]}" \
		-dtb "$OUT/native.dtb" -kernel build/linux/Image -initrd build/linux/initramfs.cpio.gz \
		-append "$LINUX_CMDLINE" -plugin "build/bench/insncount.so,stamps=$OUT/native.stamps" \
		> "$OUT/native.log" 2> "$OUT/native.log.err" < /dev/null || true
	native=$(marker_stamps "$OUT/native.log" "$OUT/native.stamps" | head -n 1)
	[ -n "$native" ] || die "native Linux did not print $MARKER ($OUT/native.log)"

	linux_cfg 1
	facet_run "$OUT/linux1.log" 600 "$OUT/linux1.cfg" -- "${ICOUNT[@]}" \
		-plugin "build/bench/insncount.so,stamps=$OUT/linux1.stamps"
	one=$(marker_stamps "$OUT/linux1.log" "$OUT/linux1.stamps" | head -n 1)
	[ -n "$one" ] || die "Linux under facet did not print $MARKER ($OUT/linux1.log)"

	# Four VMs at once on the one physical CPU: until the last is up, against
	# four native boots one after the other.
	cfgs=()
	for n in 1 2 3 4; do
		linux_cfg $n
		cfgs+=("$OUT/linux$n.cfg")
	done
	facet_run "$OUT/linux4.log" 1200 "${cfgs[@]}" -- "${ICOUNT[@]}" \
		-plugin "build/bench/insncount.so,stamps=$OUT/linux4.stamps"
	four=$(marker_stamps "$OUT/linux4.log" "$OUT/linux4.stamps" | sort -n)
	[ "$(echo "$four" | grep -c .)" = 4 ] || die "not all 4 Linux VMs printed $MARKER ($OUT/linux4.log)"
	last=$(echo "$four" | tail -n 1)

	echo "bench: note: instructions to $MARKER: native $native, facet $one, facet with 4 VMs $last (last up)"
	figure linux_boot_ratio "$(ratio "$one" "$native")" x
	figure linux_boot_ratio_4vm "$(ratio "$last" "4 * $native")" x
fi

# ---- Footprint ----
size_of() { awk -v n="$1" '$1 == n { print $2 }' build/bench/footprint.txt; }
read -r text data bss _ < <(aarch64-linux-gnu-size build/facet.elf | tail -n 1)
figure image_bytes "$(stat -c %s build/facet.bin)" bytes
figure text_bytes "$text" bytes
figure data_bytes "$data" bytes
figure bss_bytes "$bss" bytes
# Per VM: its struct vm (which holds BOARD_MAX_VCPUS struct vcpu) and its
# stage-2 tables: the root and one level-2 table per GiB of RAM, 2 MiB blocks
# below it (arch/aarch64/stage2.h), for the Linux VM above.
tables=$((1 + (LINUX_MIB + 1023) / 1024))
figure vm_overhead_bytes $(($(size_of vm) + tables * $(size_of stage2_table))) bytes
figure vcpu_overhead_bytes "$(size_of vcpu)" bytes

# ---- Peers and targets ----
python3 - "$FIGURES" "$PEER_DIR" "$PEER_RESULTS" <<'EOF'
import os, re, sys
figures_file, peer_dir, results = sys.argv[1:4]
ours = {}
for line in open(figures_file):
    name, value, unit = line.split()
    ours[name] = float(value)

# Our name -> peer-bench's NET name; the configurations it runs.
ops = {"hvc_null": "hvc_psci_version", "smccc_unknown": "hvc_unknown_fid",
       "gicd_read": "mmio_gicd_typer_read", "uart_read": "mmio_uartfr_read"}
configs = [("xen-dom0less", "Xen 4.17"), ("kvm-vhe", "KVM VHE"), ("kvm-nvhe", "KVM nVHE"),
           ("kvm-protected", "pKVM"), ("stub", "EL2 stub")]
peers = {}  # config -> {op: value}
for tag, _ in configs:
    path = os.path.join(results, tag + ".run1.net")
    if os.path.exists(path):
        d = {}
        for line in open(path):
            m = re.match(r"NET (\S+) ns_per_op=(-?[0-9.]+)", line)
            if m:
                d[m.group(1)] = float(m.group(2))
        if d:
            peers[tag] = d
source = "measured, " + results
readme = os.path.join(peer_dir, "README.md")
if not peers and os.path.exists(readme):
    # The figures peer-bench's README records: null HVC, GICD read, PL011 read.
    source = "recorded in " + readme
    names = {"EL2 stub": "stub", "Xen 4.17": "xen-dom0less", "KVM 6.1, VHE": "kvm-vhe",
             "KVM 6.1, nVHE": "kvm-nvhe", "KVM 6.1, protected": "kvm-protected"}
    for line in open(readme):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 4:
            tag = next((t for k, t in names.items() if cells[0].startswith(k)), None)
            if tag:
                vals = [re.match(r"[0-9.]+", c) for c in cells[1:]]
                peers[tag] = {op: float(v.group(0)) for op, v in
                              zip(["hvc_psci_version", "mmio_gicd_typer_read", "mmio_uartfr_read"], vals) if v}
if not peers:
    print("bench: no peer figures (%s not found)" % peer_dir)
else:
    print("bench: peer figures, guest instructions per operation (%s)" % source)
    shown = [(t, d) for t, d in configs if t in peers]
    print("bench: %-14s %8s" % ("operation", "facet") +
          "".join(" %12s" % d for _, d in shown) + "  facet/Xen")
    for op, peer_op in ops.items():
        if op not in ours:
            continue
        row = "bench: %-14s %8.1f" % (op, ours[op])
        for t, _ in shown:
            v = peers[t].get(peer_op)
            row += " %12s" % ("%.1f" % v if v is not None else "-")
        xen = peers.get("xen-dom0less", {}).get(peer_op)
        row += "  %.3f" % (ours[op] / xen) if xen else "  -"
        print(row)

# Issue 3's targets.
checks = [("hvc_null", 25), ("gicd_read", 120), ("uart_read", 120), ("uart_write", 120),
          ("linux_boot_ratio", 1.05), ("image_bytes", 65536), ("vm_overhead_bytes", 65536)]
xen = peers.get("xen-dom0less", {})
for op, peer_op in ops.items():
    if peer_op in xen:
        checks.append((op, xen[peer_op] / 3))
missed = 0
for name, limit in checks:
    if name not in ours:
        continue
    ok = ours[name] <= limit
    missed += not ok
    print("bench: target %s <= %g: %s (%g)" % (name, round(limit, 3), "met" if ok else "MISSED", ours[name]))
print("bench: %d target(s) missed" % missed)
EOF
echo "bench: QEMU $("$QEMU" --version | head -n 1 | sed 's/QEMU emulator version //'), $(date -u +%Y-%m-%d)"
