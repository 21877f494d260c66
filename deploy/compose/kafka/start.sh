#!/bin/sh
# Formats the log dir on first start (a fixed cluster id: one node, one volume), then runs
# the broker in the foreground; SIGTERM reaches it (exec) for a clean shutdown.
set -e
cd /opt/kafka
if [ ! -f /var/lib/kafka/data/meta.properties ]; then
  java -cp '/opt/kafka/libs/*' -Dlog4j.configuration=file:/opt/kafka/log4j.properties \
    kafka.tools.StorageTool format -t iiotDemoCluster000001A -c server.properties
fi
exec java -Xms256m -Xmx512m -cp '/opt/kafka/libs/*' \
  -Dlog4j.configuration=file:/opt/kafka/log4j.properties kafka.Kafka server.properties
