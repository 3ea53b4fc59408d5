"""Flask-WTF forms: CSRF on every form, validation with messages in the user's language."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    IntegerField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms import validators as v
from wtforms.validators import EqualTo, Optional

from .domain.i18n import language_choices

# WTForms has no Latvian catalogue: every validator carries its own translatable message, and
# WTForms' built-in messages (a date or number that is not one, a choice not offered) are looked
# up in the app's own catalogues (web/msgids.py lists them for extraction).
REQUIRED = _l("This field is required.")


class AppTranslations:
    """WTForms' messages through the app's catalogue of the request's language."""

    def gettext(self, string: str) -> str:
        from flask_babel import get_translations

        return get_translations().ugettext(string)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        from flask_babel import get_translations

        return get_translations().ungettext(singular, plural, n)


APP_TRANSLATIONS = AppTranslations()


class Form(FlaskForm):
    """Every form of the app: Flask-WTF (CSRF) with WTForms' messages in the user's language."""

    class Meta:
        def get_translations(self, form):
            return APP_TRANSLATIONS


def DataRequired():  # noqa: N802 - reads like the WTForms validator it wraps
    """Required, with a message in the user's language."""
    return v.DataRequired(message=REQUIRED)


def Email():  # noqa: N802
    """An email address, with a message in the user's language."""
    return v.Email(message=_l("Enter a valid email address."))


def Length(min=-1, max=-1):  # noqa: N802, A002
    """Length limits, with a message in the user's language."""
    if min > 0:
        return v.Length(
            min=min,
            max=max,
            message=_l("Must be from %(min)d to %(max)d characters long.", min=min, max=max),
        )
    return v.Length(max=max, message=_l("At most %(max)d characters.", max=max))


def NumberRange(min=None, max=None):  # noqa: N802, A002
    """A number within limits, with a message in the user's language."""
    return v.NumberRange(
        min=min, max=max, message=_l("Must be a number from %(min)d to %(max)d.", min=min, max=max)
    )


PASSWORD_PROBLEMS = {
    "short": _l("At least 12 characters."),
    "long": _l("At most 200 characters."),
    "common": _l("This is one of the most common passwords. Choose another."),
    "email": _l("The password must not contain the name part of the email address."),
}


class StrongPassword:
    """The password policy (services.passwords), with messages in the user's language.
    `email_of(form)` gives the account's email address."""

    def __init__(self, email_of) -> None:
        self.email_of = email_of

    def __call__(self, form, field) -> None:
        from .services.passwords import password_problem

        problem = password_problem(field.data or "", self.email_of(form))
        if problem:
            raise v.ValidationError(PASSWORD_PROBLEMS[problem])


def _own_email(form) -> str:
    from flask_login import current_user

    return getattr(current_user, "email", "") or ""


class CSRFOnlyForm(Form):
    """A form whose fields are read by hand (the questionnaire); carries the CSRF token."""


class LoginForm(Form):
    """Email and password."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(Form):
    """Change one's password."""

    current = PasswordField(_l("Current password"), validators=[DataRequired(), Length(max=200)])
    new = PasswordField(_l("New password"), validators=[DataRequired(), StrongPassword(_own_email)])
    repeat = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new", _l("Passwords differ."))],
    )


class OrganisationForm(Form):
    """An organisation's details."""

    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=300)])
    kind = StringField(_l("Type of institution"), validators=[Optional(), Length(max=200)])
    branches = IntegerField(
        _l("Number of branches"), default=0, validators=[Optional(), NumberRange(min=0, max=100000)]
    )
    segments = TextAreaField(
        _l("Client segments (one a line)"), validators=[Optional(), Length(max=10000)]
    )


class AssignForm(Form):
    """Assign a user (consultant or member) to an organisation."""

    user = SelectField(_l("User"), coerce=int, validators=[DataRequired()])


