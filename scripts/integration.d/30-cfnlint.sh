# shellcheck shell=bash
# Sourced by scripts/integration: two CloudFormation linters nobody here
# wrote, for the onboarding package's templates (onboarding/lint_integration_test.go).
#   - cfn-lint (npm), which checks a template's structure, intrinsic
#     functions and every resource property against the CloudFormation
#     resource specification. Its bundled specification (2.29.0, 2019)
#     predates properties such as AWS::IAM::Role's Description, so it is
#     run with AWS's specification as @aws-cdk/cfnspec ships it.
#   - AWS CloudFormation Guard (cfn-guard, the binary that
#     @cdklabs/cdk-validator-cfnguard ships) with the AWS Control Tower
#     proactive rules in that package (no admin or full-access statements
#     in IAM policies, among others).
# Exports AWSCONNECT_IT_CFN_LINT (cfn-lint's entry script, run with node),
# AWSCONNECT_IT_CFN_GUARD (the binary) and AWSCONNECT_IT_CFN_GUARD_RULES.

cfnlint_ver=1.9.7
cfnspec_ver=2.72.1
cfnguard_pkg_ver=0.0.62
cfnlint_dir="$tools/cfnlint-$cfnlint_ver-cfnspec-$cfnspec_ver-cfnguard-$cfnguard_pkg_ver"

command -v node >/dev/null 2>&1 || apt_install node nodejs
command -v npm >/dev/null 2>&1 || apt_install npm npm
if [ ! -f "$cfnlint_dir/.installed" ]; then
  log "installing cfn-lint@$cfnlint_ver, @aws-cdk/cfnspec@$cfnspec_ver and @cdklabs/cdk-validator-cfnguard@$cfnguard_pkg_ver into $cfnlint_dir"
  rm -rf "$cfnlint_dir"
  mkdir -p "$cfnlint_dir"
  # No install scripts (none is needed), and no peer dependencies: the
  # validator's aws-cdk-lib peer is for CDK apps, not for its binary.
  npm install --prefix "$cfnlint_dir" --no-audit --no-fund --no-save --ignore-scripts --legacy-peer-deps \
    "cfn-lint@$cfnlint_ver" "@aws-cdk/cfnspec@$cfnspec_ver" "@cdklabs/cdk-validator-cfnguard@$cfnguard_pkg_ver" \
    >"$work/npm-cfnlint.log" 2>&1 || die "npm install of the CloudFormation linters failed (log: $work/npm-cfnlint.log)"
  cp "$cfnlint_dir/node_modules/@aws-cdk/cfnspec/spec/specification.json" \
    "$cfnlint_dir/node_modules/cfn-lint/data/aws_resources_specification.json" ||
    die "could not give cfn-lint the current resource specification"
  touch "$cfnlint_dir/.installed"
fi

case "$(uname -m)" in
  x86_64 | amd64) cfnguard_arch=x86_64 ;;
  aarch64 | arm64) cfnguard_arch=aarch64 ;;
  *) die "cfn-guard ships no binary for $(uname -m)" ;;
esac
cfnguard_pkg="$cfnlint_dir/node_modules/@cdklabs/cdk-validator-cfnguard"
export AWSCONNECT_IT_CFN_LINT="$cfnlint_dir/node_modules/cfn-lint/lib/index.js"
export AWSCONNECT_IT_CFN_GUARD="$cfnguard_pkg/bin/ubuntu/$cfnguard_arch/cfn-guard"
export AWSCONNECT_IT_CFN_GUARD_RULES="$cfnguard_pkg/rules/control-tower/cfn-guard"
[ -f "$AWSCONNECT_IT_CFN_LINT" ] || die "cfn-lint is missing from $cfnlint_dir; remove the directory to reinstall"
[ -x "$AWSCONNECT_IT_CFN_GUARD" ] || die "cfn-guard is missing from $cfnguard_pkg; remove $cfnlint_dir to reinstall"
"$AWSCONNECT_IT_CFN_GUARD" --version >/dev/null || die "cfn-guard does not run on this machine"
