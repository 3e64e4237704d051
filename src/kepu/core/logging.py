"""A readable log line for development: the message followed by its structured fields."""

import logging

STANDARD_ATTRIBUTES = set(vars(logging.makeLogRecord({}))) | {"message", "asctime"}


class KeyValueFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        extras = {k: v for k, v in vars(record).items() if k not in STANDARD_ATTRIBUTES}
        if extras:
            line += " " + " ".join(f"{key}={value}" for key, value in extras.items())
        return line
