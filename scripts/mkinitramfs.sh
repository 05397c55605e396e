#!/bin/bash
# Builds the Linux guests' initramfs: the static arm64 busybox and an /init that
# mounts proc/sys/devtmpfs, prints
#   FACET-LINUX-UP persona=<facet.persona=> cpus=<processors in /proc/cpuinfo>
# and then powers off (kernel command line facet.test=poweroff) or runs a shell
# on the console with the persona in its prompt.
#
# The archive (cpio "newc", the format the kernel unpacks: Linux
# Documentation/driver-api/early-userspace/buffer-format.rst) is written by a
# few lines of Python rather than cpio(1), so that /dev/console can be a device
# node without root, and the output is byte-for-byte reproducible (mtime 0,
# owner root).
#
# Usage: scripts/mkinitramfs.sh [OUTPUT]   (default build/linux/initramfs.cpio.gz)
set -euo pipefail
cd "$(dirname "$0")/.."
SYSROOT=${SYSROOT:-build/sysroot}
OUT=${1:-build/linux/initramfs.cpio.gz}
BUSYBOX="$SYSROOT/bin/busybox"

[ -x "$BUSYBOX" ] || { echo "mkinitramfs: $BUSYBOX missing (run scripts/setup.sh)" >&2; exit 1; }
file -L "$BUSYBOX" | grep -q 'ARM aarch64.*statically linked' ||
	{ echo "mkinitramfs: $BUSYBOX is not a static arm64 binary" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

cat > "$WORK/init" <<'EOF'
#!/bin/busybox sh
# facet Linux guest: PID 1.
/bin/busybox mkdir -p /proc /sys /dev /tmp /root
/bin/busybox mount -t proc proc /proc
/bin/busybox --install -s
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
export PATH=/bin:/sbin:/usr/bin:/usr/sbin HOME=/root

persona=none
test=
for arg in $(cat /proc/cmdline); do
	case "$arg" in
	facet.persona=*) persona=${arg#facet.persona=} ;;
	facet.test=*) test=${arg#facet.test=} ;;
	esac
done
cpus=$(grep -c '^processor' /proc/cpuinfo)
echo "FACET-LINUX-UP persona=$persona cpus=$cpus"

if [ "$test" = poweroff ]; then
	poweroff -f
fi

export PS1="$persona:\w# "
# cttyhack gives the shell the real console tty (job control, Ctrl-C);
# a new shell starts when one exits, since PID 1 must not.
while true; do
	setsid cttyhack sh
	sleep 1
done
EOF

python3 - "$WORK/init" "$BUSYBOX" "$WORK/initramfs.cpio" <<'EOF'
import stat
import sys

init_path, busybox_path, out_path = sys.argv[1:4]
entries = []  # (name, mode, data, rdev major, rdev minor)

def add(name, mode, data=b"", rmaj=0, rmin=0):
    entries.append((name, mode, data, rmaj, rmin))

for d in ["bin", "sbin", "usr", "usr/bin", "usr/sbin", "dev", "proc", "sys", "tmp", "root", "etc"]:
    add(d, stat.S_IFDIR | 0o755)
add("bin/busybox", stat.S_IFREG | 0o755, open(busybox_path, "rb").read())
add("bin/sh", stat.S_IFLNK | 0o777, b"busybox")
add("init", stat.S_IFREG | 0o755, open(init_path, "rb").read())
# The kernel opens /dev/console for init before any devtmpfs is mounted.
add("dev/console", stat.S_IFCHR | 0o600, rmaj=5, rmin=1)
add("TRAILER!!!", 0)

def pad4(n):
    return (4 - n % 4) % 4

with open(out_path, "wb") as out:
    for ino, (name, mode, data, rmaj, rmin) in enumerate(entries, 1):
        namez = name.encode() + b"\0"
        nlink = 2 if stat.S_ISDIR(mode) else 1
        fields = [ino, mode, 0, 0, nlink, 0, len(data), 0, 0, rmaj, rmin, len(namez), 0]
        hdr = b"070701" + b"".join(b"%08X" % f for f in fields)
        out.write(hdr + namez + b"\0" * pad4(len(hdr) + len(namez)))
        out.write(data + b"\0" * pad4(len(data)))
EOF

mkdir -p "$(dirname "$OUT")"
gzip -9 -n -c "$WORK/initramfs.cpio" > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "mkinitramfs: $OUT ($(stat -c %s "$OUT") bytes)"
