"""The demo organisation and a demo admin: last year's finished assessment on bank 1.0.0, this
year's finished one and next year's half-done one on 2.0.0 (the compare view shows the trend
across the two versions through the bank's mapping)."""

from __future__ import annotations

import datetime as dt
import random
import secrets
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from .domain.qtypes.indicator import level_of
from .extensions import db
from .models import ActionItem, AnswerRecord, Assessment, Organisation, User, utcnow
from .services.banks import get_bank
from .services.organisations import create_organisation
from .services.passwords import password_problem
from .services.users import create_user

DEMO_EMAIL = "demo@example.lv"
ACTION_QUESTION = "procedures.complaints-handling"  # a 2.0.0 question id
DEMO_ORGANISATION = "Demo aģentūra „Valsts pakalpojumi”"
BANK = ("lv-customer-service-2013", "2.0.0")
PREVIOUS_BANK = ("lv-customer-service-2013", "1.0.0")

COMMENTS = [
    "Apstiprināts ar direktora rīkojumu; filiālēs ieviešana vēl turpinās.",
    "Dati tiek vākti rindu vadības sistēmā, pārskats vadībai reizi ceturksnī.",
    "Praksē atkarīgs no filiāles vadītāja; vienotas kārtības nav.",
    "Aptauja veikta 2025. gadā, nākamā plānota 2027. gadā.",
    "",
    "",
]


def _indicator_value(question, level: int) -> float:
    """A plausible figure inside the band of `level` (t1…t4: the values reaching levels 1–4)."""
    t = question.details.thresholds
    if level == 0:
        value = t[0] - (t[1] - t[0]) / 2
    elif level == 4:
        value = t[3] + (t[3] - t[2]) / 4  # 99 % → 100 %, not beyond
    else:
        value = (t[level - 1] + t[level]) / 2
    return round(value, 1)


def _answers(bank, rng: random.Random, share: float, shift: int) -> list[AnswerRecord]:
    rows = []
    for q in bank.questions:
        if rng.random() > share:
            continue
        roll = rng.random()
        row = AnswerRecord(question_id=q.id, comment=rng.choice(COMMENTS), evidence=[])
        if roll < 0.05:
            row.not_applicable = True
        elif roll < 0.1:
            row.dont_know = True
        else:
            row.level = max(0, min(4, rng.choice([1, 2, 2, 3, 3, 4]) + shift))
            if q.type == "indicator":  # a measured figure; its level follows from the value
                row.value = _indicator_value(q, row.level)
                row.period = "2026"
                row.level = level_of(q.details, row.value)
            if row.level >= 3 and rng.random() < 0.8:
                row.evidence = [
                    {
                        "title": "Iekšējie noteikumi Nr. 12 „Klientu apkalpošanas standarts”",
                        "url": "https://example.lv/standarts",
                        "date": "2026-02-14",
                    }
                ]
        rows.append(row)
    return rows


def create_demo() -> str | None:
    """Add the demo data unless it exists; return the new admin's password (or None)."""
    if db.session.scalar(select(User.id).where(User.email == DEMO_EMAIL)) is not None:
        return None
    bank = get_bank(*BANK)
    previous_bank = get_bank(*PREVIOUS_BANK)
    password = secrets.token_urlsafe(12)
    while password_problem(password, DEMO_EMAIL):  # random, but the policy holds for it too
        password = secrets.token_urlsafe(12)
    create_user(DEMO_EMAIL, password, "admin", name="Demo administrators")
    org = db.session.scalar(select(Organisation).where(Organisation.name == DEMO_ORGANISATION))
    if org is None:
        org = create_organisation(
            DEMO_ORGANISATION,
            "Valsts tiešās pārvaldes iestāde",
            12,
            ["Privātpersonas", "Uzņēmēji", "Pašvaldības", "Klienti ar īpašām vajadzībām"],
        )
    rng = random.Random(2026)
    now = utcnow()
    finished = Assessment(
        organisation_id=org.id,
        bank_id=bank.id,
        bank_version=bank.version,
        title="Pašnovērtējums 2026",
        language="lv",
        state="completed",
        targets={d.id: d.target for d in bank.dimensions},
        created_at=now - dt.timedelta(days=30),
        completed_at=now - dt.timedelta(days=2),
    )
    half = Assessment(
        organisation_id=org.id,
        bank_id=bank.id,
        bank_version=bank.version,
        title="Pašnovērtējums 2027 (melnraksts)",
        language="lv",
        state="in_progress",
        targets={d.id: d.target for d in bank.dimensions},
        last_dimension="segmentation",
    )
    earlier = Assessment(
        organisation_id=org.id,
        bank_id=previous_bank.id,
        bank_version=previous_bank.version,
        title="Pašnovērtējums 2025",
        language="lv",
        state="completed",
        targets={d.id: d.target for d in previous_bank.dimensions},
        created_at=now - dt.timedelta(days=395),
        completed_at=now - dt.timedelta(days=370),
    )
    db.session.add_all([earlier, finished, half])
    db.session.flush()
    for row in _answers(previous_bank, rng, 1.0, -1):
        row.assessment_id = earlier.id
        db.session.add(row)
    for row in _answers(bank, rng, 1.0, 0):
        row.assessment_id = finished.id
        db.session.add(row)
    first_half = {q.id for d in bank.dimensions[:3] for q in d.questions}
    for row in _answers(bank, rng, 1.0, 1):
        if row.question_id in first_half:
            row.assessment_id = half.id
            db.session.add(row)
    db.session.add(
        ActionItem(
            assessment_id=finished.id,
            question_id=ACTION_QUESTION,
            owner="Klientu apkalpošanas departamenta direktore",
            due=dt.date(2027, 3, 31),
            status="in_progress",
        )
    )
    db.session.flush()
    path = Path(current_app.instance_path) / "demo-login.txt"
    path.write_text(f"{DEMO_EMAIL}\n{password}\n", "utf-8")
    path.chmod(0o600)
    return password
