"""CLI commands that need the database: init, user create, export, import (README.md). Their
messages and help are in the environment's language (clitext.py)."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask_migrate import upgrade

from .clitext import Command, Group
from .domain.answers import parse_answers
from .domain.errors import DomainError
from .domain.i18n import M_, cli_text, environment_language
from .extensions import db
from .models import Assessment
from .services import files
from .services import users as user_service
from .services.banks import get_bank, install_bank, registry, sync_bundled_banks
from .services.errors import Invalid
from .services.organisations import find_or_create_organisation, find_organisation


def fail(message: str) -> None:
    """A refusal: message on stderr, exit status 1."""
    click.echo(cli_text(M_("error: %(message)s"), message=message), err=True)
    sys.exit(1)


def init_database(demo: bool = False) -> str | None:
    """Create or upgrade the schema, load the bundled banks, optionally the demo; idempotent.

    Returns the demo admin's password when the demo was created now.
    """
    upgrade(directory=current_app.extensions["migrate"].directory)
    sync_bundled_banks()
    purge_kept_answers()
    from .services.personal import purge as purge_personal

    purge_personal(current_app.config["PERSONAL_DATA_MONTHS"])
    password = None
    if demo:
        from .demo import create_demo

        password = create_demo()
    db.session.commit()
    return password


def purge_kept_answers() -> None:
    """At start: answers kept from ended sessions live 7 days (services.kept)."""
    from .services.kept import purge

    purge()


user_group = Group("user", help=M_("User accounts."))
personal_group = Group("personal-data", help=M_("Personal data (GDPR)."))


@personal_group.command(
    "export", help=M_("Print (JSON) everything the application holds about one e-mail address.")
)
@click.argument("email")
def personal_export(email: str) -> None:
    import json

    from .services.personal import export

    if "@" not in email or len(email) > 254:
        fail(cli_text(M_("give an e-mail address")))
    click.echo(json.dumps(export(email), ensure_ascii=False, indent=2, default=str))


@user_group.command(
    "create",
    help=M_("Create a user; the password comes from a prompt, or the same line twice on stdin."),
)
@click.argument("email")
@click.option(
    "--role", type=click.Choice(["admin", "consultant", "member", "viewer"]), required=True
)
@click.option(
    "--organisation", default=None, help=M_("Organisation name (members and viewers need one).")
)
@click.option("--name", default="", help=M_("The person's name."))
def user_create(email: str, role: str, organisation: str | None, name: str) -> None:
    if sys.stdin.isatty():
        password = click.prompt(cli_text(M_("Password")), hide_input=True, confirmation_prompt=True)
    else:
        lines = sys.stdin.read().splitlines()
        if len(lines) < 2 or lines[0] != lines[1]:
            fail(cli_text(M_("give the password twice, one line each, on standard input")))
        password = lines[0]
    org = None
    if organisation:
        org = find_organisation(organisation)
        if org is None:
            fail(cli_text(M_("no organisation named %(name)s"), name=repr(organisation)))
    try:
        user = user_service.create_user(email, password, role, org, name)
    except Invalid as exc:
        fail(exc.message)
    db.session.commit()
    click.echo(cli_text(M_("created %(email)s (%(role)s)"), email=user.email, role=user.role))


token_group = Group("token", help=M_("Personal API tokens."))


@token_group.command(
    "create",
    help=M_("Create a personal API token of the user EMAIL and print it (shown this once only)."),
)
@click.argument("email")
@click.option("--name", default="", help=M_("What the token is for."))
@click.option("--read-only", is_flag=True, help=M_("The token may read but not write."))
def token_create(email: str, name: str, read_only: bool) -> None:
    from sqlalchemy import func, select

    from .models import User
    from .services import tokens as token_service

    user = db.session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        fail(cli_text(M_("no user with the e-mail %(email)s"), email=repr(email)))
    if not user.active:
        fail(cli_text(M_("the user %(email)s is deactivated"), email=user.email))
    try:
        _row, text = token_service.create_token(user, name, "read" if read_only else "write")
    except Invalid as exc:
        fail(
            {
                "token_many": cli_text(M_("the user has too many tokens: revoke one first")),
                "token_name": cli_text(M_("--name is too long (at most 100 characters)")),
            }.get(exc.message, exc.message)
        )
    db.session.commit()
    click.echo(text)


def init_app(app: Flask) -> None:
    """Register the commands on the app's CLI."""

    @app.cli.command(
        "init",
        cls=Command,
        help=M_("Create or upgrade the database, load the bundled banks; idempotent."),
    )
    @click.option("--demo", is_flag=True, help=M_("Also add a demo organisation and admin."))
    def init_command(demo: bool) -> None:
        try:
            password = init_database(demo)
        except DomainError as exc:
            fail(exc.message(environment_language()))
        url = db.engine.url.render_as_string(hide_password=True)
        click.echo(cli_text(M_("database ready: %(url)s"), url=url))
        if password:
            from .demo import DEMO_EMAIL

            click.echo(
                cli_text(
                    M_(
                        "demo login: %(email)s / %(password)s  (shown once; also kept in "
                        "instance/demo-login.txt)"
                    ),
                    email=DEMO_EMAIL,
                    password=password,
                )
            )

    @app.cli.command(
        "purge-kept-answers",
        cls=Command,
        help=M_("Delete answers kept from ended sessions that are older than 7 days."),
    )
    def purge_command() -> None:
        from .services.kept import purge

        count = purge()
        db.session.commit()
        click.echo(cli_text(M_("deleted %(n)s kept answer set(s) older than 7 days"), n=count))

    @app.cli.command(
        "export", cls=Command, help=M_("Write an assessment as an assessment-answers/1 file.")
    )
    @click.argument("assessment_id", type=int)
    @click.option("-o", "--output", default="-", help=M_("File to write (default: stdout)."))
    def export_command(assessment_id: int, output: str) -> None:
        item = db.session.get(Assessment, assessment_id)
        if item is None:
            fail(cli_text(M_("no assessment with id %(id)s"), id=assessment_id))
        bank = get_bank(item.bank_id, item.bank_version)
        text = files.export_answers(item, bank).to_json()
        if output == "-":
            click.echo(text, nl=False)
        else:
            Path(output).write_text(text, "utf-8")

    @app.cli.command(
        "import", cls=Command, help=M_("Import an answers file as a new assessment; prints its id.")
    )
    @click.argument("file", type=click.Path(dir_okay=False, allow_dash=True))
    @click.option("--organisation", required=True, help=M_("Organisation name (created if new)."))
    def import_command(file: str, organisation: str) -> None:
        try:
            raw = sys.stdin.buffer.read() if file == "-" else Path(file).read_bytes()
        except OSError as exc:
            fail(cannot_read(file, exc))
        try:
            parsed, bank = parse_answers(raw, registry(), file)
        except DomainError as exc:
            fail(exc.message(environment_language()))
        if not organisation.strip():
            fail(cli_text(M_("--organisation must not be empty")))
        org = find_or_create_organisation(organisation)
        item = files.import_answers(parsed, bank, org, None)
        from .services import audit

        audit.record("import", assessment=item, via="cli")
        db.session.commit()
        click.echo(item.id)

    @app.cli.command("bank-install", hidden=True, cls=Command)
    @click.argument("path", type=click.Path(dir_okay=False))
    def bank_install(path: str) -> None:
        """Install a bank file into the database (also: assessment bank install)."""
        _install(path)

    @app.cli.command(
        "purge-personal-data",
        cls=Command,
        help=M_("Erase respondents' names and e-mails of assessments completed that long ago."),
    )
    @click.option(
        "--months",
        type=click.IntRange(1, 1200),
        default=None,
        help=M_("Default: PERSONAL_DATA_MONTHS (24)."),
    )
    def purge_personal_command(months: int | None) -> None:
        from .services.personal import purge as purge_personal

        count = purge_personal(months or current_app.config["PERSONAL_DATA_MONTHS"])
        db.session.commit()
        click.echo(cli_text(M_("erased the personal data of %(n)s respondent(s)"), n=count))

    app.cli.add_command(user_group)
    app.cli.add_command(personal_group)
    app.cli.add_command(token_group)


def _install(path: str, organisation: str | None = None) -> None:
    org_id = None
    if organisation:
        org = find_organisation(organisation)
        if org is None:
            fail(cli_text(M_("no organisation named %(name)s"), name=repr(organisation)))
        org_id = org.id
    try:
        bank = install_bank(Path(path).read_bytes(), path, organisation_id=org_id)
    except OSError as exc:
        fail(cannot_read(path, exc))
    except DomainError as exc:
        fail(exc.message(environment_language()))
    db.session.commit()
    click.echo(cli_text(M_("installed %(id)s %(version)s"), id=bank.id, version=bank.version))


def cannot_read(path: str, exc: OSError) -> str:
    """The refusal of a file that could not be read, in the environment's language."""
    return cli_text(
        M_("%(path)s: cannot read the file: %(reason)s"), path=path, reason=exc.strerror or exc
    )
