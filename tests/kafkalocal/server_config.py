"""What the brokers are configured with: their logging, and each node's server.properties
(KRaft combined mode, every node a voter). Pure functions of the cluster's shape."""

# Broker log: INFO to logs/server.log, without the per-request and per-partition chatter.
_QUIET = ("kafka.request.logger", "state.change.logger", "kafka.server.KafkaConfig",
          "kafka.log.LogCleaner", "kafka.cluster.Partition", "kafka.log.LogManager",
          "kafka.log.UnifiedLog$", "kafka.server.ReplicaFetcherManager",
          "kafka.server.ReplicaFetcherThread", "kafka.server.metadata",
          "kafka.server.DelayedOperationPurgatory$ExpiredOperationReaper",
          "kafka.server.ClientQuotaManager$ThrottledChannelReaper",
          "org.apache.kafka.controller.ReplicationControlManager", "org.apache.kafka.clients",
          "org.apache.kafka.common.utils.AppInfoParser",
          "org.apache.kafka.common.config.AbstractConfig", "org.apache.kafka.storage.internals",
          "org.apache.kafka.coordinator", "org.apache.kafka.image", "org.apache.kafka.metadata")

BROKER_LOG4J = "\n".join([
    "# Broker log: INFO to logs/server.log, without the per-request and",
    "# per-partition chatter.",
    "log4j.rootLogger=INFO, server",
    "log4j.appender.server=org.apache.log4j.RollingFileAppender",
    "log4j.appender.server.File=${kafka.logs.dir}/server.log",
    "log4j.appender.server.MaxFileSize=50MB",
    "log4j.appender.server.MaxBackupIndex=2",
    "log4j.appender.server.layout=org.apache.log4j.PatternLayout",
    "log4j.appender.server.layout.ConversionPattern=[%d] %p %m (%c)%n",
    *(f"log4j.logger.{name}=WARN" for name in _QUIET),
]) + "\n"


def server_properties(node, nodes, auto_create, secure):
    """server.properties of `node` (a Node) in a cluster of `nodes` (all Nodes);
    secure: a SecureMaterial, or None for PLAINTEXT clients."""
    voters = ",".join(f"{m.n}@127.0.0.1:{m.controller_port}" for m in nodes)
    rf = min(len(nodes), 3)
    min_isr = 2 if len(nodes) >= 3 else 1
    client = "SASL_SSL" if secure else "PLAINTEXT"
    text = f"""\
# Written by kafka-local: node {node.n} of {len(nodes)} (KRaft combined mode).
process.roles=broker,controller
node.id={node.n}
controller.quorum.voters={voters}
listeners={client}://{node.address},CONTROLLER://127.0.0.1:{node.controller_port}
advertised.listeners={client}://{node.address}
listener.security.protocol.map={client}:{client},CONTROLLER:PLAINTEXT
controller.listener.names=CONTROLLER
inter.broker.listener.name={client}
log.dirs={node.dir}/data

auto.create.topics.enable={auto_create}
num.partitions=12
default.replication.factor={rf}
min.insync.replicas={min_isr}
offsets.topic.replication.factor={rf}
transaction.state.log.replication.factor={rf}
transaction.state.log.min.isr={min_isr}
group.initial.rebalance.delay.ms=0
"""
    return text + (secure.broker_props() if secure else "")
