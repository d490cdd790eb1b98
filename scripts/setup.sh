#!/usr/bin/env bash
# Installs what districtops needs on a fresh Debian machine of this project's kind.
#   scripts/setup.sh build   front-end packages (npm ci) — enough to build and run the demo
#   scripts/setup.sh test    also Chromium and CJK fonts for the browser tests, and makes sure
#                            PostgreSQL is running on 127.0.0.1:5432
#   scripts/setup.sh bench   also wrk, the load generator of bench/run.py
set -euo pipefail
cd "$(dirname "$0")/.."
what=${1:-build}

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "==> npm ci (front-end packages pinned in package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi

if [ "$what" = bench ] && ! command -v wrk >/dev/null 2>&1; then
  echo "==> apt-get install wrk"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends wrk
fi

if [ "$what" = test ]; then
  missing=()
  command -v chromium >/dev/null 2>&1 || missing+=(chromium)
  fc-list 2>/dev/null | grep -q "Noto Sans CJK" || missing+=(fonts-noto-cjk)
  command -v pg_isready >/dev/null 2>&1 || missing+=(postgresql-client)
  if [ ${#missing[@]} -gt 0 ]; then
    echo "==> apt-get install ${missing[*]}"
    as_root apt-get update -qq
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  if ! pg_isready -q -h 127.0.0.1 -p 5432; then
    echo "==> starting PostgreSQL"
    as_root pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql)" main start
    for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
  fi
  pg_isready -h 127.0.0.1 -p 5432
fi
