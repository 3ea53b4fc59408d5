"""The Flask application: `create_app()` reads as a list of named registration steps."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

ROOT = Path(__file__).resolve().parent.parent


def create_app(test_config: dict | None = None) -> Flask:
    """Build the application; `test_config` overrides settings read from the environment."""
    app = Flask(__name__, instance_relative_config=True, template_folder=str(ROOT / "templates"))
    configure(app, test_config)
    trust_proxy(app)
    register_extensions(app)
    register_blueprints(app)
    register_error_handlers(app)
    register_security_headers(app)
    register_log_filters(app)
    register_template_helpers(app)
    register_commands(app)
    register_request_boundary(app)
    return app


def purge_at_start(app: Flask) -> None:
    """Delete answers kept from ended sessions past their 7 days (a server start; also
    `assessment purge-kept-answers`). A database not reachable yet is no reason not to start."""
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db
    from .services.kept import purge

    with app.app_context():
        try:
            purge()
            from .services.personal import purge as purge_personal

            purge_personal(app.config["PERSONAL_DATA_MONTHS"])
            db.session.commit()
        except SQLAlchemyError as exc:
            db.session.rollback()
            app.logger.warning("kept answers not purged at start: %s", exc.__class__.__name__)


def trust_proxy(app: Flask) -> None:
    """Behind TRUSTED_PROXY_HOPS proxies (TLS ends there), take the client's address and scheme
    from their X-Forwarded-For/-Proto headers: throttling sees the real address, HSTS is sent."""
    hops = int(app.config.get("TRUSTED_PROXY_HOPS") or 0)
    if hops > 0:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


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
    warn_of_per_process_counters(app)
    login_manager.init_app(app)
    from .mail import mail

    mail.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None

    def select_locale() -> str:
        # The session carries the choice (set by the switch, and at login from the user's
        # saved language), so choosing a language never needs the database. The JSON API
        # plays no part in sessions: it speaks the language of Accept-Language.
        if request.path.startswith("/api/") and request.endpoint != "api.docs":
            return (
                request.accept_languages.best_match(app.config["LANGUAGES"])
                or app.config["LANGUAGES"][0]
            )
        lang = session.get("lang")
        if lang in app.config["LANGUAGES"]:
            return lang
        return (
            request.accept_languages.best_match(app.config["LANGUAGES"])
            or app.config["LANGUAGES"][0]
        )

    from .domain.i18n import TRANSLATIONS_DIR

    # The same catalogues as the report domain's (domain/i18n.py): a language is its catalogues.
    babel.init_app(
        app,
        locale_selector=select_locale,
        default_translation_directories=str(TRANSLATIONS_DIR),
    )

    @login_manager.user_loader
    def load_user(user_id: str):
        from .models import User
        from .services.access import load_user_and_assessment
        from .web.helpers import MAX_ID

        # The session holds "<id>.<session version>" (User.get_id); a cookie from before the
        # user's last logout or password change carries an older version and is refused.
        uid_text, _dot, version_text = (user_id or "").partition(".")
        try:
            uid = int(uid_text)
        except (TypeError, ValueError):
            return None
        if not 0 < uid <= MAX_ID:
            return None
        # Pages about one assessment read the user and the assessment in one statement.
        assessment_id = (request.view_args or {}).get("assessment_id")
        if isinstance(assessment_id, int):
            user, g.request_assessment = load_user_and_assessment(
                uid, assessment_id, with_organisation=request.method == "GET"
            )
        else:
            user = db.session.get(User, uid)
        if user is None or version_text != str(user.session_version or 0):
            return None
        return user


def worker_count(environ=None, argv=None) -> int:
    """How many server processes serve this app, as far as the start-up tells: WEB_CONCURRENCY,
    or gunicorn's -w/--workers (on its command line or in GUNICORN_CMD_ARGS)."""
    import os
    import shlex
    import sys

    environ = os.environ if environ is None else environ
    argv = sys.argv if argv is None else argv
    try:
        if int(environ.get("WEB_CONCURRENCY") or 0) > 1:
            return int(environ["WEB_CONCURRENCY"])
    except ValueError:
        pass
    words = list(argv[1:]) if "gunicorn" in (argv[0] if argv else "") else []
    words += shlex.split(environ.get("GUNICORN_CMD_ARGS", ""))
    count = 1
    for n, word in enumerate(words):
        value = None
        if word in ("-w", "--workers") and n + 1 < len(words):
            value = words[n + 1]
        elif word.startswith("--workers="):
            value = word.split("=", 1)[1]
        elif word.startswith("-w") and word[2:].isdigit():
            value = word[2:]
        if value is not None and value.isdigit():
            count = int(value)
    return count


def warn_of_per_process_counters(app: Flask) -> None:
    """Login throttling counted in memory holds per process only: say so at start-up when
    several workers run."""
    uri = str(app.config.get("RATELIMIT_STORAGE_URI") or "memory://")
    workers = worker_count()
    if uri.startswith("memory://") and workers > 1:
        app.logger.warning(
            "login throttling counts in memory, per process, and %d workers run: an attacker "
            "gets %d times the attempts. Set REDIS_URL (or RATELIMIT_STORAGE_URI) to share "
            "the counts.",
            workers,
            workers,
        )


def register_blueprints(app: Flask) -> None:
    """One blueprint per feature."""
    from .web import (
        accountability,
        admin,
        api,
        assessments,
        auth,
        banks,
        main,
        organisations,
        portfolio,
        register,
        reports,
        respondents,
        standards,
    )
    from .web.helpers import IdConverter

    app.url_map.converters["int"] = IdConverter  # before the routes that use it are added

    for module in (
        main,
        auth,
        organisations,
        assessments,
        reports,
        admin,
        respondents,
        portfolio,
        standards,
        banks,
        accountability,
        register,
        api,
    ):
        app.register_blueprint(module.bp)


def register_error_handlers(app: Flask) -> None:
    """Friendly pages for errors, and the request boundary's commit/rollback."""
    from .web.errors import init_app

    init_app(app)


def register_security_headers(app: Flask) -> None:
    """Content-Security-Policy and the other security headers on every response."""
    from .web.security import init_app

    init_app(app)


def register_log_filters(app: Flask) -> None:
    """Access logs never hold a respondent's private link (gunicorn's and werkzeug's)."""
    from .logs import install

    install()


def register_template_helpers(app: Flask) -> None:
    """Filters and globals for templates (formatting in the user's locale)."""
    from .web.helpers import init_app

    init_app(app)


def register_request_boundary(app: Flask) -> None:
    """One commit or rollback per request (assessment/transactions.py); registered last."""
    from . import transactions

    transactions.init_app(app)


def register_commands(app: Flask) -> None:
    """Database-bound CLI commands (the offline ones live on the group in cli.py)."""
    from .commands import init_app

    init_app(app)
