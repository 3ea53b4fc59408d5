"""The Flask application: `create_app()` reads as a list of named registration steps."""

from __future__ import annotations

from flask import Flask


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application (placeholder until the web issue lands)."""
    app = Flask(__name__, instance_relative_config=True)
    if test_config:
        app.config.update(test_config)

    @app.get("/")
    def index() -> str:
        return "Customer service standard readiness self-assessment"

    return app
