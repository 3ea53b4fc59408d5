"""Message ids that only reach `_()` at run time, listed here so that extraction finds them.

Templates translate stored values with a variable argument: `_(a.state)`, `_(u.role)`,
`_(origin)`. `pybabel extract` cannot see what a variable holds, so without this list these
words would be missing from the catalogues and shown untranslated. Nothing imports the names
below for their values; keep the list in step with the models (states, roles, bank origins).
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l

# Named ngettext so that `pybabel extract` (default keywords) sees the plural messages.
from flask_babel import lazy_ngettext as ngettext

# Assessment states (models.Assessment.state).
STATES = (_l("draft"), _l("in_progress"), _l("completed"), _l("archived"))
# ... as shown (web.helpers.state_label): never the raw code.
STATE_WORDS = (_l("in progress"),)

# User roles (models.User.role).
ROLES = (_l("admin"), _l("consultant"), _l("member"), _l("viewer"))

# Where a question bank came from (admin's bank list).
BANK_ORIGINS = (_l("bundled"), _l("uploaded"))

# States of a version of the customer service standard (models.StandardVersion.state); "draft"
# is above.
STANDARD_STATES = (_l("approved"), _l("superseded"))

# WTForms' own messages (wtforms/locale/wtforms.pot): WTForms has no Latvian catalogue, so forms
# look them up in ours (forms.AppTranslations).
WTFORMS = (
    _l("Confirm"),  # the label WTForms makes of forms.ConfirmForm's field name
    _l("Invalid field name '%s'."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("Date must be at least %(min)s."),
    _l("Date must be at most %(max)s."),
    _l("Date must be between %(min)s and %(max)s."),
    _l("This field is required."),
    _l("Invalid input."),
    _l("Invalid email address."),
    _l("Invalid URL."),
    _l("Invalid value, must be one of: %(values)s."),
    _l("Invalid value, can't be any of: %(values)s."),
    _l("This field cannot be edited."),
    _l("This field is disabled and cannot have a value."),
    _l("Invalid CSRF Token."),
    _l("CSRF token missing."),
    _l("CSRF failed."),
    _l("CSRF token expired."),
    _l("Invalid Choice: could not coerce."),
    _l("Choices cannot be None."),
    _l("Not a valid choice."),
    _l("Invalid choice(s): one or more data inputs could not be coerced."),
    _l("Not a valid datetime value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid week value."),
    _l("Not a valid integer value."),
    _l("Not a valid decimal value."),
    _l("Not a valid float value."),
)
WTFORMS_PLURAL = (
    ngettext(
        "Field must be at least %(min)d character long.",
        "Field must be at least %(min)d characters long.",
        1,
    ),
    ngettext(
        "Field cannot be longer than %(max)d character.",
        "Field cannot be longer than %(max)d characters.",
        1,
    ),
    ngettext(
        "Field must be exactly %(max)d character long.",
        "Field must be exactly %(max)d characters long.",
        1,
    ),
    ngettext(
        "'%(value)s' is not a valid choice for this field.",
        "'%(value)s' are not valid choices for this field.",
        1,
    ),
)
