"""The Flask application: `create_app()` reads as a list of named registration steps."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; `test_config` overrides settings read from the environment."""
    app = Flask(__name__, instance_relative_config=True,
                template_folder=str(ROOT / "templates"))
    configure(app, test_config)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_template_helpers(app)
    register_commands(app)
    return app


def configure(app: Flask, test_config: dict | None) -> None:
    """Settings: environment first, then the test overrides."""
    from .config import from_environment

    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.update(from_environment(app.instance_path))
    app.config.update(test_config or {})


def register_extensions(app: Flask) -> None:
    """Bind the extensions of extensions.py to this app."""
    from flask import g, request, session

    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    from .services.results import install as install_results

    install_results()  # stored results recomputed before every commit
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    skip_app_wide_rate_check(app, limiter)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    def select_locale() -> str:
        # The session carries the choice (set by the switch, and at login from the user's
        # saved language), so choosing a language never needs the database.
        lang = session.get("lang")
        if lang in app.config["LANGUAGES"]:
            return lang
        return request.accept_languages.best_match(app.config["LANGUAGES"]) or "lv"

    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=str(Path(__file__).parent / "translations"))

    @login_manager.user_loader
    def load_user(user_id: str):
        from .models import User
        from .services.access import load_user_and_assessment
        from .web.helpers import MAX_ID

        try:
            uid = int(user_id)
        except (TypeError, ValueError):
            return None
        if not 0 < uid <= MAX_ID:
            return None
        # Pages about one assessment read the user and the assessment in one statement.
        assessment_id = (request.view_args or {}).get("assessment_id")
        if isinstance(assessment_id, int):
            user, g.request_assessment = load_user_and_assessment(
                uid, assessment_id, with_organisation=request.method == "GET")
            return user
        return db.session.get(User, uid)


def skip_app_wide_rate_check(app: Flask, limiter) -> None:
    """Our rate limits sit on single views (login, keeping answers of an expired session),
    whose decorators check them when the view runs. Without default or application-wide
    limits, the check Flask-Limiter adds before every request has nothing to enforce, yet it
    costs every page; it is left out then (tests prove both limits still answer 429)."""
    from flask_limiter import Limiter

    if app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION"):
        return
    app.before_request_funcs[None] = [
        hook for hook in app.before_request_funcs.get(None, [])
        if getattr(hook, "__func__", None) is not Limiter._check_request_limit]


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature."""
    from .web import admin, assessments, auth, main, organisations, portfolio, reports, respondents
    from .web.helpers import IdConverter

    app.url_map.converters["int"] = IdConverter  # before the routes that use it are added

    for module in (main, auth, organisations, assessments, reports, admin, respondents,
                   portfolio):
        app.register_blueprint(module.bp)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for errors, and the request boundary's commit/rollback."""
    from .web.errors import init_app

    init_app(app)


def register_template_helpers(app: Flask) -> None:
    """Filters and globals for templates (formatting in the user's locale)."""
    from .web.helpers import init_app

    init_app(app)


def register_commands(app: Flask) -> None:
    """Database-bound CLI commands (the offline ones live on the group in cli.py)."""
    from .commands import init_app

    init_app(app)
