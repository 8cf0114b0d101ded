#!/bin/sh
# Installs the Debian packages mink needs, listed one per line in
# tools/debian-packages.txt; the same names on Debian 12 and 13. By default both
# groups: [build] (the ISO) and [test] (tests, debugger, editors); with
# --build-only the first alone, and the tests that need the rest are skipped.
# As a normal user it asks sudo for root; a fresh Debian without sudo needs it
# run as root.
# Usage: tools/install-deps.sh [--build-only]
set -eu
here=$(dirname "$0")
case ${1:-} in
'') groups='build test' ;;
--build-only) groups='build' ;;
*) echo "usage: $0 [--build-only]" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null 2>&1; then
        echo "install-deps.sh: installing packages needs root, and sudo is not installed;" >&2
        echo "run it as root instead: su -c '$0 $*'" >&2
        exit 1
    fi
    exec sudo "$0" "$@"
fi
# The package lines of the wanted groups ("[group]" starts one; '#' comments).
packages=$(awk -v wanted=" $groups " '/^\[/ { group = substr($1, 2, length($1) - 2); next }
    /^#/ || NF == 0 { next }
    index(wanted, " " group " ") { print $1 }' "$here/debian-packages.txt")
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2086 # one package per word is the point
apt-get install -y -q --no-install-recommends $packages
