"""The health check's question to the database."""

from __future__ import annotations

from sqlalchemy import text

from ..extensions import db


def database_problem() -> str | None:
    """None when the database answers; else the name of the error (never its text, which may
    hold an address). The failed transaction is left to the request boundary to roll back."""
    try:
        db.session.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any database failure means "unavailable"
        return exc.__class__.__name__
    return None
