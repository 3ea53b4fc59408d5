"""The `assessment` command line (README.md, "Command line"): a Flask CLI group.

Exit status: 0 success, 1 refused input (message on stderr), 2 usage error. Its own messages and
help are in the environment's language (`LANG` …, clitext.py), what it produces in `--lang`.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask.cli import with_appcontext

from .clitext import Group, MainGroup
from .domain.answers import parse_answers
from .domain.bank import BankRegistry, bundled_bank_paths, bundled_registry, load_bank
from .domain.errors import DomainError
from .domain.i18n import M_, cli_text, environment_language, languages, plural_text
from .domain.textreport import format_text

#: --lang: a language of the catalogues (docs/i18n.md). It chooses the language of what the
#: command produces (text report, refusals of the input, documents); the command line's own
#: messages and help are in the environment's language (clitext.py).
LANG = click.Choice(languages())
#: Where an installed bank comes from (services.banks.installed_banks), for `bank list`.
ORIGINS = {"bundled": M_("bundled"), "uploaded": M_("uploaded")}


def fail(error: DomainError | str, lang: str | None = None) -> None:
    """Print a refusal on stderr and exit with status 1; a refusal of the input in `lang` (the
    command's --lang), else in the environment's language."""
    if isinstance(error, DomainError):
        message = error.message(lang or environment_language())
    else:
        message = error
    click.echo(cli_text(M_("error: %(message)s"), message=message), err=True)
    sys.exit(1)


def none_if_empty(items: str) -> str:
    """`items`, or "none" in the environment's language."""
    return items or cli_text(M_("none"))


def reason(exc: OSError) -> str:
    """Why a file could not be read or written (the system's words)."""
    return str(exc.strerror or exc)


def _create_app():
    from . import create_app

    return create_app()


@click.group(
    cls=MainGroup,
    create_app=_create_app,
    add_version_option=False,
    add_default_commands=True,
    load_dotenv=False,
    help=M_("Customer service standard readiness self-assessment."),
)
def main() -> None:
    pass


def read_input(path: str) -> bytes:
    """The bytes of FILE, or of stdin for '-'; an unreadable file is a refusal."""
    if path == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(path).read_bytes()
    except OSError as exc:
        fail(
            cli_text(
                M_("%(path)s: cannot read the file: %(reason)s"), path=path, reason=reason(exc)
            )
        )
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


@main.command(
    "score",
    with_appcontext=False,
    help=M_("Score an answers file (assessment-answers/1), offline."),
)
@click.argument("file")
@click.option(
    "--format", "fmt", type=click.Choice(["json", "text"]), default="json", show_default=True
)
@click.option(
    "--lang",
    type=LANG,
    default=None,
    help=M_("Language of labels and texts (default: the file's language)."),
)
@click.option(
    "--bank",
    "extra_banks",
    multiple=True,
    type=click.Path(dir_okay=False),
    help=M_("Also use the bank in this YAML file."),
)
def score_command(file: str, fmt: str, lang: str | None, extra_banks: tuple[str, ...]) -> None:
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
            cli_text(
                M_(
                    "'%(value)s': the file name must end in .pdf or .docx (the extension "
                    "chooses the report's format)"
                ),
                value=value,
            ),
            ctx=ctx,
            param=param,
        )
    return value


@main.command(
    "report",
    with_appcontext=False,
    help=M_("Write the report of an answers file, offline: PDF or DOCX by the extension of -o."),
)
@click.argument("file")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    callback=_report_format,
    help=M_("Where to write the report: OUT.pdf (PDF) or OUT.docx (editable DOCX)."),
)
@click.option("--lang", type=LANG, default=None, help=M_("Language of the report."))
@click.option(
    "--bank",
    "extra_banks",
    multiple=True,
    type=click.Path(dir_okay=False),
    help=M_("Also use the bank in this YAML file."),
)
def report_command(file: str, output: str, lang: str | None, extra_banks: tuple[str, ...]) -> None:
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
        fail(
            cli_text(
                M_("%(path)s: cannot write the file: %(reason)s"), path=output, reason=reason(exc)
            )
        )
    lang = environment_language()
    click.echo(
        plural_text(lang, "%(path)s: %(n)s byte", "%(path)s: %(n)s bytes", len(data), path=output),
        err=True,
    )


