"""The `assessment` command line (README.md, "Command line"): a Flask CLI group.

Exit status: 0 success, 1 refused input (message on stderr), 2 usage error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import FlaskGroup, with_appcontext

from .domain.answers import parse_answers
from .domain.bank import BankRegistry, bundled_bank_paths, bundled_registry, load_bank
from .domain.errors import DomainError
from .domain.textreport import format_text

LANG = click.Choice(["lv", "en"])


def fail(error: DomainError | str, lang: str = "en") -> None:
    """Print a refusal on stderr and exit with status 1."""
    message = error.message(lang) if isinstance(error, DomainError) else error
    click.echo(f"error: {message}", err=True)
    sys.exit(1)


def _create_app():
    from . import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False,
             add_default_commands=True, load_dotenv=False)
def main() -> None:
    """Customer service standard readiness self-assessment."""


def read_input(path: str) -> bytes:
    """The bytes of FILE, or of stdin for '-'; an unreadable file is a refusal."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        fail(f"{path}: cannot read the file: {exc.strerror or exc}")
    raise AssertionError("unreachable")


def offline_registry(extra_banks: tuple[str, ...]) -> BankRegistry:
    """The bundled banks plus any given with --bank."""
    registry = BankRegistry(bundled_registry())
    for path in extra_banks:
        try:
            registry.add(load_bank(path))
        except DomainError as exc:
            fail(exc)
    return registry


def load_answers_file(path: str, extra_banks: tuple[str, ...], lang: str = "en"):
    """Parse and validate an answers file against the offline banks, or exit 1."""
    registry = offline_registry(extra_banks)
    try:
        return parse_answers(read_input(path), registry, source=path)
    except DomainError as exc:
        fail(exc, lang)
    raise AssertionError("unreachable")


@main.command("score", with_appcontext=False)
@click.argument("file")
@click.option("--format", "fmt", type=click.Choice(["json", "text"]), default="json",
              show_default=True)
@click.option("--lang", type=LANG, default=None, help="Language of labels and texts "
              "(default: the file's language).")
@click.option("--bank", "extra_banks", multiple=True, type=click.Path(dir_okay=False),
              help="Also use the bank in this YAML file.")
def score_command(file: str, fmt: str, lang: str | None, extra_banks: tuple[str, ...]) -> None:
    """Score an answers file (assessment-answers/1), offline."""
    answers_file, bank = load_answers_file(file, extra_banks, lang or "en")
    lang = lang or answers_file.language
    from .services.results import score_file

    result = score_file(answers_file, bank)
    if fmt == "json":
        click.echo(json.dumps(result.to_dict(lang), ensure_ascii=False, indent=2))
    else:
        click.echo(format_text(result, lang), nl=False)


#: Report formats by the output file's extension.
REPORT_FORMATS = (".pdf", ".docx")


def _report_format(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """-o must end in .pdf or .docx: the extension chooses the format."""
    if Path(value).suffix.lower() not in REPORT_FORMATS:
        raise click.BadParameter(
            f"'{value}': the file name must end in .pdf or .docx (the extension chooses the "
            "report's format)", ctx=ctx, param=param)
    return value


@main.command("report", with_appcontext=False)
@click.argument("file")
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              callback=_report_format,
              help="Where to write the report: OUT.pdf (PDF) or OUT.docx (editable DOCX).")
@click.option("--lang", type=LANG, default=None)
@click.option("--bank", "extra_banks", multiple=True, type=click.Path(dir_okay=False))
def report_command(file: str, output: str, lang: str | None,
                   extra_banks: tuple[str, ...]) -> None:
    """Write the report of an answers file, offline: PDF or DOCX by the extension of -o."""
    from .services.results import file_report

    answers_file, bank = load_answers_file(file, extra_banks, lang or "en")
    report = file_report(answers_file, bank, lang or answers_file.language)
    if Path(output).suffix.lower() == ".docx":
        from .reporting.docx import render_docx

        data = render_docx(report)
    else:
        from .reporting.pdf import render_pdf

        data = render_pdf(report)
    write_output(output, data)


def write_output(output: str, data: bytes) -> None:
    """Write `data` to `output`, or exit 1 with the reason; report the size on stderr."""
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        fail(f"{output}: cannot write the file: {exc.strerror or exc}")
    click.echo(f"{output}: {len(data)} bytes", err=True)


def _pdf_output(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """-o must end in .pdf."""
    if Path(value).suffix.lower() != ".pdf":
        raise click.BadParameter(f"'{value}': the file name must end in .pdf", ctx=ctx,
                                 param=param)
    return value


def find_bank(bank_id: str, version: str):
    """The bundled bank, else the one installed in the database; None when there is neither."""
    for bank in bundled_registry():
        if bank.id == bank_id and bank.version == version:
            return bank
    from sqlalchemy.exc import SQLAlchemyError

    from .extensions import db
    from .services.banks import get_bank

    try:
        return get_bank(bank_id, version)
    except SQLAlchemyError:  # no database yet (`assessment init`): only the bundled banks
        db.session.rollback()
        return None


@main.command("questionnaire")
@click.option("--bank", "bank_id", required=True, help="The bank's id.")
@click.option("--version", required=True, help="The bank's version.")
@click.option("--lang", type=LANG, default="lv", show_default=True)
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False),
              callback=_pdf_output, help="Where to write the PDF.")
@with_appcontext
def questionnaire_command(bank_id: str, version: str, lang: str, output: str) -> None:
    """Write the blank printable questionnaire of a bank version (A4 PDF)."""
    from .reporting.questionnaire import render_questionnaire

    bank = find_bank(bank_id, version)
    if bank is None:
        known = sorted({f"{b.id} {b.version}" for b in bundled_registry()})
        fail(f"no question bank {bank_id} version {version} is installed "
             f"(bundled: {', '.join(known) or 'none'}; `assessment bank list` shows all)")
    write_output(output, render_questionnaire(bank, lang))


@main.group("bank")
def bank_group() -> None:
    """Question banks."""


@bank_group.command("validate", with_appcontext=False)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--lang", type=LANG, default="en")
def bank_validate(paths: tuple[str, ...], lang: str) -> None:
    """Validate bank files (default: the bundled banks); exit 1 if any is refused."""
    targets = list(paths) or [str(p) for p in bundled_bank_paths()]
    failed = False
    for path in targets:
        try:
            bank = load_bank(path)
        except DomainError as exc:
            click.echo(f"error: {exc.message(lang)}", err=True)
            failed = True
            continue
        click.echo(f"{path}: ok ({bank.id} {bank.version}, {len(bank.dimensions)} dimensions, "
                   f"{len(bank)} questions)")
    if failed:
        sys.exit(1)


@bank_group.command("list")
@with_appcontext
def bank_list() -> None:
    """List installed banks: the bundled ones and those uploaded to the database."""
    from .services.banks import installed_banks

    for bank, origin in installed_banks():
        click.echo(f"{bank.id}\t{bank.version}\t{len(bank)} questions\t{origin}\t"
                   f"{bank.title.en}")


@bank_group.command("install")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--organisation", default=None,
              help="Offer the bank to this organisation only (e.g. a ministry's variant).")
@with_appcontext
def bank_install(path: str, organisation: str | None) -> None:
    """Install (upload) a bank YAML into the database, after validating it."""
    from .commands import _install

    _install(path, organisation)
