#!/usr/bin/env bash
# Runs a real Apache Kafka cluster (KRaft, 1 or 3 nodes) on 127.0.0.1 for the
# integration tests, the end-to-end benchmark and anyone trying the producer.
# Kafka's jars come from Maven Central (scripts/kafka/pom.xml) into a cache
# outside the repo; the cluster's data and logs live in a temp dir that every
# `start` and `stop` wipes. See docs/kafka-local.md.
set -euo pipefail

usage() {
  cat <<'EOF'
Usage: scripts/kafka-local.sh COMMAND [ARGS]

A real Apache Kafka broker on 127.0.0.1 (KRaft, combined broker+controller).

Commands:
  start [--nodes 1|3] [--timeout S] [--secure]
                                      start a fresh cluster (wipes old data) and
                                      return once every node is ready; prints the
                                      bootstrap servers. --secure: clients connect
                                      over SASL_SSL (SCRAM, a throwaway CA)
  secure-info                         a --secure cluster's CA file, user, password
                                      file... as KEY=VALUE lines
  stop                                stop gracefully (SIGTERM, then SIGKILL after
                                      20 s) and wipe the state dir; idempotent
  status                              nodes, pids, ports; exit 0 all up, 3 none up,
                                      1 some up
  logs [N]                            last N (default 40) lines of each node's log
  wait-ready [--timeout S]            wait until every node serves metadata
  bootstrap [--nodes N]               print the bootstrap servers
  classpath                           print a java classpath with Kafka's tools:
                                        java -cp "$(scripts/kafka-local.sh classpath)" \
                                          org.apache.kafka.tools.consumer.ConsoleConsumer ...
  topic create NAME [--partitions P] [--replication R] [--config K=V]...
  topic list | topic describe [NAME] | topic delete NAME
  kill NODE                           kill -9 one node (1..3), for fault tests
  restart-node NODE                   start a killed node again on its data
  fetch                               only download the jars into the cache

Environment:
  KAFKA_LOCAL_DIR        state dir (data, logs, pids)   [/tmp/iiot-kafka-local]
  KAFKA_LOCAL_CACHE      jar cache   [${XDG_CACHE_HOME:-~/.cache}/iiot-producer/kafka-VERSION]
  KAFKA_LOCAL_VERSION    Kafka version                  [from scripts/kafka/pom.xml]
  KAFKA_LOCAL_NODES      default for --nodes            [1]
  KAFKA_LOCAL_PORT_BASE  broker ports BASE.., controller ports BASE+10000.. [9092]
  KAFKA_LOCAL_HEAP       JVM heap flags per node        [-Xmx512m -Xms256m]
  KAFKA_LOCAL_JAVA_OPTS  extra JVM flags per node
  KAFKA_LOCAL_AUTO_CREATE  false disables topic auto-creation [true]
  KAFKA_LOCAL_TIMEOUT    readiness timeout in seconds   [90]
  KAFKA_LOCAL_STOP_TIMEOUT  graceful stop timeout in seconds [20]
  KAFKA_LOCAL_KEEP_STATE 1 keeps data and logs after stop [0]
  KAFKA_LOCAL_TLS_SAN    --secure: the broker certificate's subjectAltName
                         [IP:127.0.0.1,DNS:localhost]
EOF
}

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
readonly SCRIPT_DIR
readonly POM="$SCRIPT_DIR/kafka/pom.xml"

pom_version() {
  sed -n 's:.*<kafka\.version>\(.*\)</kafka\.version>.*:\1:p' "$POM" | head -n 1
}

KAFKA_VERSION=${KAFKA_LOCAL_VERSION:-$(pom_version)}
readonly KAFKA_VERSION
readonly CACHE=${KAFKA_LOCAL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iiot-producer/kafka-$KAFKA_VERSION}
readonly LIBS="$CACHE/libs"
readonly MARKER="$CACHE/.complete"
STATE=$(realpath -m "${KAFKA_LOCAL_DIR:-/tmp/iiot-kafka-local}")
readonly STATE
readonly STATE_MARK="$STATE/.iiot-kafka-local"
readonly CLUSTER_ENV="$STATE/cluster.env"
readonly TIMEOUT_DEFAULT=${KAFKA_LOCAL_TIMEOUT:-90}
STOP_TIMEOUT=${KAFKA_LOCAL_STOP_TIMEOUT:-20}
readonly READY_LINE='Kafka Server started'

# Cluster shape; read back from $CLUSTER_ENV once a cluster exists so that
# stop/status/... act on the cluster that was started, whatever the env says now.
NODES=${KAFKA_LOCAL_NODES:-1}
PORT_BASE=${KAFKA_LOCAL_PORT_BASE:-9092}
SECURE=0
JAVA=""

log() { printf 'kafka-local: %s\n' "$*" >&2; }
die() { printf 'kafka-local: error: %s\n' "$*" >&2; exit 1; }

is_uint() { [[ $1 =~ ^[0-9]+$ ]]; }

# ---------------------------------------------------------------- tools ---