def _pdf_output(ctx: click.Context, param: click.Parameter, value: str) -> str:
    """-o must end in .pdf."""
    if Path(value).suffix.lower() != ".pdf":
        raise click.BadParameter(
            cli_text(M_("'%(value)s': the file name must end in .pdf"), value=value),
            ctx=ctx,
            param=param,
        )
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


@main.command(
    "questionnaire",
    help=M_("Write the blank printable questionnaire of a bank version (A4 PDF)."),
)
@click.option("--bank", "bank_id", required=True, help=M_("The bank's id."))
@click.option("--version", required=True, help=M_("The bank's version."))
@click.option(
    "--lang", type=LANG, default="lv", show_default=True, help=M_("Language of the questionnaire.")
)
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    callback=_pdf_output,
    help=M_("Where to write the PDF."),
)
@with_appcontext
def questionnaire_command(bank_id: str, version: str, lang: str, output: str) -> None:
    from .reporting.questionnaire import render_questionnaire

    bank = find_bank(bank_id, version)
    if bank is None:
        known = sorted({f"{b.id} {b.version}" for b in bundled_registry()})
        fail(
            cli_text(
                M_(
                    "no question bank %(id)s version %(version)s is installed (bundled: "
                    "%(known)s; `assessment bank list` shows all)"
                ),
                id=bank_id,
                version=version,
                known=none_if_empty(", ".join(known)),
            )
        )
    write_output(output, render_questionnaire(bank, lang))


@main.group("bank", cls=Group, help=M_("Question banks."))
def bank_group() -> None:
    pass


@bank_group.command(
    "validate",
    with_appcontext=False,
    help=M_("Validate bank files (default: the bundled banks); exit 1 if any is refused."),
)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option("--lang", type=LANG, default="en", help=M_("Language of the refusals."))
def bank_validate(paths: tuple[str, ...], lang: str) -> None:
    targets = list(paths) or [str(p) for p in bundled_bank_paths()]
    failed = False
    for path in targets:
        try:
            bank = load_bank(path)
        except DomainError as exc:
            click.echo(cli_text(M_("error: %(message)s"), message=exc.message(lang)), err=True)
            failed = True
            continue
        click.echo(
            cli_text(
                M_("%(path)s: ok (%(id)s %(version)s, %(dimensions)s dimensions, %(n)s questions)"),
                path=path,
                id=bank.id,
                version=bank.version,
                dimensions=len(bank.dimensions),
                n=len(bank),
            )
        )
    if not paths and not failed:
        from .domain.mapping import bundled_mapping_paths, load_mapping

        for path in bundled_mapping_paths():
            try:
                mapping = load_mapping(path, bundled_registry())
            except DomainError as exc:
                click.echo(cli_text(M_("error: %(message)s"), message=exc.message(lang)), err=True)
                failed = True
                continue
            click.echo(
                cli_text(
                    M_("%(path)s: ok (mapping %(id)s %(old)s → %(new)s, %(n)s questions)"),
                    path=path,
                    id=mapping.bank_id,
                    old=mapping.from_version,
                    new=mapping.to_version,
                    n=len(mapping.questions),
                )
            )
    if failed:
        sys.exit(1)


@bank_group.command(
    "list", help=M_("List installed banks: the bundled ones and those uploaded to the database.")
)
@with_appcontext
def bank_list() -> None:
    from .services.banks import installed_banks

    lang = environment_language()
    for bank, origin in installed_banks():
        questions = cli_text(M_("%(n)s questions"), n=len(bank))
        shown = cli_text(ORIGINS[origin]) if origin in ORIGINS else origin
        click.echo(f"{bank.id}\t{bank.version}\t{questions}\t{shown}\t{bank.title.get(lang)}")


@bank_group.command(
    "install", help=M_("Install (upload) a bank YAML into the database, after validating it.")
)
@click.argument("path", type=click.Path(dir_okay=False))
@click.option(
    "--organisation",
    default=None,
    help=M_("Offer the bank to this organisation only (e.g. a ministry's variant)."),
)
@with_appcontext
def bank_install(path: str, organisation: str | None) -> None:
    from .commands import _install

    _install(path, organisation)


DEFAULT_BANK_ID = "lv-customer-service-2013"


