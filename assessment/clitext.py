"""The command line's own words in the language of the environment (docs/i18n.md, "The command
line"): `LANGUAGE`, `LC_ALL`, `LC_MESSAGES`, `LANG`, as command-line tools read them; English
otherwise. `--lang` chooses the language of what a command produces, not of these words.

The help of our commands and options is a `report`-domain msgid (`help=M_("…")`) that these
click classes show translated; click's own words ("Usage:", "Options:") stay click's.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import click
from flask.cli import AppGroup, FlaskGroup

from .domain.i18n import environment_language, gettext


@contextmanager
def help_in_environment_language(command: click.Command) -> Iterator[None]:
    """The command's help and its options' help translated while the help is written."""
    lang = environment_language()
    saved = [(command, command.help)] + [
        (param, param.help) for param in command.params if isinstance(param, click.Option)
    ]
    try:
        for owner, text in saved:
            if text:
                owner.help = gettext(lang, text)
        yield
    finally:
        for owner, text in saved:
            owner.help = text


class TranslatedHelp:
    """Mixin for click commands and groups: `--help` and the command lists in the environment's
    language."""

    def get_help(self, ctx: click.Context) -> str:
        with help_in_environment_language(self):  # type: ignore[arg-type]
            return super().get_help(ctx)  # type: ignore[misc]

    def get_short_help_str(self, limit: int = 45) -> str:
        with help_in_environment_language(self):  # type: ignore[arg-type]
            return super().get_short_help_str(limit)  # type: ignore[misc]


class Command(TranslatedHelp, click.Command):
    """A command whose help is translated."""


class Group(TranslatedHelp, AppGroup):
    """A group of commands (with Flask's app context, like AppGroup) whose help is translated."""

    command_class = Command


class MainGroup(TranslatedHelp, FlaskGroup):
    """The `assessment` group: Flask's, with translated help for our commands."""

    command_class = Command
