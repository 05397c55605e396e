#!/bin/bash
# Installs what facet needs on a Debian 12 machine, skipping what is already there.
# Host packages come from apt; the arm64 pieces (libfdt for EL2, the Debian arm64 Linux kernel,
# busybox-static) are downloaded as .debs and extracted into a build-local sysroot, because
# their amd64 counterparts conflict with them as installed packages.
set -euo pipefail
cd "$(dirname "$0")/.."
SYSROOT=${SYSROOT:-build/sysroot}

HOST_PKGS="make gcc clang libc6-dev qemu-system-arm gcc-aarch64-linux-gnu binutils-aarch64-linux-gnu
 picolibc-aarch64-linux-gnu device-tree-compiler libfdt-dev libcmocka-dev libssl-dev pkg-config
 cpio gzip python3 file libclang-rt-14-dev"
ARM64_PKGS="libfdt-dev libfdt1 busybox-static libbearssl-dev libbearssl0"

missing=""
for p in $HOST_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
need_update=0
[ -n "$missing" ] && need_update=1
if ! dpkg --print-foreign-architectures | grep -qx arm64; then
  dpkg --add-architecture arm64
  need_update=1
fi
if [ ! -f "$SYSROOT/.done" ]; then need_update=1; fi
if [ "$need_update" = 1 ]; then
  echo "setup: apt-get update" >&2
  apt-get update -qq >/dev/null || apt-get update
fi
if [ -n "$missing" ]; then
  echo "setup: installing$missing" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi

if [ ! -f "$SYSROOT/.done" ]; then
  mkdir -p "$SYSROOT/debs"
  # The newest Debian arm64 kernel image package (linux-image-arm64 is a meta package).
  KPKG=$(apt-cache depends linux-image-arm64:arm64 2>/dev/null | awk '/Depends: linux-image-[0-9]/{print $2; exit}' | sed 's/:arm64$//')
  [ -n "$KPKG" ] || { echo "setup: cannot resolve linux-image-arm64" >&2; exit 1; }
  ( cd "$SYSROOT/debs" && for p in $ARM64_PKGS "$KPKG"; do
      ls ${p}_*_arm64.deb >/dev/null 2>&1 || apt-get download -qq "$p:arm64"
    done )
  for d in "$SYSROOT"/debs/*.deb; do dpkg-deb -x "$d" "$SYSROOT"; done
  echo "$KPKG" > "$SYSROOT/kernel-package"
  touch "$SYSROOT/.done"
fi
