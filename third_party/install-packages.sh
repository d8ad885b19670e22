#!/usr/bin/env bash
# Installs the Debian packages listed in a package list (default: packages.txt next to this
# script). Run as root, or with sudo available.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
list="${1:-$here/packages.txt}"
mapfile -t pkgs < <(grep -v '^\s*#' "$list" | grep -v '^\s*$')
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
$SUDO apt-get update -q
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${pkgs[@]}"