apt_install() {
  local what=$1; shift
  if [[ $(id -u) -ne 0 ]]; then
    die "$what not found. Install it (Debian/Ubuntu: sudo apt-get install -y $*) or put it on PATH."
  fi
  command -v apt-get >/dev/null 2>&1 ||
    die "$what not found and apt-get is not available; install $* by hand."
  log "$what not found; installing $* with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  { apt-get update -qq && apt-get install -y -qq --no-install-recommends "$@"; } >&2 ||
    die "apt-get install $* failed"
}

java_major() {
  # "17.0.15" -> 17, "1.8.0_402" -> 8
  local v
  v=$("$1" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  v=${v#1.}
  printf '%s\n' "${v%%[.+_-]*}"
}

ensure_java() {
  [[ -n $JAVA ]] && return 0
  if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
    JAVA=$JAVA_HOME/bin/java
  elif command -v java >/dev/null 2>&1; then
    JAVA=$(command -v java)
  else
    apt_install java openjdk-17-jre-headless
    JAVA=$(command -v java) || die "java still not found after installing it"
  fi
  local major
  major=$(java_major "$JAVA")
  if ! is_uint "$major" || ((major < 11)); then
    die "$JAVA is Java ${major:-?}; Kafka $KAFKA_VERSION needs Java 11 or newer (17 recommended)"
  fi
}

ensure_mvn() {
  command -v mvn >/dev/null 2>&1 && return 0
  apt_install mvn maven
  command -v mvn >/dev/null 2>&1 || die "mvn still not found after installing maven"
}

pom_sum() { sha256sum "$POM" | cut -d' ' -f1; }

libs_ready() {
  [[ -f $MARKER && $(cat "$MARKER") == "kafka=$KAFKA_VERSION pom=$(pom_sum)" ]]
}

# Downloads Kafka and its tools into $LIBS once; later calls reuse the cache.
ensure_libs() {
  libs_ready && return 0
  [[ -f $POM ]] || die "missing $POM"
  mkdir -p "$CACHE"
  # Parallel callers (tests) wait for one download instead of racing.
  exec 9>"$CACHE/.lock"
  flock 9
  if libs_ready; then exec 9>&-; return 0; fi
  ensure_java
  ensure_mvn
  log "downloading Apache Kafka $KAFKA_VERSION from Maven Central into $CACHE (once, ~50 MB)"
  local t0=$SECONDS
  rm -rf "$CACHE/libs.tmp" "$CACHE/build" "$MARKER"
  mkdir -p "$CACHE/build"
  cp "$POM" "$CACHE/build/pom.xml"
  if ! (cd "$CACHE/build" && JAVA_HOME=${JAVA_HOME:-$(dirname "$(dirname "$(realpath "$JAVA")")")} \
        mvn -B -q -Dkafka.version="$KAFKA_VERSION" dependency:copy-dependencies \
        -DincludeScope=runtime -DoutputDirectory="$CACHE/libs.tmp") >"$CACHE/mvn.log" 2>&1; then
    tail -n 30 "$CACHE/mvn.log" >&2
    die "mvn could not fetch Kafka $KAFKA_VERSION (full log: $CACHE/mvn.log)"
  fi
  [[ -f $CACHE/libs.tmp/kafka_2.13-$KAFKA_VERSION.jar && -f $CACHE/libs.tmp/kafka-tools-$KAFKA_VERSION.jar ]] ||
    die "mvn finished but the Kafka $KAFKA_VERSION jars are missing from $CACHE/libs.tmp"
  rm -rf "$LIBS"
  mv "$CACHE/libs.tmp" "$LIBS"
  write_tools_log4j
  printf 'kafka=%s pom=%s\n' "$KAFKA_VERSION" "$(pom_sum)" >"$MARKER"
  log "downloaded $(find "$LIBS" -name '*.jar' | wc -l) jars in $((SECONDS - t0)) s"
  exec 9>&-
}

# Command-line tools log warnings only, to stderr (first on the classpath).
write_tools_log4j() {
  mkdir -p "$CACHE/conf"
  cat >"$CACHE/conf/log4j.properties" <<'EOF'
log4j.rootLogger=WARN, stderr
log4j.appender.stderr=org.apache.log4j.ConsoleAppender
log4j.appender.stderr.Target=System.err
log4j.appender.stderr.layout=org.apache.log4j.PatternLayout
log4j.appender.stderr.layout.ConversionPattern=[%d] %p %m (%c)%n
EOF
}

classpath() { printf '%s:%s/*\n' "$CACHE/conf" "$LIBS"; }

# Runs a Kafka tool class with a small, fast-starting JVM.
run_tool() {
  "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -cp "$(classpath)" "$@"
}

# ---------------------------------------------------------------- state ---

broker_port() { echo $((PORT_BASE + $1 - 1)); }
controller_port() { echo $((PORT_BASE + 10000 + $1 - 1)); }
node_dir() { echo "$STATE/node-$1"; }
node_props() { echo "$STATE/node-$1/server.properties"; }
node_log() { echo "$STATE/node-$1/logs/server.log"; }

bootstrap_servers() {
  local n out=""
  for ((n = 1; n <= NODES; n++)); do
    out+="${out:+,}127.0.0.1:$(broker_port "$n")"
  done
  printf '%s\n' "$out"
}

load_cluster() {
  [[ -f $CLUSTER_ENV ]] || return 1
  local key val
  while IFS='=' read -r key val; do
    case $key in
      NODES) NODES=$val ;;
      PORT_BASE) PORT_BASE=$val ;;
      SECURE) SECURE=$val ;;
    esac
  done <"$CLUSTER_ENV"
  if ! is_uint "$NODES" || ! is_uint "$PORT_BASE" || [[ ! $SECURE =~ ^[01]$ ]]; then
    die "corrupt $CLUSTER_ENV"
  fi
}

