#!/bin/sh
# Installs every Debian package mink needs to build, boot and test, listed one
# per line in tools/debian-packages.txt; the same names on Debian 12 and 13. As
# a normal user it asks sudo for root; a fresh Debian without sudo needs it run
# as root.
set -eu
here=$(dirname "$0")
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-deps.sh: installing packages needs root, and sudo is not installed;" >&2
        echo "run it as root instead: su -c '$0'" >&2
        exit 1
    fi
    exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2046 # one package per word is the point
apt-get install -y -q --no-install-recommends $(grep -v '^#' "$here/debian-packages.txt")
