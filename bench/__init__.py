"""Benchmarks (`make bench` = `python -m bench`): measured, never part of the test suite.

The pieces shared by the benchmark runs live here: a free loopback port, a gunicorn server
started and always stopped, and a bounded HTTP load generator (threads + http.client, fixed
duration and request cap, loopback only, no redirects followed).
"""

from __future__ import annotations

import http.client
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port nothing listens on just now, on the loopback interface."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


class Gunicorn:
    """`gunicorn -w WORKERS -b 127.0.0.1:PORT APP` in its own process group; stopped on exit.

    Use as a context manager: the server is up (it answers `ready_path`) inside the block and
    its whole process group is gone after it, whatever happened.
    """

    def __init__(
        self,
        app: str,
        env: dict[str, str],
        log: Path,
        workers: int = 2,
        ready_path: str = "/healthz",
        start_timeout: float = 30.0,
    ):
        self.app, self.env, self.log, self.workers = app, env, log, workers
        self.ready_path, self.start_timeout = ready_path, start_timeout
        self.port = free_port()
        self.proc: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        cmd = [
            sys.executable,
            "-m",
            "gunicorn",
            "--workers",
            str(self.workers),
            "--bind",
            f"{HOST}:{self.port}",
            "--timeout",
            "30",
            "--graceful-timeout",
            "5",
            "--error-logfile",
            str(self.log),
            "--log-level",
            "warning",
            self.app,
        ]
        env = {**os.environ, **self.env, "PYTHONPATH": str(ROOT)}
        self._log_handle = open(self.log, "ab")  # noqa: SIM115 - closed in __exit__
        self.proc = subprocess.Popen(
            cmd,
            cwd=ROOT,
            env=env,
            stdout=self._log_handle,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            self._wait_ready()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + self.start_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(
                    f"gunicorn {self.app} exited ({self.proc.returncode}):\n" + self.log_tail()
                )
            try:
                conn = http.client.HTTPConnection(HOST, self.port, timeout=2)
                conn.request("GET", self.ready_path)
                status = conn.getresponse().status
                conn.close()
                if status < 500:
                    # Every worker imports the app lazily at its first request: warm both.
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(
            f"gunicorn {self.app} did not start in {self.start_timeout} s:\n" + self.log_tail()
        )

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text("utf-8", "replace").splitlines()[-lines:])
        except OSError:
            return ""

    def __exit__(self, *exc) -> None:
        proc = self.proc
        if proc is not None and proc.poll() is None:
            try:
                os.killpg(proc.pid, signal.SIGTERM)  # the master and its workers
                proc.wait(timeout=10)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                proc.wait(timeout=5)
        handle = getattr(self, "_log_handle", None)
        if handle is not None:
            handle.close()


# --- a bounded HTTP client --------------------------------------------------------------------


@dataclass
class Request:
    """One request to send: method, path, urlencoded form (for POST), extra headers."""

    method: str
    path: str
    form: dict[str, str] | None = None
    headers: dict[str, str] = field(default_factory=dict)

    def encoded(self) -> tuple[bytes | None, dict[str, str]]:
        if self.form is None:
            return None, dict(self.headers)
        body = urllib.parse.urlencode(self.form).encode()
        return body, {**self.headers, "Content-Type": "application/x-www-form-urlencoded"}


@dataclass
class LoadResult:
    """What a load run measured."""

    label: str
    seconds: float
    ok: int
    errors: int
    statuses: dict[int, int]
    latencies: list[float]

    @property
    def rps(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        data = sorted(self.latencies)
        return data[min(len(data) - 1, int(p / 100 * len(data)))]

    @property
    def p50_ms(self) -> float:
        return 1000 * statistics.median(self.latencies) if self.latencies else float("nan")


def fetch(port: int, request: Request, timeout: float = 10.0) -> http.client.HTTPResponse:
    """One request on a new connection; the response is read (`.body`) and returned."""
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        body, headers = request.encoded()
        conn.request(request.method, request.path, body=body, headers=headers)
        response = conn.getresponse()
        response.body = response.read()
        return response
    finally:
        conn.close()


def load(
    label: str,
    port: int,
    make: Callable[[int, int], Request],
    ok_status: int,
    seconds: float,
    threads: int = 4,
    max_requests: int = 50_000,
    after: Callable[[int, int, http.client.HTTPResponse], None] | None = None,
) -> LoadResult:
    """Send requests from `threads` threads for `seconds` (at most `max_requests` in all).

    `make(thread, n)` builds the n-th request of a thread; `after(thread, n, response)` sees
    each response (its bytes in `.body`); only `ok_status` counts as a success. Keep-alive is
    used where the server allows it (gunicorn's sync workers close every connection, so the
    client reconnects, as a browser would). Redirects are not followed: a POST that answers
    302 is done.
    """
    deadline_holder: list[float] = []
    lock = threading.Lock()
    counts = {"sent": 0, "ok": 0, "errors": 0}
    statuses: dict[int, int] = {}
    latencies: list[float] = []
    start_barrier = threading.Barrier(threads + 1)

    def worker(index: int) -> None:
        conn = http.client.HTTPConnection(HOST, port, timeout=10)
        mine: list[float] = []
        n = 0
        start_barrier.wait()
        deadline = deadline_holder[0]
        try:
            while time.perf_counter() < deadline:
                with lock:
                    if counts["sent"] >= max_requests:
                        break
                    counts["sent"] += 1
                request = make(index, n)
                body, headers = request.encoded()
                t0 = time.perf_counter()
                try:
                    conn.request(request.method, request.path, body=body, headers=headers)
                    response = conn.getresponse()
                    response.body = response.read()
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
                    with lock:
                        counts["errors"] += 1
                    n += 1
                    continue
                elapsed = time.perf_counter() - t0
                good = response.status == ok_status
                if good:
                    mine.append(elapsed)
                if after is not None:
                    after(index, n, response)
                with lock:
                    statuses[response.status] = statuses.get(response.status, 0) + 1
                    counts["ok" if good else "errors"] += 1
                if response.will_close:
                    conn.close()
                    conn = http.client.HTTPConnection(HOST, port, timeout=10)
                n += 1
        finally:
            conn.close()
            with lock:
                latencies.extend(mine)

    pool = [threading.Thread(target=worker, args=(i,), daemon=True) for i in range(threads)]
    for t in pool:
        t.start()
    t0 = time.perf_counter()
    deadline_holder.append(t0 + seconds)
    start_barrier.wait()
    for t in pool:
        t.join(seconds + 30)
    elapsed = time.perf_counter() - t0
    return LoadResult(label, elapsed, counts["ok"], counts["errors"], statuses, latencies)
