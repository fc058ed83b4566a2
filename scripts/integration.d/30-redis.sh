# Sourced by scripts/integration: starts a Redis for the fleet tests (package
# redisstore and integration/fleet_test.go).
#
# Debian's redis-server, installed when missing, on 127.0.0.1 at a free port,
# with no persistence (no RDB snapshots, no AOF: the store holds only
# credentials that expire within hours, and a test's data must not outlive
# the run) and protected mode on. Tests that kill a Redis start their own
# from the same binary, named by AWSCONNECT_IT_REDIS_SERVER.
apt_install redis-server redis-server

redis_port=$(free_port)
mkdir -p "$work/redis"
start redis "$(command -v redis-server)" --bind 127.0.0.1 --port "$redis_port" \
  --save '' --appendonly no --dir "$work/redis" --protected-mode yes \
  --daemonize no --logfile ''
redis_pid=${pids[-1]}
log "waiting for Redis on 127.0.0.1:$redis_port"
# PING through bash's /dev/tcp: redis-cli is a separate Debian package on
# some releases, and the protocol's inline form needs no client.
wait_until redis "$redis_pid" 30 bash -c \
  'exec 3<>"/dev/tcp/127.0.0.1/$1" && printf "PING\r\n" >&3 && IFS= read -r -t 2 line <&3 && [ "${line%$'"'"'\r'"'"'}" = +PONG ]' \
  redis-ping "$redis_port"

export AWSCONNECT_IT_REDIS_ADDR="127.0.0.1:$redis_port"
export AWSCONNECT_IT_REDIS_SERVER
AWSCONNECT_IT_REDIS_SERVER=$(command -v redis-server)

# redisstore's own Redis tests carry the integration tag too; vet them with
# the suite's files.
go vet -tags integration ./redisstore/
