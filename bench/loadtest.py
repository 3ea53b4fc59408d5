"""Bounded load test on PostgreSQL (`make loadtest`; a reduced run in CI).

gunicorn with 4 workers serves the app from a database of its own on the local PostgreSQL;
N simulated respondents in parallel complete the whole questionnaire through their private
links, with pauses between pages, for at most `--max-seconds`. Then it checks: no 5xx, every
answer sent is stored exactly once with the value sent, every respondent submitted, and the
consolidation the app computes equals the one computed from what was sent.

Loopback only; every loop is bounded in count and time; gunicorn is stopped at the end.
Exit status 0 when every check holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BANK = ("lv-customer-service-2013", "1.0.0")
CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def free_port() -> int:
    """A free TCP port on the loopback interface."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fresh_database(admin_url: str, name: str) -> str:
    """(Re)create database `name` on the server of `admin_url`; return its SQLAlchemy URL."""
    import psycopg

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    parts = urllib.parse.urlsplit(admin_url)
    return urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))


def drop_database(admin_url: str, name: str) -> None:
    """Remove the load test's database."""
    import psycopg

    plain = admin_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def prepare(url: str, respondents: int) -> tuple[int, list[str]]:
    """Schema, banks, one organisation, one assessment and its respondents' tokens."""
    from assessment import create_app
    from assessment.commands import init_database
    from assessment.extensions import db
    from assessment.services.assessments import create_assessment
    from assessment.services.banks import get_bank
    from assessment.services.organisations import create_organisation
    from assessment.services.respondents import create_respondent

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "loadtest"})
    with app.app_context():
        init_database()
        org = create_organisation("Slodzes tests, valsts aģentūra")
        assessment = create_assessment(org, get_bank(*BANK), "Slodzes tests", "lv", {}, None)
        tokens = [
            create_respondent(assessment, f"Respondents {n + 1}")[1] for n in range(respondents)
        ]
        db.session.commit()
        return assessment.id, tokens


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Keep 302s visible: the client follows them itself and counts every status."""

    def redirect_request(self, *args, **kwargs):  # noqa: D102
        return None


class Respondent(threading.Thread):
    """One person answering every page through their link, then submitting."""

    def __init__(
        self,
        base: str,
        token: str,
        dimensions: list[tuple[str, list[str]]],
        pause: float,
        deadline: float,
        seed: int,
    ) -> None:
        super().__init__(daemon=True)
        self.base, self.token, self.dimensions = base, token, dimensions
        self.pause, self.deadline = pause, deadline
        self.rng = random.Random(seed)
        self.sent: dict[str, str] = {}
        self.statuses: Counter[int] = Counter()
        self.errors: list[str] = []
        self.submitted = False
        jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(jar), NoRedirect()
        )

    def request(self, path: str, data: dict[str, str] | None = None) -> str:
        """GET or POST; record the status; return the body."""
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(self.base + path, data=body)
        try:
            with self.opener.open(req, timeout=30) as response:
                self.statuses[response.status] += 1
                return response.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            self.statuses[exc.code] += 1
            if exc.code >= 400:
                self.errors.append(f"{exc.code} on {path}")
            return exc.read().decode("utf-8", "replace")
        except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
            self.statuses[0] += 1
            self.errors.append(f"{exc.__class__.__name__} on {path}")
            return ""

    def think(self) -> None:
        """A person reads before answering."""
        time.sleep(self.rng.uniform(0.5, 1.5) * self.pause)

    def run(self) -> None:  # noqa: D102
        prefix = f"/r/{self.token}"
        self.request(prefix + "/")
        for dimension, questions in self.dimensions:
            if time.monotonic() > self.deadline:
                self.errors.append("deadline reached before finishing")
                return
            page = self.request(f"{prefix}/{dimension}")
            match = CSRF.search(page)
            if not match:
                self.errors.append(f"no form on {dimension}")
                return
            self.think()
            form = {"csrf_token": match.group(1), "action": "next"}
            for qid in questions:
                choice = self.rng.choice(["0", "1", "2", "3", "4", "2", "3", "na", "dk"])
                form[f"q-{qid}-answer"] = choice
                form[f"q-{qid}-comment"] = f"Komentārs {self.rng.randint(1, 999)} — ā ē ū"
                self.sent[qid] = choice
            self.request(f"{prefix}/{dimension}", form)
        page = self.request(f"{prefix}/submit")
        match = CSRF.search(page)
        if match:
            self.request(f"{prefix}/submit", {"csrf_token": match.group(1)})
            self.submitted = True


def verify(url: str, assessment_id: int, clients: list[Respondent]) -> list[str]:
    """Rows against what was sent, and the app's consolidation against the expected one."""
    from sqlalchemy import func, select

    from assessment import create_app
    from assessment.domain.answers import Answer
    from assessment.domain.answers import Respondent as DomainRespondent
    from assessment.domain.consolidation import consolidate_answers
    from assessment.extensions import db
    from assessment.models import Assessment, RespondentAnswer
    from assessment.models import Respondent as RespondentRow
    from assessment.services.banks import get_bank
    from assessment.services.respondents import hash_token
    from assessment.services.results import consolidated

    problems = []
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "loadtest"})
    with app.app_context():
        bank = get_bank(*BANK)
        expected_rows = sum(len(c.sent) for c in clients)
        stored_rows = db.session.scalar(select(func.count()).select_from(RespondentAnswer))
        if stored_rows != expected_rows:
            problems.append(f"rows: {stored_rows} stored, {expected_rows} sent")
        domain = []
        for client in clients:
            row = db.session.scalar(
                select(RespondentRow).where(RespondentRow.token_hash == hash_token(client.token))
            )
            answers = {
                a.question_id: a
                for a in db.session.scalars(
                    select(RespondentAnswer).where(RespondentAnswer.respondent_id == row.id)
                )
            }
            for qid, choice in client.sent.items():
                got = answers.get(qid)
                value = (
                    None
                    if got is None
                    else (
                        str(got.level)
                        if got.level is not None
                        else "na"
                        if got.not_applicable
                        else "dk"
                        if got.dont_know
                        else ""
                    )
                )
                if value != choice:
                    problems.append(f"{row.name} {qid}: sent {choice}, stored {value}")
            if client.submitted and row.submitted_at is None:
                problems.append(f"{row.name}: submitted but not marked")
            domain.append(
                DomainRespondent(
                    row.name,
                    tuple(
                        Answer(
                            qid,
                            level=int(c) if c.isdigit() else None,
                            not_applicable=c == "na",
                            dont_know=c == "dk",
                        )
                        for qid, c in client.sent.items()
                    ),
                )
            )
        assessment = db.session.get(Assessment, assessment_id)
        answers, _ = consolidated(assessment, bank)
        expected = consolidate_answers(bank, domain, {}).answers

        def key(answer):
            return (
                None if answer is None else (answer.level, answer.not_applicable, answer.dont_know)
            )

        for qid in {*answers, *expected}:
            a, e = answers.get(qid), expected.get(qid)
            if key(a) != key(e):
                problems.append(f"consolidation of {qid}: app {key(a)}, expected {key(e)}")
    return problems


