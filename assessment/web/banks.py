"""Question banks for every logged-in user: the blank questionnaire of a bank version as a PDF."""

from __future__ import annotations

from flask import Blueprint, Response, request
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..domain.i18n import languages
from ..services.access import can_see_organisation
from ..services.banks import bank_owner, get_bank
from .error_pages import error_page
from .helpers import current_lang, languages_offered

bp = Blueprint("banks", __name__, url_prefix="/banks")

#: Longest bank id or version looked up (longer ones name no bank).
MAX_SEGMENT = 200


@bp.get("/<bank_id>/<version>/questionnaire.pdf")
@login_required
def questionnaire(bank_id: str, version: str):
    """The blank printable questionnaire of an installed bank version, in ?lang= (a language of
    the catalogues; default: the UI language). A bank given to one organisation only is shown to
    those who may see that organisation; to everyone else it does not exist."""
    from ..reporting.questionnaire import questionnaire_pdf

    lang = request.args.get("lang", current_lang())
    if lang not in languages():
        return error_page(
            400,
            _("Request refused"),
            _(
                "Unknown language \u201c%(lang)s\u201d: choose %(languages)s.",
                lang=lang[:20],
                languages=languages_offered(),
            ),
        )
    not_found = error_page(
        404,
        _("Page not found"),
        _(
            "No question bank %(id)s version %(version)s is installed.",
            id=bank_id[:MAX_SEGMENT],
            version=version[:MAX_SEGMENT],
        ),
    )
    if len(bank_id) > MAX_SEGMENT or len(version) > MAX_SEGMENT:
        return not_found
    installed, owner = bank_owner(bank_id, version)
    if not installed or (owner is not None and not can_see_organisation(current_user, owner)):
        return not_found
    bank = get_bank(bank_id, version)
    data = questionnaire_pdf(bank, lang)
    filename = f"questionnaire-{bank.id}-{bank.version}-{lang}.pdf"
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )
