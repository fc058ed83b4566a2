# shellcheck shell=bash
# Sourced by scripts/integration: headless Chromium for the console's browser
# test (examples/console/browser_test.go, driven by chromedp). Debian's
# chromium is installed when missing and asked for by path: another
# `chromium` earlier on PATH (a snap wrapper, a downloaded build) is a
# different browser. Exports AWSCONNECT_IT_CHROMIUM, and the folder the
# test writes its screenshots under (AWSCONNECT_ARTIFACTS, which CI keeps).
apt_install /usr/bin/chromium chromium
/usr/bin/chromium --headless --no-sandbox --version >/dev/null 2>&1 || die "/usr/bin/chromium does not run on this machine"
export AWSCONNECT_IT_CHROMIUM=/usr/bin/chromium
export AWSCONNECT_ARTIFACTS="${AWSCONNECT_ARTIFACTS:-$PWD/.ci/artifacts}"
mkdir -p "$AWSCONNECT_ARTIFACTS/screenshots"
log "Chromium: $("$AWSCONNECT_IT_CHROMIUM" --headless --no-sandbox --version 2>/dev/null); screenshots go to $AWSCONNECT_ARTIFACTS/screenshots"

# The browser test carries the integration tag; vet it with the suite's files.
go vet -tags integration ./examples/console/
