"""The scoring contract (PRODUCT.md §4) checked against an independent oracle, for EVERY bundled
bank (1.0.0, 2.0.0, …): random answers files are scored by `assessment score --format json` and
compared, to the second decimal, with a straightforward re-computation from the bank file.
An indicator question (2.0.0: the 2.2.7 KPIs) is answered with a `value` — often exactly on a
threshold — and the oracle derives its level from the thresholds as docs/scoring.md says."""

from __future__ import annotations

import json
import random
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

import pytest
from click.testing import CliRunner

from assessment.cli import main
from assessment.domain.bank import bundled_registry

BANKS = [pytest.param(b, id=f"{b.id}-{b.version}") for b in bundled_registry()]
SEEDS = range(6)


def r2(value, places=2):
    if value is None:
        return None
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return float(exact.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def random_value(q, rng):
    """A figure on a threshold, just beside one, or beyond the outermost ones."""
    t = list(q.details.thresholds)
    step = abs(t[1] - t[0])
    pick = rng.choice(t)
    return rng.choice([pick, pick + step / 10, pick - step / 10, min(t) - step, max(t) + step])


def indicator_level(q, value):
    """§4: the number of thresholds reached (≥ for higher, ≤ for lower is better)."""
    if q.details.direction == "higher":
        return len([t for t in q.details.thresholds if value >= t])
    return len([t for t in q.details.thresholds if value <= t])


def random_file(bank, seed):
    rng = random.Random(seed)
    answers = []
    share = rng.choice([0.3, 0.8, 1.0])
    for q in bank.questions:
        if rng.random() > share:
            continue
        roll = rng.random()
        if roll < 0.08:
            answers.append({"question": q.id, "not_applicable": True})
        elif roll < 0.16:
            answers.append({"question": q.id, "dont_know": True})
        else:
            if q.type == "indicator":
                item = {"question": q.id, "value": random_value(q, rng), "period": "2026"}
            else:
                item = {"question": q.id, "level": rng.randint(0, 4)}
            if rng.random() < 0.5:
                item["evidence"] = [{"title": "Pārskats 2026"}]
            answers.append(item)
    targets = {d.id: rng.randint(1, 4) for d in bank.dimensions if rng.random() < 0.4}
    return {
        "format": "assessment-answers/1",
        "bank": {"id": bank.id, "version": bank.version},
        "organisation": "Iestāde",
        "title": "Oracle",
        "language": "en",
        "targets": targets,
        "answers": answers,
    }


def oracle(bank, doc):
    """§4 as written, from scratch."""
    given = {a["question"]: a for a in doc["answers"]}
    dims, recs, evidence, unanswered = [], [], [], []
    for d in bank.dimensions:
        target = doc["targets"].get(d.id, d.target)
        wsum = claimed = backed = Fraction(0)
        for q in d.questions:
            a = given.get(q.id)
            if a is None:
                unanswered.append(q.id)
                continue
            if a.get("not_applicable"):
                continue
            if a.get("dont_know"):
                level = 0
            elif q.type == "indicator":
                assert "level" not in a
                level = indicator_level(q, a["value"])
            else:
                level = a["level"]
            eb = 2 if level >= 3 and not a.get("evidence") else level
            wsum += q.weight
            claimed += q.weight * level
            backed += q.weight * eb
            if eb < target:
                recs.append(((target - eb) * q.weight * d.weight, q.position, q.id, eb))
            if eb != level:
                evidence.append(q.id)
        m = claimed / wsum if wsum else None
        e = backed / wsum if wsum else None
        dims.append(
            {
                "id": d.id,
                "maturity": m,
                "evidence_backed": e,
                "target": target,
                "gap": None if e is None else max(Fraction(0), target - e),
                "weight": d.weight,
            }
        )
    scored = [x for x in dims if x["maturity"] is not None]
    total = sum((x["weight"] for x in scored), Fraction(0))
    overall = (
        sum((x["weight"] * x["maturity"] for x in scored), Fraction(0)) / total if scored else None
    )
    overall_e = (
        sum((x["weight"] * x["evidence_backed"] for x in scored), Fraction(0)) / total
        if scored
        else None
    )
    recs.sort(key=lambda r: (-r[0], r[1]))
    return dims, overall, overall_e, recs, evidence, unanswered


@pytest.mark.parametrize("bank", BANKS)
@pytest.mark.parametrize("seed", SEEDS)
def test_score_matches_the_oracle(bank, seed, tmp_path):
    doc = random_file(bank, seed)
    path = tmp_path / "answers.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), "utf-8")
    result = CliRunner().invoke(main, ["score", str(path), "--format", "json"])
    assert result.exit_code == 0, result.output
    out = json.loads(result.output)
    dims, overall, overall_e, recs, evidence, unanswered = oracle(bank, doc)
    assert out["bank"] == {"id": bank.id, "version": bank.version}
    assert out["unanswered"] == unanswered and out["complete"] == (not unanswered)
    for got, want in zip(out["dimensions"], dims, strict=True):
        assert got["id"] == want["id"]
        assert got["maturity"] == r2(want["maturity"])
        assert got["evidence_backed"] == r2(want["evidence_backed"])
        assert got["target"] == want["target"]
        assert got["gap"] == r2(want["gap"])
    assert out["overall"]["maturity"] == r2(overall)
    assert out["overall"]["evidence_backed"] == r2(overall_e)
    assert out["overall"]["index"] == (None if overall is None else r2(overall / 4 * 100, 1))
    steps = [r for r in out["recommendations"] if r["kind"] == "next_step"]
    assert [(r["question"], r["level"], r["priority"]) for r in steps] == [
        (qid, eb, r2(priority)) for priority, _pos, qid, eb in recs
    ]
    for r in steps:
        q = bank.question(r["question"])
        assert r["text"] == q.recommendations[r["level"]].en
        assert r["source"] == q.source
    assert sorted(
        r["question"] for r in out["recommendations"] if r["kind"] == "evidence"
    ) == sorted(evidence)


def test_every_bundled_bank_is_checked():
    assert {p.values[0].key for p in BANKS} == {b.key for b in bundled_registry()}


def test_indicator_questions_are_answered_with_values():
    """Bank 2.0.0's 2.2.7 indicators get values in the oracle's files, never levels."""
    bank = bundled_registry().get("lv-customer-service-2013", "2.0.0")
    indicators = {q.id for q in bank.questions if q.type == "indicator"}
    assert len(indicators) == 5
    given = [
        a
        for s in SEEDS
        for a in random_file(bank, s)["answers"]
        if a["question"] in indicators and "value" in a
    ]
    assert given and all("level" not in a for a in given)
