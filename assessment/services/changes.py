"""What the current transaction changed that the stored results depend on.

A service that writes answers with Core statements (no ORM objects the session could see) says
so here; `services.results` recomputes the results of the marked assessments before the
transaction commits. Kept apart from `results` so that every service can mark without
importing it (results imports the services that read answers).
"""

from __future__ import annotations

from collections.abc import Iterable

PENDING = "assessment.results.pending"


def mark(session, *assessment_ids: int | None) -> None:
    """The results of these assessments must be recomputed before this transaction commits."""
    pending = session.info.setdefault(PENDING, set())
    pending.update(i for i in assessment_ids if i is not None)


def take(session) -> set[int]:
    """The marked assessments, unmarked."""
    return session.info.pop(PENDING, None) or set()


def pending(session) -> Iterable[int]:
    """The marked assessments (left marked)."""
    return session.info.get(PENDING, ())
