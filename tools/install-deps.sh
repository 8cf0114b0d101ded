#!/bin/sh
# Installs every Debian 12 package mink needs to build, boot and test
# (listed one per line in tools/debian-packages.txt). Run as root or via sudo.
set -eu
here=$(dirname "$0")
if [ "$(id -u)" -ne 0 ]; then
    exec sudo "$0" "$@"
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
# shellcheck disable=SC2046 # one package per word is the point
apt-get install -y -q --no-install-recommends $(grep -v '^#' "$here/debian-packages.txt")
