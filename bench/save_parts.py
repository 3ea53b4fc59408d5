"""`python -m bench.save_parts`: where a questionnaire save's time goes (a measurement, not a
test). In-process, on a temporary SQLite database in WAL mode prepared as `make bench` prepares
it, the CPU time of a save (one dimension's page, every answer changed) with parts of the work
switched off one at a time: the stored results' recomputation (services.results.settle), the
answer history (services.assessments.record_history), and the security headers with the rate
limiter's check (Talisman's and Flask-Limiter's request hooks). Interleaved rounds, medians;
prints one line per variant and its share of the full save.
"""

from __future__ import annotations

import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path

from .__main__ import DIMENSION, TOKEN, make_app, prepare, save_form, test_client_login

ROUNDS, SAVES = 12, 40


def main() -> int:
    import assessment.services.assessments as saves
    import assessment.services.results as results

    with tempfile.TemporaryDirectory(prefix="assessment-save-parts-") as tmp:
        path = Path(tmp) / "bench.db"
        prep = prepare(f"sqlite:///{path}")
        with sqlite3.connect(path) as conn:
            conn.execute("PRAGMA journal_mode=WAL")
        app = make_app(f"sqlite:///{path}")
        client = test_client_login(app)
        page = f"/assessments/{prep['posts']['app'][0]}/dimensions/{DIMENSION}"
        token = TOKEN.search(client.get(page).get_data()).group(1).decode()
        sent = [0]

        def save() -> None:
            flip = sent[0]
            response = client.post(page, data=save_form(prep["questions"], flip, token, flip))
            if response.status_code != 302:
                raise RuntimeError(f"save refused: HTTP {response.status_code}")
            sent[0] += 1

        settle, record_history = results.settle, saves.record_history
        before = list(app.before_request_funcs[None])
        after = list(app.after_request_funcs[None])

        def no_results() -> None:
            results.settle = lambda session=None: (session or results.db.session).info.pop(
                results.changes.PENDING, None
            )

        def no_history() -> None:
            saves.record_history = lambda entries: None

        def no_headers() -> None:
            def kept(f) -> bool:
                name = repr(f)
                return not any(k in name for k in ("Limiter", "Talisman", "private_headers"))

            app.before_request_funcs[None][:] = [f for f in before if kept(f)]
            app.after_request_funcs[None][:] = [f for f in after if kept(f)]

        def restore() -> None:
            results.settle, saves.record_history = settle, record_history
            app.before_request_funcs[None][:] = before
            app.after_request_funcs[None][:] = after

        variants = {
            "full save": [],
            "without the stored results": [no_results],
            "without the answer history": [no_history],
            "without headers and limiter": [no_headers],
            "without all three": [no_results, no_history, no_headers],
        }
        times: dict[str, list[float]] = {name: [] for name in variants}
        for _ in range(SAVES):
            save()
        for _ in range(ROUNDS):
            for name, switches in variants.items():
                for switch in switches:
                    switch()
                try:
                    started = time.process_time()
                    for _ in range(SAVES):
                        save()
                    times[name].append((time.process_time() - started) / SAVES * 1000)
                finally:
                    restore()
    full = statistics.median(times["full save"])
    for name, values in times.items():
        median = statistics.median(values)
        print(f"{name:30} {median:6.2f} ms CPU   {100 * median / full:5.1f} % of the full save")
    return 0


if __name__ == "__main__":
    sys.exit(main())
