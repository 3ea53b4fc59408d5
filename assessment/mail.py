"""Invitations by e-mail (Flask-Mailman over SMTP), only when MAIL_SERVER is configured."""

from __future__ import annotations

import smtplib
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_mailman import EmailMessage, Mail

mail = Mail()


def configured() -> bool:
    """Whether invitations can be e-mailed (MAIL_SERVER set)."""
    return bool(current_app.config.get("MAIL_SERVER"))


@dataclass
class Invitation:
    """One e-mail: who, where to, the private link."""

    name: str
    email: str
    link: str


def invitation_message(
    item: Invitation,
    assessment_title: str,
    organisation: str,
    inviter: str,
    expires: str,
    lang: str,
) -> EmailMessage:
    """The invitation in `lang` (a language of the catalogues)."""
    with force_locale(lang):
        subject = _("Invitation to answer: %(title)s", title=assessment_title)
        body = (
            "\n\n".join(
                [
                    _("Hello, %(name)s,", name=item.name),
                    _(
                        "%(inviter)s invites you to answer the readiness self-assessment "
                        "\u201c%(title)s\u201d of %(organisation)s against the customer service "
                        "standard.",
                        inviter=inviter,
                        title=assessment_title,
                        organisation=organisation,
                    ),
                    _("Your private link (no account or password needed):"),
                    item.link,
                    _(
                        "The link is valid until %(date)s. Do not pass it on: whoever holds it "
                        "answers in your name.",
                        date=expires,
                    ),
                ]
            )
            + "\n"
        )
    return EmailMessage(subject, body, None, [item.email])


def send_invitations(
    items: list[Invitation],
    assessment_title: str,
    organisation: str,
    inviter: str,
    expires: str,
    lang: str,
) -> tuple[list[str], list[str]]:
    """Send one message per person over one connection; (names sent, names failed). A server
    that is down or refuses a recipient fails only those messages, never the request."""
    sent: list[str] = []
    failed: list[str] = []
    if not items:
        return sent, failed
    try:
        connection = mail.get_connection()
        connection.open()
    except (OSError, smtplib.SMTPException) as exc:
        current_app.logger.warning("mail server not reachable: %s", exc.__class__.__name__)
        return sent, [item.name for item in items]
    try:
        for item in items:
            try:
                message = invitation_message(
                    item, assessment_title, organisation, inviter, expires, lang
                )
                message.connection = connection
                message.send()
                sent.append(item.name)
            except (OSError, smtplib.SMTPException, ValueError) as exc:
                # ValueError: a header the mail library refuses (a line break in a title).
                current_app.logger.warning("invitation not sent: %s", exc.__class__.__name__)
                failed.append(item.name)
    finally:
        try:
            connection.close()
        except (OSError, smtplib.SMTPException):
            pass
    return sent, failed
