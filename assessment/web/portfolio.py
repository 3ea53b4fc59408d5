"""The consultant's portfolio of organisations, and benchmarking against peers."""

from __future__ import annotations

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..services.access import get_assessment, require_manager
from ..services.errors import NotFound
from ..services.portfolio import (
    BENCHMARK_MINIMUM,
    SORTS,
    benchmark,
    kinds,
    peer_kind,
    portfolio_page,
)
from .assessments import bank_of

bp = Blueprint("portfolio", __name__)


@bp.get("/portfolio")
@login_required
def index():
    """Every organisation the consultant handles: search, filter, sort, pages. Unknown sort or
    filter values fall back silently to the default (all, by name)."""
    from ..models import STATES

    require_manager(current_user)
    search = request.args.get("q", "")
    sort = request.args.get("sort", "name")
    sort = sort if sort in SORTS else "name"
    state = request.args.get("state", "")
    state = state if state in STATES else ""
    kind_options = kinds(current_user)
    kind = request.args.get("kind", "").strip()
    kind = kind if kind in kind_options else ""
    descending = request.args.get("dir") == "desc"
    try:
        page = int(request.args.get("page", "1"))
    except ValueError:
        page = 1
    result = portfolio_page(current_user, search, sort, descending, page, state=state, kind=kind)
    return render_template(
        "portfolio/index.html",
        result=result,
        search=search,
        sort=sort,
        descending=descending,
        heat_columns=(columns := _heat_columns(result.rows)),
        heat_cells=_heat_cells(result.rows, columns),
        figures=_row_figures(result.rows),
        state=state,
        states=STATES,
        kind=kind,
        kinds=kind_options,
    )


def bench_x(value) -> float:
    """The x of a maturity (0–4) on the benchmark chart's 400-wide scale (20 to 380)."""
    return round(20 + 360 * min(max(float(value), 0.0), 4.0) / 4, 1)


def _heat_columns(rows) -> list[tuple[str, str]]:
    """(dimension id, title) of the heat map's columns: the dimensions of the banks shown, in
    bank order (banks are parsed once per process, no query)."""
    from ..services.banks import get_bank
    from .helpers import current_lang

    lang = current_lang()
    columns: dict[str, str] = {}
    for row in rows:
        if row.latest is None:
            continue
        bank = get_bank(row.latest.bank_id, row.latest.bank_version)
        for dimension in bank.dimensions if bank else ():
            columns.setdefault(dimension.id, dimension.title.get(lang))
    return list(columns.items())


def _row_figures(rows) -> dict[int, tuple[str, str, str]]:
    """Organisation id → its line's figures as shown (evidence-backed maturity, largest gap,
    signed change; "–" where there is none), formatted in one pass like the heat map."""
    from .helpers import number_format

    fmt = number_format()
    figures = {}
    for row in rows:
        change = row.change
        figures[row.organisation.id] = (
            fmt(row.evidence_backed),
            fmt(row.largest_gap),
            "–" if change is None else ("+" if change > 0 else "") + fmt(change),
        )
    return figures


def _heat_cells(rows, columns) -> dict[int, list[tuple[str, str]]]:
    """Organisation id → its heat map cells (the colour class, the figure), formatted here in
    one pass rather than figure by figure in the template."""
    from .helpers import number_format

    fmt = number_format()
    cells = {}
    for row in rows:
        if row.latest is None:
            continue
        values = [row.dimensions.get(dimension_id) for dimension_id, _title in columns]
        cells[row.organisation.id] = [
            ("none" if v is None else str(int(v)), fmt(v)) for v in values
        ]
    return cells


@bp.get("/assessments/<int:assessment_id>/benchmark")
@login_required
def benchmark_view(assessment_id: int):
    """This organisation against the anonymised distribution (≥ 5 organisations)."""
    assessment = get_assessment(current_user, assessment_id)
    bank = bank_of(assessment)
    kind = peer_kind(assessment, bank, current_user)  # the same kind when there are enough
    count, rows = benchmark(assessment, bank, current_user, kind)
    return render_template(
        "portfolio/benchmark.html",
        assessment=assessment,
        bank=bank,
        bench_x=bench_x,
        kind=kind,
        count=count,
        rows=rows,
        minimum=BENCHMARK_MINIMUM,
    )


@bp.get("/assessments/<int:assessment_id>/compare")
@login_required
def compare(assessment_id: int):
    """Two assessments of one organisation side by side: what rose and what fell."""
    from ..services.portfolio import comparable_assessments, comparison
    from ..services.results import with_answers

    assessment = get_assessment(current_user, assessment_id)
    others = comparable_assessments(assessment)
    try:
        other_id = int(request.args.get("with", ""))
    except ValueError:
        other_id = others[0].id if others else None
    other = next((o for o in others if o.id == other_id), None)
    if other_id is not None and other is None and request.args.get("with"):
        raise NotFound()
    bank = bank_of(assessment)
    result = None
    if other is not None:
        older, newer = sorted((other, assessment), key=lambda a: (a.created_at, a.id))
        older_bank, newer_bank = bank_of(older), bank_of(newer)
        before, after = with_answers(older, older_bank), with_answers(newer, newer_bank)
        if before is None or after is None:
            raise NotFound()
        result = comparison(before, after, newer_bank, older_bank)
        result.update(older=older, newer=newer, newer_bank=newer_bank)
    return render_template(
        "portfolio/compare.html",
        assessment=assessment,
        bank=bank,
        others=others,
        other=other,
        result=result,
        bank_new=result["newer_bank"] if result else bank,
    )