require_cluster() {
  load_cluster || die "no cluster in $STATE; run: scripts/kafka-local.sh start"
}

check_node_arg() {
  if [[ ! ${1:-} =~ ^[1-9]$ ]] || (($1 > NODES)); then
    die "NODE must be 1..$NODES (got '${1:-}')"
  fi
}

# Deletes the state dir, but only one this script made (or an empty one).
wipe_state() {
  [[ -e $STATE ]] || return 0
  if [[ -f $STATE_MARK || -z $(ls -A "$STATE" 2>/dev/null) ]]; then
    rm -rf "$STATE"
  else
    die "$STATE exists and was not created by kafka-local.sh; refusing to delete it (set KAFKA_LOCAL_DIR)"
  fi
}

# ---------------------------------------------------------------- processes ---

cmdline_has() { # pid string
  local cmd
  cmd=$(tr '\0' ' ' 2>/dev/null <"/proc/$1/cmdline") || return 1
  [[ $cmd == *"$2"* ]]
}

# Pid of a node's broker process, or nothing. The pid file is checked against
# the process's command line; a lost pid file falls back to a /proc scan for
# this node's own server.properties path.
node_pid() {
  local props pid p
  props=$(node_props "$1")
  pid=$(cat "$(node_dir "$1")/pid" 2>/dev/null || true)
  if [[ -n $pid ]] && cmdline_has "$pid" "kafka.Kafka $props"; then
    echo "$pid"
    return 0
  fi
  for p in /proc/[0-9]*; do
    p=${p#/proc/}
    if cmdline_has "$p" "kafka.Kafka $props"; then
      echo "$p"
      return 0
    fi
  done
  return 0
}

node_alive() { [[ -n $(node_pid "$1") ]]; }

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

ready_in_log() { # node: "Kafka Server started" logged since the last launch
  local log off size
  log=$(node_log "$1")
  [[ -f $log ]] || return 1
  off=$(cat "$(node_dir "$1")/log.offset" 2>/dev/null || echo 0)
  size=$(stat -c %s "$log")
  ((size >= off)) || off=0 # the log rolled over
  tail -c +"$((off + 1))" "$log" | grep -q "$READY_LINE"
}

show_log_tail() { # node [lines]
  local n=$1 lines=${2:-40} log out
  log=$(node_log "$n")
  out="$(node_dir "$n")/stdout.log"
  if [[ -s $log ]]; then
    printf -- '---- last %s lines of %s ----\n' "$lines" "$log" >&2
    tail -n "$lines" "$log" >&2
  else
    printf -- '---- %s is empty or missing ----\n' "$log" >&2
  fi
  if [[ -s $out ]]; then
    printf -- '---- %s ----\n' "$out" >&2
    tail -n 20 "$out" >&2
  fi
}

launch_node() {
  local n=$1 dir log
  dir=$(node_dir "$n")
  log=$(node_log "$n")
  mkdir -p "$dir/logs"
  if [[ -f $log ]]; then stat -c %s "$log" >"$dir/log.offset"; else echo 0 >"$dir/log.offset"; fi
  local heap java_opts
  read -r -a heap <<<"${KAFKA_LOCAL_HEAP:--Xmx512m -Xms256m}"
  read -r -a java_opts <<<"${KAFKA_LOCAL_JAVA_OPTS:-}"
  # setsid: the broker outlives the shell that started it and ignores its
  # Ctrl-C; only stop/kill end it.
  setsid nohup "$JAVA" "${heap[@]}" -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent \
    -XX:+ExitOnOutOfMemoryError -XX:ErrorFile="$dir/logs/hs_err_pid%p.log" -Djava.awt.headless=true \
    -Dlog4j.configuration="file:$STATE/log4j.properties" -Dkafka.logs.dir="$dir/logs" \
    "${java_opts[@]}" -cp "$LIBS/*" kafka.Kafka "$(node_props "$n")" \
    >"$dir/stdout.log" 2>&1 </dev/null &
  local pid=$! i
  # setsid forks when it happens to lead a process group: then find the real
  # pid by its command line.
  for ((i = 0; i < 50; i++)); do
    [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */java ]] && break
    if [[ ! -e /proc/$pid ]]; then
      pid=$(node_pid "$n")
      break
    fi
    sleep 0.1
  done
  echo "$pid" >"$dir/pid"
}

