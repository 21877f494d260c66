"""The one error kafka-local raises."""


class KafkaLocalError(Exception):
    """Something kafka-local could not do; str(e) says what and why, in one line.

    details: more text for a person (the failing node's log tail, mvn's output), or "".
    node: the node it is about (1-based), or None."""

    def __init__(self, message, details="", node=None):
        super().__init__(message)
        self.details = details
        self.node = node

    def describe(self):
        """The message and, below it, the details."""
        return f"{self}\n{self.details}" if self.details else str(self)
