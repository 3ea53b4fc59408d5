"""PostgreSQL row-lock tests: a second transaction that must wait for the first."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any


def second_waits_for_first(
    app, first: Callable[[Any], Any], second: Callable[[Any], Any]
) -> tuple[Any, Any]:
    """Run `first(conn)` in an open transaction, then `second(conn)` in another transaction on
    a thread; check that the second is still blocked a second later (on the first's row lock),
    commit the first, and wait (generously) for the second to finish. Returns both results."""
    from assessment.extensions import db

    conn = db.engine.connect()
    conn.begin()
    mine = first(conn)  # holds its rows
    done = []

    def other():
        with app.app_context(), db.engine.begin() as conn2:
            done.append(second(conn2))  # waits for the first transaction

    thread = threading.Thread(target=other)
    thread.start()
    thread.join(1.0)
    assert thread.is_alive() and not done  # blocked on the row lock
    conn.commit()
    conn.close()
    thread.join(60)
    assert done
    db.session.expire_all()
    return mine, done[0]