def main() -> int:
    """Run the load test; print a summary; exit 1 on any failed check."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--respondents", type=int, default=100)
    parser.add_argument(
        "--pause",
        type=float,
        default=1.0,
        help="mean seconds a respondent reads a page (default 1.0)",
    )
    parser.add_argument("--max-seconds", type=float, default=120.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument(
        "--database",
        default=os.environ.get(
            "LOADTEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
        help="a PostgreSQL URL whose server may create the load test's own database",
    )
    args = parser.parse_args()
    if not 1 <= args.respondents <= 500 or not 0 < args.max_seconds <= 300:
        parser.error("--respondents 1..500 and --max-seconds up to 300")

    name = f"assessment_loadtest_{os.getpid()}"
    try:
        url = fresh_database(args.database, name)
    except Exception as exc:  # noqa: BLE001 - say why and stop
        print(f"loadtest: PostgreSQL not reachable at {args.database}: {exc}", file=sys.stderr)
        return 1
    gunicorn = None
    try:
        assessment_id, tokens = prepare(url, args.respondents)
        from assessment.domain.bank import bundled_registry

        bank = bundled_registry().get(*BANK)
        dimensions = [(d.id, [q.id for q in d.questions]) for d in bank.dimensions]
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "SECRET_KEY": "loadtest",
            "SESSION_COOKIE_SECURE": "0",  # plain http://127.0.0.1
            "LOGIN_RATE_LIMIT": "1000 per minute",
        }
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "gunicorn"),
                "-w",
                str(args.workers),
                "-b",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
                "--timeout",
                "60",
                "wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):  # up to about 30 s for the workers to start
            try:
                urllib.request.urlopen(base + "/healthz", timeout=5).read()
                break
            except (urllib.error.URLError, OSError):
                time.sleep(0.2)
        else:
            print("loadtest: gunicorn did not answer /healthz", file=sys.stderr)
            return 1
        started = time.monotonic()
        deadline = started + args.max_seconds
        clients = [
            Respondent(base, token, dimensions, args.pause, deadline, seed)
            for seed, token in enumerate(tokens)
        ]
        for client in clients:
            client.start()
        for client in clients:
            client.join(max(0.1, deadline + 35 - time.monotonic()))
        elapsed = time.monotonic() - started
        statuses = sum((c.statuses for c in clients), Counter())
        requests = sum(statuses.values())
        server_errors = sum(n for code, n in statuses.items() if code >= 500 or code == 0)
        problems = [e for c in clients for e in c.errors]
        if any(c.is_alive() for c in clients):
            problems.append("some respondents did not finish in time")
        problems += verify(url, assessment_id, clients)
        print(
            f"respondents: {len(clients)}, submitted: {sum(c.submitted for c in clients)}, "
            f"workers: {args.workers}, database: PostgreSQL"
        )
        print(
            f"requests: {requests} in {elapsed:.1f} s ({requests / elapsed:.1f} req/s); "
            f"statuses: {dict(sorted(statuses.items()))}"
        )
        print(
            f"answers sent: {sum(len(c.sent) for c in clients)}; 5xx or failed: "
            f"{server_errors}; problems: {len(problems)}"
        )
        for problem in problems[:20]:
            print(f"  - {problem}")
        ok = server_errors == 0 and not problems
        print("loadtest: PASS" if ok else "loadtest: FAIL")
        return 0 if ok else 1
    finally:
        if gunicorn is not None:
            os.killpg(gunicorn.pid, signal.SIGTERM)
            try:
                gunicorn.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(gunicorn.pid, signal.SIGKILL)
        drop_database(args.database, name)


if __name__ == "__main__":
    sys.exit(main())