class MonthsField(IntegerField):
    """A whole number of months, refused in the user's language when it is not one."""

    def process_formdata(self, valuelist):
        if valuelist and valuelist[0].strip():
            try:
                self.data = int(valuelist[0].strip())
            except ValueError:
                self.data = None
                raise ValueError(str(_l("A whole number from 1 to 120."))) from None


class AssessmentForm(Form):
    """A new assessment: title, language, bank; targets are added per dimension by the view."""

    title = StringField(_l("Title"), validators=[DataRequired(), Length(max=300)])
    language = SelectField(_l("Language of the assessment"), choices=language_choices())
    bank = SelectField(_l("Question bank"), validators=[DataRequired()])
    evidence_max_age_months = MonthsField(
        _l("Evidence age limit (months)"),
        default=36,
        validators=[
            v.InputRequired(message=REQUIRED),
            v.NumberRange(1, 120, message=_l("A whole number from 1 to 120.")),
        ],
    )


class SettingsForm(Form):
    """An assessment's settings that may change while it is answered."""

    evidence_max_age_months = MonthsField(
        _l("Evidence age limit (months)"),
        validators=[
            v.InputRequired(message=REQUIRED),
            v.NumberRange(1, 120, message=_l("A whole number from 1 to 120.")),
        ],
    )


class ImportForm(Form):
    """Upload an answers file."""

    file = FileField(_l("Answers file (JSON)"), validators=[FileRequired()])
    complete = BooleanField(_l("Mark the imported assessment as completed"))


class BankUploadForm(Form):
    """Upload a bank YAML."""

    file = FileField(_l("Question bank (YAML)"), validators=[FileRequired()])
    organisation = SelectField(
        _l("Only for this organisation"), coerce=int, validators=[Optional()]
    )


class UserForm(Form):
    """An admin creates a user."""

    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Full name"), validators=[Optional(), Length(max=200)])
    role = SelectField(
        _l("Role"),
        choices=[
            ("member", _l("member")),
            ("viewer", _l("viewer")),
            ("consultant", _l("consultant")),
            ("admin", _l("admin")),
        ],
    )
    organisation = SelectField(_l("Organisation"), coerce=int, validators=[Optional()])
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(), StrongPassword(lambda form: form.email.data or "")],
    )


class ActionForm(Form):
    """Owner, due date and status of one action."""

    owner = StringField(_l("Owner"), validators=[Optional(), Length(max=200)])
    due = DateField(_l("Due date"), validators=[Optional()])
    status = SelectField(
        _l("Status"),
        choices=[("open", _l("open")), ("in_progress", _l("in progress")), ("done", _l("done"))],
    )


class ConfirmForm(Form):
    """A button that changes state (complete, reopen, archive, logout)."""

    confirm = BooleanField(default=True)


class LocalDateField(DateField):
    """A date (YYYY-MM-DD, as <input type=date> sends it), refused in the user's language."""

    def process_formdata(self, valuelist):
        try:
            super().process_formdata(valuelist)
        except ValueError as exc:
            raise ValueError(_l("Enter a date as YYYY-MM-DD.")) from exc


class NewStandardForm(Form):
    """Draft the organisation's customer service standard, in one language."""

    language = SelectField(_l("Language of the standard"), choices=language_choices())


class ApproveStandardForm(Form):
    """Leadership's approval of a version of the standard."""

    approved_by = StringField(
        _l("Approved by (name and position)"), validators=[DataRequired(), Length(max=200)]
    )
    decision_number = StringField(
        _l("Order or decision number"), validators=[DataRequired(), Length(max=100)]
    )
    # InputRequired, not DataRequired: that would replace the "not a date" message.
    approved_on = LocalDateField(
        _l("Date of approval"), validators=[v.InputRequired(message=REQUIRED)]
    )


class TokenForm(FlaskForm):
    """A new personal API token: a name to recognise it by, and what it may do."""

    name = StringField(_l("Name (what the token is for)"), validators=[Optional(), Length(max=100)])
    scope = SelectField(
        _l("The token may"),
        choices=[("write", _l("read and write")), ("read", _l("read only"))],
        default="write",
    )
