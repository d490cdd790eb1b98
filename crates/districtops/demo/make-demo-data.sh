#!/usr/bin/env bash
# Makes huaiyin-projects.xlsx, the demo district's key-project ledger, from its flat-ODS
# source huaiyin-projects.fods, with LibreOffice, so the demo loads a file saved by an office
# suite through the same import users use (`districtops import projects`).
#
# LibreOffice is needed only here, not to build, test or run districtops:
#   apt-get install -y --no-install-recommends libreoffice-calc
# Run it after changing huaiyin-projects.fods and commit the .xlsx beside it:
#   crates/districtops/demo/make-demo-data.sh
# then check the figures: cargo test -p districtops --test demo_data
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v soffice >/dev/null; then
    echo "soffice not found: apt-get install -y --no-install-recommends libreoffice-calc" >&2
    exit 1
fi
# A private profile, so a running LibreOffice or a first-start dialog does not interfere.
profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
soffice -env:UserInstallation="file://$profile" --headless --norestore \
    --convert-to xlsx:"Calc MS Excel 2007 XML" --outdir . huaiyin-projects.fods >/dev/null
echo "made huaiyin-projects.xlsx"
