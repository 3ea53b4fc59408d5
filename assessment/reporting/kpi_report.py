"""The report's list of register indicators that need attention: off target, or no figure for the
last complete period (guideline 2.3.9: measured results as evidence). Fixed texts in the report's
language are here, beside the section they belong to."""

from __future__ import annotations

from dataclasses import dataclass

from ..domain.i18n import M_, LabelTable
from .labels import fmt_value

LABELS = LabelTable(
    {
        "heading": M_("Indicators off target or without recent figures"),
        "intro": M_(
            "Indicators of the KPI register whose last complete period is off target or has "
            "no figure."
        ),
        "indicator": M_("Indicator"),
        "period": M_("Period"),
        "value": M_("Figure"),
        "target": M_("Target"),
        "status": M_("Status"),
        "red": M_("Off target"),
        "none": M_("No figure"),
    }
)


@dataclass(frozen=True)
class KpiLine:
    """One indicator of the list, as the report prints it."""

    name: str
    period: str
    value: str
    target: str
    status: str  # red or none
    status_label: str


def kpi_lines(rows, lang: str) -> list[KpiLine]:
    """The indicators needing attention (services.register.attention's rows), in the report's
    language."""
    t = LABELS[lang]
    out = []
    for row in rows:
        unit = f" {row.indicator.unit}" if row.indicator.unit else ""
        out.append(
            KpiLine(
                row.indicator.name,
                row.period,
                fmt_value(row.value, lang) + unit if row.value is not None else "–",
                ("≥ " if row.indicator.direction == "higher" else "≤ ")
                + fmt_value(row.indicator.target, lang)
                + unit,
                row.status,
                t[row.status],
            )
        )
    return out


def table_rows(report) -> tuple[list[str], list[list[str]]]:
    """Headers and rows for the PDF and DOCX tables."""
    t = LABELS[report.lang]
    return (
        [t["indicator"], t["period"], t["value"], t["target"], t["status"]],
        [[k.name, k.period, k.value, k.target, k.status_label] for k in report.kpi],
    )
