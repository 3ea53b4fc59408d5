"""Access logs never hold a respondent's private link: /r/<token> is written /r/[link].

A logging filter on the access loggers of gunicorn (`gunicorn.access`) and of the development
server (`werkzeug`); it masks the token in the message and in its arguments (gunicorn passes
its atoms — request line, path, referer — as a dict).
"""

from __future__ import annotations

import logging
import re

TOKEN_IN_PATH = re.compile(r"/r/[^/\s?#\"']+")
MASK = "/r/[link]"
ACCESS_LOGGERS = ("gunicorn.access", "werkzeug")


def mask(text: str) -> str:
    """`text` with every respondent token replaced."""
    return TOKEN_IN_PATH.sub(MASK, text) if "/r/" in text else text


class MaskRespondentTokens(logging.Filter):
    """Masks /r/<token> in a log record (message and arguments)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.msg, str):
            record.msg = mask(record.msg)
        args = record.args
        if isinstance(args, dict):
            for key, value in list(args.items()):  # gunicorn's atoms: change them in place
                if isinstance(value, str):
                    args[key] = mask(value)
        elif isinstance(args, tuple):
            record.args = tuple(mask(a) if isinstance(a, str) else a for a in args)
        return True


_FILTER = MaskRespondentTokens()


def install() -> None:
    """Put the filter on the access loggers (once; idempotent)."""
    for name in ACCESS_LOGGERS:
        logger = logging.getLogger(name)
        if _FILTER not in logger.filters:
            logger.addFilter(_FILTER)