@bank_group.command(
    "diff",
    with_appcontext=False,
    help=M_(
        "What changed from version V1 to V2 of a bank (default: the bundled bank): questions "
        "added, removed, mapped to other ids and changed, and scale changes."
    ),
)
@click.argument("args", nargs=-1, metavar="[BANK_ID] V1 V2")
@click.option(
    "--bank",
    "extra_banks",
    multiple=True,
    type=click.Path(dir_okay=False),
    help=M_("Also use the bank in this YAML file."),
)
@click.option(
    "--mapping",
    "mapping_path",
    type=click.Path(dir_okay=False),
    default=None,
    help=M_("Use this mapping file (default: the bundled mapping V1 → V2, if any)."),
)
@click.option("--lang", type=LANG, default="en", help=M_("Language of the question texts."))
def bank_diff(
    args: tuple[str, ...], extra_banks: tuple[str, ...], mapping_path: str | None, lang: str
) -> None:
    from .domain.bankdiff import diff_banks, format_diff
    from .domain.mapping import bundled_mappings, load_mapping

    if len(args) == 2:
        bank_id, v1, v2 = DEFAULT_BANK_ID, *args
    elif len(args) == 3:
        bank_id, v1, v2 = args
    else:
        raise click.UsageError(
            cli_text(
                M_(
                    "give two versions, optionally after the bank id: "
                    "assessment bank diff [BANK_ID] V1 V2"
                )
            )
        )
    registry = offline_registry(extra_banks)
    banks = []
    for version in (v1, v2):
        bank = registry.get(bank_id, version)
        if bank is None:
            known = none_if_empty(", ".join(b.version for b in registry if b.id == bank_id))
            fail(
                cli_text(
                    M_("bank %(id)s version %(version)s is not available (versions: %(known)s)"),
                    id=bank_id,
                    version=version,
                    known=known,
                )
            )
        banks.append(bank)
    try:
        if mapping_path:
            mapping = load_mapping(mapping_path, registry)
        else:
            mapping = bundled_mappings().get(bank_id, v1, v2)
    except DomainError as exc:
        fail(exc, lang)
    ui = environment_language()
    diff = diff_banks(banks[0], banks[1], mapping, ui)
    click.echo(format_diff(diff, lang, ui), nl=False)


@bank_group.command(
    "lint",
    with_appcontext=False,
    help=M_(
        "Quality figures of bank files (default: every bundled bank): clause coverage, "
        "near-duplicates, repeated phrases, double-barrelled questions, lengths across "
        "languages, diacritics."
    ),
)
@click.argument("paths", nargs=-1, type=click.Path(dir_okay=False))
@click.option(
    "--limit",
    default=10,
    show_default=True,
    type=click.IntRange(0, 10000),
    help=M_("Findings printed per check."),
)
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True
)
def bank_lint(paths: tuple[str, ...], limit: int, fmt: str) -> None:
    from .domain.lint import format_report, lint_bank

    targets = list(paths) or [str(p) for p in bundled_bank_paths()]
    figures = {}
    for n, path in enumerate(targets):
        try:
            bank = load_bank(path)
        except DomainError as exc:
            fail(exc)
        report = lint_bank(bank)
        if fmt == "json":
            figures[f"{bank.id} {bank.version}"] = report.figures()
            continue
        click.echo(("\n" if n else "") + format_report(report, limit), nl=False)
    if fmt == "json":
        click.echo(json.dumps(figures, ensure_ascii=False, indent=2))


@bank_group.command(
    "doc",
    with_appcontext=False,
    help=M_(
        "The documentation page of a bundled bank (Markdown): scale, dimensions, weights and "
        "targets with their rationale, questions, in every language the bank is written in. "
        "docs/banks/ holds it for the bundled banks."
    ),
)
@click.argument("args", nargs=-1, metavar="[BANK_ID] VERSION")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False),
    default=None,
    help=M_("Write to this file (default: standard output)."),
)
def bank_doc(args: tuple[str, ...], output: str | None) -> None:
    from .domain.bankdoc import bank_markdown

    if len(args) == 1:
        bank_id, version = DEFAULT_BANK_ID, args[0]
    elif len(args) == 2:
        bank_id, version = args
    else:
        raise click.UsageError(
            cli_text(
                M_(
                    "give the version, optionally after the bank id: "
                    "assessment bank doc [BANK_ID] VERSION"
                )
            )
        )
    bank = bundled_registry().get(bank_id, version)
    if bank is None:
        fail(
            cli_text(
                M_("bank %(id)s version %(version)s is not bundled"), id=bank_id, version=version
            )
        )
    text = bank_markdown(bank)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        Path(output).write_text(text, "utf-8")
    except OSError as exc:
        fail(
            cli_text(
                M_("%(path)s: cannot write the file: %(reason)s"), path=output, reason=reason(exc)
            )
        )
