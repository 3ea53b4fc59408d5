"""`make run`: set up the database on first run (with the demo), print the login, serve."""

from __future__ import annotations

import argparse
from pathlib import Path

from . import create_app
from .commands import init_database


def main() -> None:
    """Initialise (idempotent), then serve on the given address."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=5000)
    args = parser.parse_args()
    app = create_app()
    with app.app_context():
        init_database(demo=True)
    login = Path(app.instance_path) / "demo-login.txt"
    print(f"\n  Serving on http://{args.host}:{args.port}/")
    if login.exists():
        email, password = login.read_text("utf-8").split()[:2]
        print(f"  Demo login: {email} / {password}")
    print("  Stop with Ctrl+C.\n", flush=True)
    app.run(host=args.host, port=args.port, debug=False, use_reloader=False, threaded=True)


if __name__ == "__main__":
    main()
