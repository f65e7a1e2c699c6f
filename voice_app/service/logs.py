"""The app's log: one line per thing an operator cares about, with secrets redacted."""

import logging
import re

from voice_app.realtime.catalog import CLIENT_SECRET_PREFIX

# API keys, client secrets and bearer tokens, wherever they appear in a message.
_SECRETS = re.compile(rf"\b(sk-[A-Za-z0-9_-]{{6,}}|{CLIENT_SECRET_PREFIX}[A-Za-z0-9_-]{{6,}})|(Bearer\s+)\S+")


def redact(text: str) -> str:
    return _SECRETS.sub(lambda m: (m.group(2) or "") + "[redacted]", text)


class Redacting(logging.Formatter):
    """The whole line, a traceback's text included (an exception's message may carry a secret)."""

    def format(self, record: logging.LogRecord) -> str:
        return redact(super().format(record))


def get_logger() -> logging.Logger:
    logger = logging.getLogger("voice_app")
    if not logger.handlers:
        handler = logging.StreamHandler()
        # The process id tells a backend's workers apart.
        handler.setFormatter(Redacting("%(asctime)s voice_app[%(process)d] %(levelname)s %(message)s"))
        logger.addHandler(handler)
        logger.setLevel(logging.INFO)
        logger.propagate = False
    return logger
