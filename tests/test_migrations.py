"""The Alembic migrations: one head, and each schema change goes down and up again with its data
(SQLite batch mode; the PostgreSQL suite migrates its database from empty to head)."""

from __future__ import annotations

from pathlib import Path

import pytest
from alembic.config import Config
from alembic.script import ScriptDirectory
from flask_migrate import downgrade, upgrade
from sqlalchemy import inspect, text

from assessment import create_app
from assessment.extensions import db

ROOT = Path(__file__).resolve().parent.parent


class Schema:
    """A fresh SQLite database at head, to move down and up and look at."""

    def __init__(self, directory: str):
        self.directory = directory

    def up(self) -> None:
        upgrade(directory=self.directory)

    def down(self, revision: str) -> None:
        downgrade(directory=self.directory, revision=revision)

    def tables(self) -> set[str]:
        return set(inspect(db.engine).get_table_names())

    def columns(self, table: str) -> set[str]:
        return {c["name"] for c in inspect(db.engine).get_columns(table)}


@pytest.fixture
def schema(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'm.db'}",
        }
    )
    with app.app_context():
        migrated = Schema(app.extensions["migrate"].directory)
        migrated.up()
        yield migrated
        db.engine.dispose()


def test_migrations_have_a_single_head():
    config = Config()
    config.set_main_option("script_location", str(ROOT / "migrations"))
    assert len(ScriptDirectory.from_config(config).get_heads()) == 1


def test_migration_0004_goes_down_and_up_again(schema):
    """The indicator and freshness columns come and go, data kept."""
    assert {"value", "period"} <= schema.columns("answers")
    assert {"value", "period"} <= schema.columns("respondent_answers")
    assert "evidence_max_age_months" in schema.columns("assessments")
    schema.down("0002")
    assert "value" not in schema.columns("answers")
    assert "evidence_max_age_months" not in schema.columns("assessments")
    with db.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO organisations (name, kind, branches, segments, "
                "created_at) VALUES ('A', '', 0, '[]', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO assessments (organisation_id, bank_id, bank_version, title, "
                "language, state, targets, anonymous_comments, created_at, updated_at) VALUES "
                "(1, 'b', '1.0.0', 'T', 'lv', 'draft', '{}', 0, '2026-01-01', '2026-01-01')"
            )
        )
    schema.up()
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT evidence_max_age_months FROM assessments")).scalar() == 36


def test_migration_0012_goes_down_and_up_again(schema):
    """History, audit, confidence, flag and erasure come and go."""
    assert {"answer_history", "audit_events"} <= schema.tables()
    both = schema.columns("answers") & schema.columns("respondent_answers")
    assert {"confidence", "flag_note"} <= both
    assert "erased_at" in schema.columns("respondents")
    schema.down("0010")  # before 0012
    assert "answer_history" not in schema.tables()
    assert "confidence" not in schema.columns("answers")
    assert "erased_at" not in schema.columns("respondents")
    schema.up()
    assert "flag_note" in schema.columns("respondent_answers")


def test_migration_0014_adds_and_removes_the_stored_actions(schema):
    """assessment_results.actions (the recommended actions of a stored result) comes and goes."""
    assert "actions" in schema.columns("assessment_results")
    schema.down("0012")
    assert "actions" not in schema.columns("assessment_results")
    schema.up()
    assert "actions" in schema.columns("assessment_results")


def test_migration_0015_adds_and_removes_the_peer_indexes(schema):
    """The benchmark's indexes (assessments by creator, organisations by trimmed kind) come and
    go, and the peer queries use them."""

    def indexes() -> set[str]:  # from sqlite_master: reflection skips expression indexes
        with db.engine.connect() as conn:
            return set(conn.scalars(text("SELECT name FROM sqlite_master WHERE type = 'index'")))

    wanted = {"ix_assessments_created_by_id", "ix_organisations_kind_trim"}
    assert wanted <= indexes()
    with db.engine.connect() as conn:
        plan = " ".join(
            str(r)
            for r in conn.execute(
                text("EXPLAIN QUERY PLAN SELECT id FROM assessments WHERE created_by_id = 1")
            )
        )
        assert "ix_assessments_created_by_id" in plan, plan
        plan = " ".join(
            str(r)
            for r in conn.execute(
                text("EXPLAIN QUERY PLAN SELECT id FROM organisations WHERE trim(kind) = 'x'")
            )
        )
        assert "ix_organisations_kind_trim" in plan, plan
    schema.down("0014")
    assert not wanted & indexes()
    schema.up()
    assert wanted <= indexes()


def test_migration_0016_fills_the_latest_assessments_and_largest_gaps(schema):
    """latest_assessments and assessment_results.largest_gap come and go; going up fills them
    from the assessments and dimension results already there."""
    assert "latest_assessments" in schema.tables()
    assert "largest_gap" in schema.columns("assessment_results")
    schema.down("0015")
    assert "latest_assessments" not in schema.tables()
    assert "largest_gap" not in schema.columns("assessment_results")
    insert_assessment = text(
        "INSERT INTO assessments (id, organisation_id, bank_id, bank_version, title, language,"
        " state, targets, anonymous_comments, evidence_max_age_months, created_at, updated_at)"
        " VALUES (:id, :org, :bank, '1.0.0', 'T', 'lv', :state, '{}', 0, 36, :at, :at)"
    )
    with db.engine.begin() as conn:
        for org in (1, 2, 3):
            conn.execute(
                text(
                    "INSERT INTO organisations (id, name, kind, branches, segments, created_at)"
                    " VALUES (:id, :name, '', 0, '[]', '2026-01-01')"
                ),
                {"id": org, "name": f"Org {org}"},
            )
        for row in (
            (10, 1, "b", "completed", "2024-01-01"),
            (11, 1, "c", "completed", "2025-01-01"),  # another bank: not a previous
            (12, 1, "b", "archived", "2025-06-01"),
            (13, 1, "b", "in_progress", "2026-01-01"),  # the latest
            (20, 2, "b", "draft", "2026-01-01"),
        ):
            conn.execute(
                insert_assessment,
                dict(zip(("id", "org", "bank", "state", "at"), row, strict=True)),
            )
        conn.execute(
            text(
                "INSERT INTO assessment_results (assessment_id, complete, total, answered,"
                " counted, not_applicable, dont_know, unanswered, unsupported, disagreements,"
                " computed_at) VALUES (13, 0, 2, 2, 2, 0, 0, 0, 0, 0, '2026-01-01')"
            )
        )
        for dimension, gap in (("a", 1.5), ("b", None), ("c", 0.25)):
            conn.execute(
                text(
                    "INSERT INTO dimension_results (assessment_id, dimension_id, position,"
                    " target, gap, total, counted, not_applicable, dont_know, unanswered,"
                    " unsupported) VALUES (13, :d, 0, 3, :gap, 1, 1, 0, 0, 0, 0)"
                ),
                {"d": dimension, "gap": gap},
            )
    schema.up()
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT * FROM latest_assessments ORDER BY organisation_id")).all()
        gap = conn.execute(
            text("SELECT largest_gap FROM assessment_results WHERE assessment_id = 13")
        ).scalar()
    assert [tuple(r) for r in rows] == [(1, 13, 12), (2, 20, None), (3, None, None)]
    assert gap == 1.5
