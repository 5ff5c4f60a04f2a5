#!/usr/bin/env bash
# Installs the system packages onebit's tests need that npm cannot provide: Debian's chromium,
# which the browser tests drive through playwright-core (never a downloaded browser).
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
command -v chromium
