#!/bin/sh
# Makes kubelab's offline base: a Debian bookworm root filesystem with the node's packages,
# built with debootstrap from Debian's package mirror (no container registry needed).
# Usage: build-rootfs.sh TARGET_DIR PACKAGES_FILE [MIRROR]
set -eu
target=$1
packages=$(tr '\n' ',' < "$2" | sed 's/,*$//')
mirror=${3:-http://deb.debian.org/debian}

debootstrap --variant=minbase --include="$packages" bookworm "$target" "$mirror"

# Same apt sources as the official image, so users can apt-get inside a node later.
echo "deb $mirror bookworm main" > "$target/etc/apt/sources.list"
# Trim what an image does not need.
rm -rf "$target"/var/cache/apt/archives/*.deb "$target"/var/lib/apt/lists/* "$target"/usr/share/doc/* \
       "$target"/usr/share/man/* "$target"/usr/share/locale/* "$target"/var/log/*.log
