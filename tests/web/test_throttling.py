"""Login throttling that holds across processes and cannot lock people out (issue 10, item 5)."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.conftest import DEFAULT_PASSWORD

REDIS = "redis://127.0.0.1:6379/0"
DEAD_REDIS = "redis://127.0.0.1:6390/0"  # nothing listens there
ROOT = Path(__file__).resolve().parents[2]


def throttled_app(app, storage: str, **extra):
    """A production-like app on the test database with real limits and this store."""
    from assessment import create_app

    return create_app(
        {
            "SECRET_KEY": app.config["SECRET_KEY"],
            "SQLALCHEMY_DATABASE_URI": app.config["SQLALCHEMY_DATABASE_URI"],
            "TESTING": True,
            "WTF_CSRF_ENABLED": False,
            "RATELIMIT_STORAGE_URI": storage,
            "LOGIN_RATE_LIMIT": "10 per 5 minutes",
            **extra,
        }
    )


def attempt(client, email, password, address):
    return client.post(
        "/login", data={"email": email, "password": password}, environ_base={"REMOTE_ADDR": address}
    ).status_code


@pytest.fixture()
def restore_limiter(app):
    """Tests here bind the one limiter to other stores; give it back to the session's app."""
    yield
    from assessment.extensions import limiter

    limiter.init_app(app)
    limiter.reset()


@pytest.fixture()
def ilze(factory):
    factory.user("ilze@example.lv", "member", factory.organisation())
    return "ilze@example.lv"


def test_a_stranger_cannot_lock_the_real_user_out(app, ilze, restore_limiter):
    client = throttled_app(app, "memory://").test_client()
    codes = [attempt(client, ilze, "wrong password!", "203.0.113.9") for _ in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    # The real user, from their own address, is not held up by the stranger's failures.
    assert attempt(client, ilze, DEFAULT_PASSWORD, "198.51.100.7") == 302


def test_successful_logins_do_not_count(app, ilze, restore_limiter):
    client = throttled_app(app, "memory://").test_client()
    codes = [attempt(client, ilze, DEFAULT_PASSWORD, "198.51.100.7") for _ in range(12)]
    assert codes == [302] * 12


def test_counts_are_shared_across_processes_through_redis(app, ilze, restore_limiter):
    """Ten failures in another process (another worker) count here: the eleventh is 429."""
    redis = pytest.importorskip("redis")
    try:
        redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    email = f"nobody-{uuid.uuid4().hex}@example.lv"  # keys of this test only
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    worker = f"""
import json
from assessment import create_app
app = create_app({{"SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": {uri!r},
    "TESTING": True, "WTF_CSRF_ENABLED": False,
    "RATELIMIT_STORAGE_URI": {REDIS!r}, "LOGIN_RATE_LIMIT": "10 per 5 minutes"}})
client = app.test_client()
print(json.dumps([client.post("/login", data={{"email": {email!r}, "password": "wrong!"}},
                              environ_base={{"REMOTE_ADDR": "203.0.113.9"}}).status_code
                  for _ in range(10)]))
"""
    try:
        done = subprocess.run(
            [sys.executable, "-c", worker],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ},
        )
        assert done.returncode == 0, done.stderr[-2000:]
        assert json.loads(done.stdout.strip().splitlines()[-1]) == [401] * 10
        client = throttled_app(app, REDIS).test_client()
        assert attempt(client, email, "wrong!", "203.0.113.9") == 429
        assert attempt(client, email, "wrong!", "203.0.113.10") == 401  # another address
    finally:
        store = redis.Redis.from_url(REDIS)
        for key in store.scan_iter(match=f"*{email}*"):
            store.delete(key)


def test_redis_down_falls_back_to_memory_never_a_500(app, ilze, restore_limiter):
    client = throttled_app(app, DEAD_REDIS).test_client()
    codes = [attempt(client, ilze, "wrong password!", "203.0.113.9") for _ in range(12)]
    assert 500 not in codes
    assert codes[:10] == [401] * 10 and codes[-1] == 429  # still throttled, in memory
    assert attempt(client, ilze, DEFAULT_PASSWORD, "198.51.100.7") == 302


def test_warning_at_start_with_several_workers_and_memory_counters(
    app, caplog, monkeypatch, restore_limiter
):
    monkeypatch.setenv("WEB_CONCURRENCY", "4")
    with caplog.at_level(logging.WARNING):
        throttled_app(app, "memory://")
    assert any(
        "REDIS_URL" in r.getMessage() and "4 workers" in r.getMessage() for r in caplog.records
    )
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        throttled_app(app, REDIS)
    assert not any("REDIS_URL" in r.getMessage() for r in caplog.records)


def test_worker_count_reads_gunicorn_and_the_environment():
    from assessment import worker_count

    assert worker_count({}, ["gunicorn", "-w", "4", "wsgi:app"]) == 4
    assert worker_count({}, ["/x/bin/gunicorn", "--workers=3", "wsgi:app"]) == 3
    assert worker_count({"GUNICORN_CMD_ARGS": "--workers 5"}, ["python"]) == 5
    assert worker_count({"WEB_CONCURRENCY": "2"}, ["python"]) == 2
    assert worker_count({}, ["python", "-w", "9"]) == 1  # not gunicorn


def test_limiter_check_hook_is_kept(app):
    """Flask-Limiter's own before-request check stays in place (no private hook removed)."""
    from flask_limiter import Limiter

    hooks = app.before_request_funcs.get(None, [])
    assert any(getattr(h, "__func__", None) is Limiter._check_request_limit for h in hooks)
