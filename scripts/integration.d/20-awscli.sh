# shellcheck shell=bash
# The AWS CLI as a second real client of the local AWS (examples/localaws),
# sourced by scripts/integration: it installs Debian's awscli when missing,
# builds the server program, seeds it with keys generated for this run,
# starts it on a free loopback port, waits for the environment it prints,
# and exports what integration/awscli_test.go and onboarding_cli_test.go read.
#
# Debian's package is asked for by path (/usr/bin/aws): another `aws` earlier
# on PATH (a pip install, a pyenv shim) is a different client.

apt_install /usr/bin/aws awscli

log "building examples/localaws"
go build -o "$work/localaws" ./examples/localaws || die "building examples/localaws failed"

localaws_port=$(free_port)
localaws_platform_key="AKIA$(random_token 16 'A-Z2-7')"
localaws_platform_secret="$(random_token 40)"
localaws_customer_key="AKIA$(random_token 16 'A-Z2-7')"
localaws_customer_secret="$(random_token 40)"

# The platform user may assume roles (its default policy); the customer's
# administrator may do anything in its own account, as an account owner
# creating the role in the console would. The bucket and the function are
# what the role's least-privilege policy will grant.
cat >"$work/localaws-seed.json" <<SEED
{"accounts": [
  {"id": "111122223333",
   "users": [{"name": "platform", "access_keys": [{"access_key_id": "$localaws_platform_key", "secret_access_key": "$localaws_platform_secret"}]}]},
  {"id": "444455556666",
   "users": [{"name": "admin",
     "policies": {"administrator": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}},
     "access_keys": [{"access_key_id": "$localaws_customer_key", "secret_access_key": "$localaws_customer_secret"}]}],
   "buckets": ["awsconnect-cli"],
   "functions": [{"name": "echo"}]}
]}
SEED

start localaws "$work/localaws" -addr "127.0.0.1:$localaws_port" -seed "$work/localaws-seed.json" \
  -env-file "$work/localaws.env"
localaws_pid=${pids[-1]}
log "waiting for the local AWS on 127.0.0.1:$localaws_port"
wait_until localaws "$localaws_pid" 60 test -s "$work/localaws.env"

export AWSCONNECT_IT_AWSCLI=/usr/bin/aws
# The environment the server printed: endpoint, the platform's key, region.
export AWSCONNECT_IT_LOCALAWS_ENV="$work/localaws.env"
export AWSCONNECT_IT_LOCALAWS_CUSTOMER_ACCESS_KEY="$localaws_customer_key"
export AWSCONNECT_IT_LOCALAWS_CUSTOMER_SECRET_KEY="$localaws_customer_secret"
