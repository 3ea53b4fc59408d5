"""Download file names: the organisation, the assessment and the date, in a Content-Disposition
header with an ASCII `filename` and the exact UTF-8 `filename*` (RFC 6266 / RFC 5987)."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from urllib.parse import quote

#: Longest stem of a file name (before the extension).
MAX_STEM = 120

_UNSAFE = re.compile(r'[\x00-\x1f\x7f/\\:*?"<>|;,]+')


def _clean(text: str) -> str:
    """`text` with characters that no file system or header takes replaced by spaces."""
    return " ".join(_UNSAFE.sub(" ", text or "").split())


def file_stem(organisation: str, title: str, date: dt.date) -> str:
    """'Valsts ieņēmumu dienests – 2026. gada pašnovērtējums – 2026-12-02'."""
    parts = [p for p in (_clean(organisation), _clean(title)) if p]
    stem = " – ".join(parts)[:MAX_STEM].rstrip()
    return f"{stem} – {date.isoformat()}" if stem else date.isoformat()


def ascii_fallback(name: str) -> str:
    """The name in plain ASCII for old clients: letters without diacritics, spaces as '-'."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    plain = re.sub(r"[^A-Za-z0-9._-]+", "-", plain)
    return re.sub(r"-{2,}", "-", plain).strip("-") or "download"


def disposition(name: str, inline: bool = False) -> str:
    """The Content-Disposition header value for a download called `name`."""
    kind = "inline" if inline else "attachment"
    return f"{kind}; filename=\"{ascii_fallback(name)}\"; filename*=UTF-8''{quote(name, safe='')}"


def assessment_filename(assessment, ext: str, kind: str = "") -> str:
    """The file name of a download of `assessment` (report, answers, action plan…)."""
    date = (assessment.completed_at or assessment.updated_at or dt.datetime.now(dt.UTC)).date()
    stem = file_stem(assessment.organisation.name, assessment.title, date)
    return f"{stem}{' – ' + kind if kind else ''}.{ext}"
