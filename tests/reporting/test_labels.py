"""Fixed report strings in both languages, and number and date formats."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from assessment.reporting.labels import LABELS, fmt_date, fmt_num, fmt_pct, fmt_signed, labels


def test_both_languages_have_the_same_strings():
    assert set(LABELS["lv"]) == set(LABELS["en"])
    assert all(LABELS["lv"][k].strip() and LABELS["en"][k].strip() for k in LABELS["en"])


def test_glossary_terms_in_latvian():
    lv = labels("lv")
    assert lv["action_plan_heading"] == "Rīcības plāns"
    assert (lv["col_owner"], lv["col_due"], lv["col_status"]) == (
        "Atbildīgais",
        "Termiņš",
        "Statuss",
    )
    assert (lv["prepared_by"], lv["approved_by"]) == ("Sagatavoja", "Apstiprināja")
    assert "atšķirība līdz mērķim" in lv["gaps_heading"].lower()
    assert "pierādījum" in lv["evidence_backed"]
    assert labels("xx") is LABELS["en"]


def test_numbers_use_a_decimal_comma_in_latvian_and_round_half_up():
    assert fmt_num(Fraction(47, 20), "lv") == "2,35"
    assert fmt_num(Fraction(47, 20), "en") == "2.35"
    assert fmt_num(Fraction(2345, 1000), "en") == "2.35"  # half-up, not half-even
    assert fmt_num(2.675, "en") == "2.68"  # a float is read as written
    assert fmt_num(None, "lv") == "–"
    assert fmt_num(Fraction(-1, 2), "lv") == "−0,50"
    assert fmt_num(3, "en", 1) == "3.0"


def test_signed_and_percent():
    assert fmt_signed(Fraction(1, 4), "lv") == "+0,25"
    assert fmt_signed(Fraction(-1, 2), "en") == "−0.50"
    assert fmt_signed(0, "en") == "0.00"
    assert fmt_pct(Fraction(1175, 20), "lv") == "58,8\u00a0%"
    assert fmt_pct(Fraction(1175, 20), "en") == "58.8%"


def test_dates():
    day = dt.date(2026, 11, 26)
    assert fmt_date(day, "lv") == "26.11.2026."
    assert fmt_date(day, "en") == "26 November 2026"
    assert fmt_date(dt.date(2027, 3, 1), "lv") == "01.03.2027."
    assert fmt_date(None, "en") == ""


def test_low_confidence_note_uses_latvian_plural_forms():
    from assessment.domain.i18n import plural_text

    def note(lang, n, total=30):
        return plural_text(
            lang,
            "%(n)s of %(total)s answer given with low confidence",
            "%(n)s of %(total)s answers given with low confidence",
            n,
            total=total,
        )

    assert note("lv", 1) == "1 no 30 atbildēm sniegta ar zemu pārliecību"
    assert note("lv", 21) == "21 no 30 atbildēm sniegta ar zemu pārliecību"
    assert note("lv", 3) == "3 no 30 atbildēm sniegtas ar zemu pārliecību"
    assert note("lv", 11) == "11 no 30 atbildēm sniegtas ar zemu pārliecību"
    assert note("en", 3, 7) == "3 of 7 answers given with low confidence"