# SIGTERM the given nodes, SIGKILL what is left after $STOP_TIMEOUT seconds.
stop_nodes() {
  local n pid
  local -a live=()
  for n in "$@"; do
    pid=$(node_pid "$n")
    if [[ -n $pid ]]; then
      kill -TERM "$pid" 2>/dev/null || true
      live+=("$n")
    fi
  done
  ((${#live[@]})) || return 0
  local deadline=$((SECONDS + STOP_TIMEOUT)) left
  while :; do
    left=()
    for n in "${live[@]}"; do node_alive "$n" && left+=("$n"); done
    ((${#left[@]})) || break
    if ((SECONDS >= deadline)); then
      for n in "${left[@]}"; do
        pid=$(node_pid "$n")
        [[ -n $pid ]] || continue
        log "node $n (pid $pid) did not stop within ${STOP_TIMEOUT}s; killing it"
        kill -KILL "$pid" 2>/dev/null || true
      done
      deadline=$((SECONDS + 10))
      while ((SECONDS < deadline)); do
        left=()
        for n in "${live[@]}"; do node_alive "$n" && left+=("$n"); done
        ((${#left[@]})) || return 0
        sleep 0.2
      done
      die "could not kill node(s) ${left[*]}"
    fi
    sleep 0.2
  done
}

all_nodes() { seq 1 "$NODES"; }
kill_all() {
  local n pid i
  for n in $(all_nodes); do
    pid=$(node_pid "$n")
    [[ -n $pid ]] || continue
    log "killing node $n of the previous cluster (pid $pid)"
    kill -KILL "$pid" 2>/dev/null || true
    for ((i = 0; i < 50; i++)); do
      node_alive "$n" || break
      sleep 0.1
    done
  done
}
stop_all() {
  local -a all
  mapfile -t all < <(all_nodes)
  stop_nodes "${all[@]}"
}
wait_ready_all() { # timeout
  local -a all
  mapfile -t all < <(all_nodes)
  wait_ready "$1" "${all[@]}"
}

# ---------------------------------------------------------------- config ---

write_log4j() {
  cat >"$STATE/log4j.properties" <<'EOF'
# Broker log: INFO to logs/server.log, without the per-request and
# per-partition chatter.
log4j.rootLogger=INFO, server
log4j.appender.server=org.apache.log4j.RollingFileAppender
log4j.appender.server.File=${kafka.logs.dir}/server.log
log4j.appender.server.MaxFileSize=50MB
log4j.appender.server.MaxBackupIndex=2
log4j.appender.server.layout=org.apache.log4j.PatternLayout
log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n
log4j.logger.kafka.request.logger=WARN
log4j.logger.state.change.logger=WARN
log4j.logger.kafka.server.KafkaConfig=WARN
log4j.logger.kafka.log.LogCleaner=WARN
log4j.logger.kafka.cluster.Partition=WARN
log4j.logger.kafka.log.LogManager=WARN
log4j.logger.kafka.log.UnifiedLog$=WARN
log4j.logger.kafka.server.ReplicaFetcherManager=WARN
log4j.logger.kafka.server.ReplicaFetcherThread=WARN
log4j.logger.kafka.server.metadata=WARN
log4j.logger.kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper=WARN
log4j.logger.kafka.server.ClientQuotaManager$ThrottledChannelReaper=WARN
log4j.logger.org.apache.kafka.controller.ReplicationControlManager=WARN
log4j.logger.org.apache.kafka.clients=WARN
log4j.logger.org.apache.kafka.common.utils.AppInfoParser=WARN
log4j.logger.org.apache.kafka.common.config.AbstractConfig=WARN
log4j.logger.org.apache.kafka.storage.internals=WARN
log4j.logger.org.apache.kafka.coordinator=WARN
log4j.logger.org.apache.kafka.image=WARN
log4j.logger.org.apache.kafka.metadata=WARN
EOF
}

write_props() {
  local n=$1 voters="" i rf min_isr auto_create
  for ((i = 1; i <= NODES; i++)); do
    voters+="${voters:+,}$i@127.0.0.1:$(controller_port "$i")"
  done
  rf=$((NODES < 3 ? NODES : 3))
  min_isr=$((NODES >= 3 ? 2 : 1))
  auto_create=${KAFKA_LOCAL_AUTO_CREATE:-true}
  [[ $auto_create == true || $auto_create == false ]] ||
    die "KAFKA_LOCAL_AUTO_CREATE must be true or false (got '$auto_create')"
  local client=PLAINTEXT
  ((SECURE)) && client=SASL_SSL
  cat >"$(node_props "$n")" <<EOF
# Written by scripts/kafka-local.sh: node $n of $NODES (KRaft combined mode).
process.roles=broker,controller
node.id=$n
controller.quorum.voters=$voters
listeners=$client://127.0.0.1:$(broker_port "$n"),CONTROLLER://127.0.0.1:$(controller_port "$n")
advertised.listeners=$client://127.0.0.1:$(broker_port "$n")
listener.security.protocol.map=$client:$client,CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name=$client
log.dirs=$(node_dir "$n")/data

auto.create.topics.enable=$auto_create
num.partitions=12
default.replication.factor=$rf
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
EOF
  ((SECURE)) && write_secure_props "$n"
  return 0
}

# ---------------------------------------------------------------- security ---

# --secure: a throwaway CA and broker certificate, SCRAM users and their passwords, all
# under $TLS_DIR (inside the state dir, so every start makes new ones).
readonly TLS_DIR="$STATE/tls"
readonly CLIENT_PROPS="$TLS_DIR/client.properties"
readonly SECURE_ENV="$STATE/secure.env"
readonly SCRAM_USER=iiot
readonly SCRAM_ADMIN=admin
readonly TLS_SAN_DEFAULT="IP:127.0.0.1,DNS:localhost"

ensure_openssl() {
  command -v openssl >/dev/null 2>&1 && return 0
  apt_install openssl openssl
}

new_password() { # 32 letters and digits
  local pw=""
  while ((${#pw} < 32)); do
    pw+=$(head -c 64 /dev/urandom | tr -dc 'A-Za-z0-9')
  done
  printf '%s\n' "${pw:0:32}"
}

# The broker's own clients (inter-broker, the tools) check the hostname only when the
# certificate names 127.0.0.1, which is where they connect.
tls_san() { printf '%s\n' "${KAFKA_LOCAL_TLS_SAN:-$TLS_SAN_DEFAULT}"; }
san_covers_loopback() { [[ ",$(tls_san)," == *",IP:127.0.0.1,"* ]]; }

make_tls() {
  ensure_openssl
  local san
  san=$(tls_san)
  [[ $san =~ ^(IP|DNS):[A-Za-z0-9.:*-]+(,(IP|DNS):[A-Za-z0-9.:*-]+)*$ ]] ||
    die "KAFKA_LOCAL_TLS_SAN must be IP:x or DNS:x entries joined by commas (got '$san')"
  mkdir -p "$TLS_DIR"
  chmod 700 "$TLS_DIR"
  (
    cd "$TLS_DIR"
    umask 077
    openssl req -x509 -newkey rsa:2048 -nodes -days 30 -keyout ca.key -out ca.pem \
      -subj "/CN=kafka-local test CA" \
      -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign"
    openssl req -newkey rsa:2048 -nodes -keyout broker.key -out broker.csr \
      -subj "/CN=kafka-local broker"
    printf 'subjectAltName=%s\nbasicConstraints=CA:FALSE\n%s\n%s\n' "$san" \
      "keyUsage=critical,digitalSignature,keyEncipherment" \
      "extendedKeyUsage=serverAuth,clientAuth" >broker.ext
    openssl x509 -req -in broker.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 \
      -extfile broker.ext -out broker.pem
    cat broker.key broker.pem ca.pem >broker-keystore.pem
    chmod 644 ca.pem broker.pem
    new_password >"$SCRAM_USER.password"
    new_password >"$SCRAM_ADMIN.password"
  ) >"$TLS_DIR/openssl.log" 2>&1 || {
    cat "$TLS_DIR/openssl.log" >&2
    die "making the test CA and broker certificate with openssl failed"
  }
  local verify=""
  san_covers_loopback || verify="ssl.endpoint.identification.algorithm="
  cat >"$CLIENT_PROPS" <<EOF
# Kafka's tools as the admin user: --command-config $CLIENT_PROPS
security.protocol=SASL_SSL
sasl.mechanism=SCRAM-SHA-512
sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$SCRAM_ADMIN" password="$(cat "$TLS_DIR/$SCRAM_ADMIN.password")";
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
$verify
EOF
  chmod 600 "$CLIENT_PROPS"
  cat >"$SECURE_ENV" <<EOF
SECURITY_PROTOCOL=SASL_SSL
SASL_MECHANISMS=SCRAM-SHA-512,SCRAM-SHA-256
SASL_USERNAME=$SCRAM_USER
SASL_PASSWORD_FILE=$TLS_DIR/$SCRAM_USER.password
TLS_CA_FILE=$TLS_DIR/ca.pem
TLS_CERT_FILE=$TLS_DIR/broker.pem
TLS_SAN=$san
CLIENT_PROPERTIES=$CLIENT_PROPS
EOF
}

# StorageTool arguments creating the SCRAM users iiot and admin (SHA-512 and SHA-256).
scram_format_args() {
  local user pw mech
  for user in "$SCRAM_USER" "$SCRAM_ADMIN"; do
    pw=$(cat "$TLS_DIR/$user.password")
    for mech in SCRAM-SHA-512 SCRAM-SHA-256; do
      printf '%s\n' --add-scram "$mech=[name=$user,password=$pw]"
    done
  done
}

write_secure_props() {
  local n=$1
  cat >>"$(node_props "$n")" <<EOF

# --secure: clients and brokers over SASL_SSL (SCRAM), the controllers on PLAINTEXT.
sasl.enabled.mechanisms=SCRAM-SHA-512,SCRAM-SHA-256
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="$SCRAM_ADMIN" password="$(cat "$TLS_DIR/$SCRAM_ADMIN.password")";
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
ssl.keystore.type=PEM
ssl.keystore.location=$TLS_DIR/broker-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$TLS_DIR/ca.pem
ssl.client.auth=none
EOF
  if ! san_covers_loopback; then
    printf 'ssl.endpoint.identification.algorithm=\n' >>"$(node_props "$n")"
  fi
}

cmd_secure_info() {
  (($# == 0)) || die "secure-info takes no arguments"
  require_cluster
  ((SECURE)) || die "the cluster in $STATE was not started with --secure"
  printf 'BOOTSTRAP=%s\n' "$(bootstrap_servers)"
  cat "$SECURE_ENV"
}

# ---------------------------------------------------------------- readiness ---

READY_FAIL_NODE=""
READY_FAIL_MSG=""

# Metadata as the brokers see it: one "(id: N" per broker that answers.
metadata_ids() { # bootstrap seconds
  local -a secure=()
  ((SECURE)) && secure=(--command-config "$CLIENT_PROPS")
  timeout "$2" "$JAVA" -Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -cp "$(classpath)" \
    kafka.admin.BrokerApiVersionsCommand --bootstrap-server "$1" "${secure[@]}" 2>&1 |
    sed -n 's/.*(id: \([0-9]*\) rack.*/\1/p' | sort -u || true
}

# Ready = process alive, broker port open, "Kafka Server started" logged since
# launch, and a metadata request lists the node as a live broker.
wait_ready() { # timeout node...
  local timeout=$1; shift
  local deadline=$((SECONDS + timeout)) n
  local -a pending=("$@")
  READY_FAIL_NODE="" READY_FAIL_MSG=""
  while ((${#pending[@]})); do
    local -a still=()
    for n in "${pending[@]}"; do
      if ! node_alive "$n"; then
        READY_FAIL_NODE=$n READY_FAIL_MSG="node $n (port $(broker_port "$n")) exited during startup"
        return 1
      fi
      if port_open "$(broker_port "$n")" && ready_in_log "$n"; then continue; fi
      still+=("$n")
    done
    pending=("${still[@]}")
    ((${#pending[@]})) || break
    if ((SECONDS >= deadline)); then
      n=${pending[0]}
      READY_FAIL_NODE=$n
      READY_FAIL_MSG="node $n (port $(broker_port "$n")) not ready within ${timeout}s"
      return 1
    fi
    sleep 0.5
  done
  local bs="" ids missing
  for n in "$@"; do bs+="${bs:+,}127.0.0.1:$(broker_port "$n")"; done
  while :; do
    # The metadata call gets what is left of the deadline (5..30 s).
    local budget=$((deadline - SECONDS))
    ((budget < 5)) && budget=5
    ((budget > 30)) && budget=30
    ids=$(metadata_ids "$bs" "$budget")
    missing=""
    for n in "$@"; do
      grep -qx "$n" <<<"$ids" || missing+="${missing:+ }$n"
    done
    [[ -z $missing ]] && return 0
    for n in "$@"; do
      if ! node_alive "$n"; then
        READY_FAIL_NODE=$n READY_FAIL_MSG="node $n (port $(broker_port "$n")) exited during startup"
        return 1
      fi
    done
    if ((SECONDS >= deadline)); then
      READY_FAIL_NODE=${missing%% *}
      READY_FAIL_MSG="node(s) $missing not in the cluster metadata within ${timeout}s (brokers seen: ${ids//$'\n'/ })"
      return 1
    fi
    sleep 1
  done
}

report_not_ready() {
  printf 'kafka-local: error: %s\n' "$READY_FAIL_MSG" >&2
  [[ -n $READY_FAIL_NODE ]] && show_log_tail "$READY_FAIL_NODE" 40
}

# What `kafka.tools.StorageTool random-uuid` prints (16 random bytes,
# URL-safe base64, no padding, never starting with '-'), without the cost of
# starting a JVM.
new_cluster_id() {
  local id
  while :; do
    id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
    [[ $id == -* ]] || break
  done
  printf '%s\n' "$id"
}

parse_timeout() { # value
  if ! is_uint "$1" || (($1 == 0)); then
    die "--timeout needs a positive number of seconds (got '$1')"
  fi
}

# ---------------------------------------------------------------- commands ---

STARTED_NODES=()
start_cleanup() {
  local rc=$?
  if ((${#STARTED_NODES[@]})); then
    log "start failed; stopping the nodes it started (logs kept in $STATE)"
    STOP_TIMEOUT=5 stop_nodes "${STARTED_NODES[@]}" || true
  fi
  exit "$rc"
}

cmd_start() {
  local timeout=$TIMEOUT_DEFAULT
  while (($#)); do
    case $1 in
      --nodes) NODES=${2:-}; shift 2 || die "--nodes needs a value" ;;
      --nodes=*) NODES=${1#*=}; shift ;;
      --timeout) timeout=${2:-}; shift 2 || die "--timeout needs a value" ;;
      --timeout=*) timeout=${1#*=}; shift ;;
      --secure) SECURE=1; shift ;;
      *) die "start: unknown argument '$1'" ;;
    esac
  done
  [[ $NODES == 1 || $NODES == 3 ]] || die "--nodes must be 1 or 3 (got '$NODES')"
  parse_timeout "$timeout"
  if ! is_uint "$PORT_BASE" || ((PORT_BASE < 1024 || PORT_BASE + 10000 + NODES > 65535)); then
    die "KAFKA_LOCAL_PORT_BASE must be 1024..$((65535 - 10000 - NODES)) (got '$PORT_BASE')"
  fi
  local t0=$SECONDS
  ensure_java
  ensure_libs

  # A fresh cluster every time: end whatever ran from this state dir.
  if [[ -d $STATE ]]; then
    local want_nodes=$NODES want_base=$PORT_BASE want_secure=$SECURE
    if load_cluster; then
      # Its data is wiped next, so no graceful shutdown is needed.
      kill_all
    fi
    NODES=$want_nodes PORT_BASE=$want_base SECURE=$want_secure
  fi
  local n p
  for n in $(all_nodes); do
    for p in "$(broker_port "$n")" "$(controller_port "$n")"; do
      port_open "$p" && die "port 127.0.0.1:$p is already in use (another Kafka? set KAFKA_LOCAL_PORT_BASE)"
    done
  done
  wipe_state
  mkdir -p "$STATE"
  chmod 700 "$STATE"
  : >"$STATE_MARK"

  local cluster_id
  cluster_id=$(new_cluster_id)
  printf 'NODES=%s\nPORT_BASE=%s\nCLUSTER_ID=%s\nKAFKA_VERSION=%s\nSECURE=%s\n' \
    "$NODES" "$PORT_BASE" "$cluster_id" "$KAFKA_VERSION" "$SECURE" >"$CLUSTER_ENV"
  write_log4j
  local -a scram=()
  if ((SECURE)); then
    make_tls
    mapfile -t scram < <(scram_format_args)
  fi

  local -a fmt_pids=()
  for n in $(all_nodes); do
    mkdir -p "$(node_dir "$n")/logs"
    write_props "$n"
    run_tool kafka.tools.StorageTool format -t "$cluster_id" -c "$(node_props "$n")" "${scram[@]}" \
      >"$(node_dir "$n")/format.log" 2>&1 &
    fmt_pids+=($!)
  done
  for n in $(all_nodes); do
    if ! wait "${fmt_pids[n - 1]}"; then
      cat "$(node_dir "$n")/format.log" >&2
      die "formatting the storage of node $n failed"
    fi
  done

  trap start_cleanup EXIT
  trap 'exit 130' INT TERM
  for n in $(all_nodes); do
    launch_node "$n"
    STARTED_NODES+=("$n")
  done
  if ! wait_ready_all "$timeout"; then
    report_not_ready
    exit 1
  fi
  STARTED_NODES=()
  trap - EXIT INT TERM
  local mode=""
  ((SECURE)) && mode=" (SASL_SSL; secure-info for the CA and user)"
  log "Kafka $KAFKA_VERSION ready: $NODES node(s), bootstrap $(bootstrap_servers)$mode, state $STATE ($((SECONDS - t0)) s)"
  bootstrap_servers
}

cmd_stop() {
  (($# == 0)) || die "stop takes no arguments"
  if load_cluster; then
    stop_all
  elif [[ -d $STATE ]]; then
    # No cluster.env (a start that died early): stop any node still running.
    NODES=3
    stop_all
  else
    log "not running"
    return 0
  fi
  if [[ ${KAFKA_LOCAL_KEEP_STATE:-0} == 1 ]]; then
    log "stopped; state kept in $STATE"
  else
    wipe_state
    log "stopped"
  fi
}

cmd_status() {
  (($# == 0)) || die "status takes no arguments"
  if ! load_cluster; then
    echo "not running (no cluster in $STATE)"
    return 3
  fi
  local n pid up=0 state
  for n in $(all_nodes); do
    pid=$(node_pid "$n")
    if [[ -z $pid ]]; then
      state=down
    elif port_open "$(broker_port "$n")"; then
      state=up
      up=$((up + 1))
    else
      state=starting
    fi
    printf 'node %s  %-8s pid %-8s broker 127.0.0.1:%s  controller 127.0.0.1:%s\n' \
      "$n" "$state" "${pid:--}" "$(broker_port "$n")" "$(controller_port "$n")"
  done
  if ((up == NODES)); then return 0; fi
  if ((up == 0)); then return 3; fi
  return 1
}

cmd_logs() {
  local lines=${1:-40}
  is_uint "$lines" || die "logs: N must be a number (got '$lines')"
  require_cluster
  local n
  for n in $(all_nodes); do
    printf '==> node %s: %s <==\n' "$n" "$(node_log "$n")"
    tail -n "$lines" "$(node_log "$n")" 2>/dev/null || echo "(no log)"
  done
}

cmd_wait_ready() {
  local timeout=$TIMEOUT_DEFAULT
  while (($#)); do
    case $1 in
      --timeout) timeout=${2:-}; shift 2 || die "--timeout needs a value" ;;
      --timeout=*) timeout=${1#*=}; shift ;;
      *) die "wait-ready: unknown argument '$1'" ;;
    esac
  done
  parse_timeout "$timeout"
  require_cluster
  ensure_java
  ensure_libs
  if ! wait_ready_all "$timeout"; then
    report_not_ready
    exit 1
  fi
  log "ready: $(bootstrap_servers)"
}

cmd_bootstrap() {
  local nodes=""
  while (($#)); do
    case $1 in
      --nodes) nodes=${2:-}; shift 2 || die "--nodes needs a value" ;;
      --nodes=*) nodes=${1#*=}; shift ;;
      *) die "bootstrap: unknown argument '$1'" ;;
    esac
  done
  if [[ -n $nodes ]]; then
    NODES=$nodes
  else
    load_cluster || true
  fi
  if ! is_uint "$NODES" || ((NODES < 1)); then die "--nodes must be a positive number"; fi
  bootstrap_servers
}

cmd_classpath() {
  (($# == 0)) || die "classpath takes no arguments"
  ensure_libs
  [[ -f $CACHE/conf/log4j.properties ]] || write_tools_log4j
  classpath
}

cmd_topic() {
  local action=${1:-}
  (($#)) && shift
  require_cluster
  ensure_java
  ensure_libs
  local -a args=(--bootstrap-server "$(bootstrap_servers)")
  ((SECURE)) && args+=(--command-config "$CLIENT_PROPS")
  case $action in
    create)
      local name=${1:-}
      [[ -n $name && $name != -* ]] || die "usage: topic create NAME [--partitions P] [--replication R] [--config K=V]"
      shift
      args+=(--create --topic "$name")
      while (($#)); do
        case $1 in
          --partitions) args+=(--partitions "${2:?--partitions needs a value}"); shift 2 ;;
          --replication | --replication-factor) args+=(--replication-factor "${2:?--replication needs a value}"); shift 2 ;;
          --config) args+=(--config "${2:?--config needs K=V}"); shift 2 ;;
          *) die "topic create: unknown argument '$1'" ;;
        esac
      done
      ;;
    list) args+=(--list) ;;
    describe) args+=(--describe ${1:+--topic "$1"}) ;;
    delete)
      [[ -n ${1:-} ]] || die "usage: topic delete NAME"
      args+=(--delete --topic "$1")
      ;;
    *) die "usage: topic create|list|describe|delete ..." ;;
  esac
  run_tool org.apache.kafka.tools.TopicCommand "${args[@]}"
}

cmd_kill() {
  require_cluster
  check_node_arg "${1:-}"
  local pid
  pid=$(node_pid "$1")
  if [[ -z $pid ]]; then
    log "node $1 is not running"
    return 0
  fi
  kill -KILL "$pid"
  local i
  for ((i = 0; i < 50; i++)); do
    node_alive "$1" || break
    sleep 0.1
  done
  log "node $1 (pid $pid, port $(broker_port "$1")) killed"
}

cmd_restart_node() {
  local n=${1:-}
  shift || true
  local timeout=$TIMEOUT_DEFAULT
  while (($#)); do
    case $1 in
      --timeout) timeout=${2:-}; shift 2 || die "--timeout needs a value" ;;
      --timeout=*) timeout=${1#*=}; shift ;;
      *) die "restart-node: unknown argument '$1'" ;;
    esac
  done
  parse_timeout "$timeout"
  require_cluster
  check_node_arg "$n"
  node_alive "$n" && die "node $n is already running (pid $(node_pid "$n")); kill it first"
  local p
  for p in "$(broker_port "$n")" "$(controller_port "$n")"; do
    port_open "$p" && die "port 127.0.0.1:$p is still in use"
  done
  ensure_java
  ensure_libs
  launch_node "$n"
  if ! wait_ready "$timeout" "$n"; then
    report_not_ready
    exit 1
  fi
  log "node $n restarted (pid $(node_pid "$n"), port $(broker_port "$n"))"
}

main() {
  local cmd=${1:-}
  (($#)) && shift
  case $cmd in
    start) cmd_start "$@" ;;
    stop) cmd_stop "$@" ;;
    status) cmd_status "$@" ;;
    logs) cmd_logs "$@" ;;
    wait-ready) cmd_wait_ready "$@" ;;
    bootstrap) cmd_bootstrap "$@" ;;
    classpath) cmd_classpath "$@" ;;
    topic) cmd_topic "$@" ;;
    kill) cmd_kill "$@" ;;
    restart-node) cmd_restart_node "$@" ;;
    secure-info) cmd_secure_info "$@" ;;
    fetch) ensure_libs; log "Kafka $KAFKA_VERSION jars in $LIBS" ;;
    -h | --help | help) usage ;;
    "") usage >&2; exit 2 ;;
    *) printf 'kafka-local: unknown command %s\n\n' "$cmd" >&2; usage >&2; exit 2 ;;
  esac
}

main "$@"
