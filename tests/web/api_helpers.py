"""Shared set-up of the JSON API tests: an organisation with an assessment, an indicator and
a token per role, and another organisation with the same."""

from __future__ import annotations

from assessment.extensions import db
from assessment.models import User
from assessment.services import register
from assessment.services.tokens import create_token


def token_for(app, user_id: int, scope: str = "write", name: str = "") -> str:
    """A new token of the user (its text)."""
    with app.app_context():
        _row, text = create_token(db.session.get(User, user_id), name, scope)
        db.session.commit()
        return text


def indicator(
    app,
    user_id: int,
    org_id: int,
    name: str = "Klientu apmierinātība",
    period_kind: str = "month",
    target: float = 85.0,
) -> int:
    with app.app_context():
        item = register.create_indicator(
            db.session.get(User, user_id),
            org_id,
            register.IndicatorData(
                name=name, target=target, unit="%", amber=5.0, period_kind=period_kind
            ),
        )
        db.session.commit()
        return item.id


def api_world(app, factory) -> dict:
    """Two organisations, each with an assessment and an indicator; tokens of the first's
    member, its consultant, an admin and the second's member."""
    org = factory.organisation("Valsts ieņēmumu dienests")
    other = factory.organisation("Lauku atbalsta dienests")
    member = factory.user("ilze@example.lv", "member", org)
    consultant = factory.user("janis@example.lv", "consultant", org)
    admin = factory.user("admin@example.lv", "admin")
    stranger = factory.user("anna@example.lv", "member", other)
    return {
        "org_id": org,
        "other_org_id": other,
        "assessment_id": factory.assessment(org),
        "other_assessment_id": factory.assessment(other),
        "indicator_id": indicator(app, member, org),
        "other_indicator_id": indicator(app, stranger, other),
        "member_id": member,
        "consultant_id": consultant,
        "admin_id": admin,
        "stranger_id": stranger,
        "token": token_for(app, member),
        "read_token": token_for(app, member, "read"),
        "consultant_token": token_for(app, consultant),
        "admin_token": token_for(app, admin),
        "stranger_token": token_for(app, stranger),
    }
