"""kafka-local: a real Apache Kafka cluster (KRaft, 1 or 3 nodes) on 127.0.0.1 for the
integration, fault and security tests, the end-to-end benchmark and anyone trying the
producer. Standard library only. `scripts/kafka-local.sh` is its command line
(`python3 -m kafkalocal` with tests/ on PYTHONPATH); docs/kafka-local.md describes both.

    from kafkalocal import Cluster, KafkaLocalError
    cluster = Cluster()
    bootstrap = cluster.start(nodes=3)
"""
from .cluster import Cluster, NodeStatus, Shape
from .errors import KafkaLocalError
from .settings import Settings

__all__ = ["Cluster", "KafkaLocalError", "NodeStatus", "Settings", "Shape"]
