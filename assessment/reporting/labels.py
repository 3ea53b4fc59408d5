"""Every fixed string of the maturity report, in Latvian and English, and number/date formats.

The report language is the report's own (`Report.lang`), independent of the UI locale, so the
strings live here rather than in the UI translation catalogue. Terms follow docs/glossary.md.
"""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

from ..domain.scoring import round_half_up

#: How many of the ranked actions go to "Now" and "Next" (the rest are "Later").
NOW_COUNT = 5
NEXT_COUNT = 10

LABELS: dict[str, dict[str, str]] = {
    "lv": {
        # cover and header
        "report_kind": "Klientu apkalpošanas standarta gatavības pārskats",
        "report_title": "Gatavības pārskats",
        "subject": "Klientu apkalpošanas standarta gatavības pašnovērtējums",
        "date": "Datums",
        "bank": "Jautājumu banka",
        "version": "versija",
        "guideline": "Vadlīnijas",
        "prepared_by": "Sagatavoja",
        "approved_by": "Apstiprināja",
        "respondents": "Respondenti",
        "completeness": "Pilnīgums",
        "answered": "Atbildēti",
        "of_questions": "no {total} jautājumiem",
        "not_applicable": "Nav attiecināms",
        "dont_know": "Nezinu",
        "unanswered": "Bez atbildes",
        "disagreements": "Viedokļu atšķirības",
        "disagreements_text": "{total} jautājumos respondentu vērtējumi atšķiras par 2 un vairāk "
        "līmeņiem: {resolved} atrisinātas ar vienošanos, {open} vēl "
        "jāapspriež.",
        # executive summary
        "summary_heading": "Kopsavilkums",
        "overall_maturity": "Kopējais briedums",
        "as_claimed": "pēc sniegtajām atbildēm",
        "evidence_backed": "Ar pierādījumiem pamatots briedums",
        "evidence_backed_hint": "līmeņi ≥ 3 bez pierādījumiem ieskaitīti kā 2",
        "index": "Brieduma indekss",
        "index_hint": "kopējais briedums procentos no 4. līmeņa",
        "level": "Brieduma līmenis",
        "evidence_note_heading": "Pierādījumi",
        # charts
        "radar_heading": "Briedums pa dimensijām",
        "radar_title": "Brieduma diagramma: {organisation}",
        "radar_desc": "Radara diagramma ar {n} asīm, pa vienai katrai dimensijai, skala 0–4. "
        "Ar pierādījumiem pamatotais briedums: {backed}. Mērķa līmenis: {target}.",
        "radar_desc_previous": " Iepriekšējais novērtējums: {previous}.",
        "radar_table_caption": "Diagrammas dati",
        "legend_backed": "Ar pierādījumiem pamatots briedums",
        "legend_target": "Mērķa līmenis",
        "legend_previous": "Iepriekšējais novērtējums",
        "gaps_heading": "Atšķirība līdz mērķim",
        "gaps_title": "Atšķirība līdz mērķim pa dimensijām",
        "gaps_desc": "Joslu diagramma: atšķirība līdz mērķa līmenim (mērķis mīnus ar "
        "pierādījumiem pamatotais briedums), skala 0–4. {values}.",
        "gaps_none": "Visas dimensijas sasniedz mērķa līmeni.",
        # dimension table
        "dimensions_heading": "Dimensijas",
        "dimensions_caption": "Briedums, mērķis un atšķirība līdz mērķim pa dimensijām",
        "col_dimension": "Dimensija",
        "col_maturity": "Briedums",
        "col_backed": "Pierādīts",
        "col_target": "Mērķis",
        "col_gap": "Atšķirība",
        "col_counted": "Ieskaitīti",
        "col_na": "Nav attiec.",
        "col_dk": "Nezinu",
        "col_unsupported": "Bez pierād.",
        "overall": "Kopā",
        "dimensions_note": "Briedums ir jautājumu svērtais vidējais līmenis (0–4); „Pierādīts” — "
        "tas pats, ja līmeņi ≥ 3 bez pierādījumiem ieskaitīti kā 2. "
        "Atšķirība = mērķis − pierādītais briedums. „Nezinu” ieskaitīts kā 0; "
        "„nav attiecināms” un neatbildētie jautājumi netiek ieskaitīti.",
        # action plan
        "action_plan_heading": "Rīcības plāns",
        "action_plan_intro": "Katrs ieteikums ir nākamais solis, lai prakse sasniegtu nākamo "
        "līmeni. Prioritāte = (mērķa līmenis − pašreizējais līmenis) × "
        "jautājuma svars × dimensijas svars; darbības sakārtotas pēc "
        "prioritātes, vienādas prioritātes gadījumā — jautājumu secībā.",
        "groups_rule": "Grupas: „Tagad” — {now} prioritārākās darbības (tās nosauktas "
        "kopsavilkumā); „Nākamie” — nākamās {next}; „Vēlāk” — pārējās.",
        "group_now": "Tagad",
        "group_next": "Nākamie",
        "group_later": "Vēlāk",
        "group_now_hint": "{now} prioritārākās darbības — uzsākt vispirms",
        "group_next_hint": "nākamās {next} darbības",
        "group_later_hint": "pārējās darbības",
        "col_no": "Nr.",
        "col_action": "Darbība",
        "col_owner": "Atbildīgais",
        "col_due": "Termiņš",
        "col_status": "Statuss",
        "current_level": "Pašreiz",
        "target_level": "mērķis",
        "next_step": "Nākamais solis",
        "evidence_examples": "Pierādījumi, kas to apliecinātu",
        "clause": "Vadlīniju punkts",
        "priority": "Prioritāte",
        "status_open": "Nav uzsākts",
        "status_in_progress": "Procesā",
        "status_done": "Izpildīts",
        "no_actions": "Rīcība nav nepieciešama: visas atbildes sasniedz savas dimensijas mērķa "
        "līmeni.",
        # unsupported claims
        "unsupported_heading": "Apgalvojumi bez pierādījumiem",
        "unsupported_intro": "Šīm atbildēm norādīts 3. vai 4. līmenis, bet nav pievienots neviens "
        "pierādījums, tāpēc ar pierādījumiem pamatotajā briedumā tās "
        "ieskaitītas kā 2. līmenis. Pievienojiet pierādījumus, piemēram:",
        "claimed_level": "Norādītais līmenis",
        "col_question": "Jautājums",
        # trend
        "trend_heading": "Izmaiņas kopš iepriekšējā novērtējuma",
        "trend_intro": "Ar pierādījumiem pamatotā brieduma izmaiņas katrā dimensijā.",
        "trend_caption": "Ar pierādījumiem pamatotā brieduma izmaiņas",
        "col_previous": "Iepriekš",
        "col_current": "Pašlaik",
        "col_change": "Izmaiņas",
        # appendix
        "confidence_heading": "Pārliecība par atbildēm",
        "confidence_none": "Neviena atbilde nav sniegta ar zemu pārliecību.",
        "confidence_note": "Pārliecība vērtējumu nemaina: tā rāda, kur atbildes vēl jāpārbauda.",
        "flagged_heading": "Atzīmēti pārskatīšanai",
        "flagged_intro": "Jautājumi, kurus atbildētājs atzīmējis pārskatīšanai, ar piezīmi.",
        "flagged_none": "Neviens jautājums nav atzīmēts pārskatīšanai.",
        "flagged_by": "Atzīmēja",
        "flagged_facilitator": "novērtējuma vadītājs",
        "appendix_heading": "Visas atbildes",
        "appendix_intro": "Katrs bankas jautājums ar konsolidēto atbildi, komentāru un "
        "pierādījumiem.",
        "answer": "Atbilde",
        "comment": "Komentārs",
        "evidence": "Pierādījumi",
        "no_evidence": "nav pievienoti",
        "measured": "Izmērītā vērtība",
        "stale_flag": "novecojis (vecāks par {months} mēn.) — neapliecina 3. vai 4. līmeni",
        "unsupported_flag": "bez pierādījumiem — ieskaitīts kā 2. līmenis",
        "spread": "respondentu vērtējumu izkliede: {spread}",
        "consensus": "vienošanās",
        "answer_na": "Nav attiecināms",
        "answer_dk": "Nezinu (ieskaitīts kā 0)",
        "answer_none": "Nav atbildes",
        "level_n": "{n}. līmenis",
        # sign-off
        "signoff_heading": "Apstiprinājums",
        "signoff_intro": "Pārskatu un rīcības plānu izskatīja un apstiprināja iestādes vadība.",
        "name_position": "Vārds, uzvārds, amats",
        "signature": "Paraksts",
        # generated summary sentences
        "sum_overall": "Kopējais briedums pēc sniegtajām atbildēm ir {maturity} no 4, ar "
        "pierādījumiem pamatotais — {backed}; tas atbilst {level}. līmenim "
        "„{label}” (indekss {index}).",
        "sum_strong_weak": "Stiprākā dimensija ir „{strongest}” ({s}), vājākā — „{weakest}” ({w}).",
        "sum_equal": "Visu novērtēto dimensiju ar pierādījumiem pamatotais briedums ir "
        "vienāds: {value}.",
        "sum_below_none": "Visas novērtētās dimensijas sasniedz mērķa līmeni.",
        "sum_below": "{n} no {total} dimensijām nesasniedz mērķa līmeni.",
        "sum_below_one": "1 no {total} dimensijām nesasniedz mērķa līmeni.",
        "sum_unscored": "Dimensijās bez ieskaitītām atbildēm briedums nav novērtēts: {names}.",
        "sum_incomplete": "{n} no {total} jautājumiem vēl nav atbildēti; rādītāji aprēķināti no "
        "sniegtajām atbildēm.",
        "sum_incomplete_one": "{n} no {total} jautājumiem vēl nav atbildēts; rādītāji aprēķināti "
        "no sniegtajām atbildēm.",
        "sum_actions_one": "Rīcības plānā ir {n} {word}:",
        "sum_actions_few": "Rīcības plānā ir {n} {word}:",
        "sum_actions_many": "Rīcības plānā ir {n} {word}; piecas prioritārās, ar kurām sākt:",
        "sum_no_actions": "Lai sasniegtu mērķa līmeņus, papildu darbības nav nepieciešamas.",
        "sum_nothing": "Vēl nav ieskaitītu atbilžu, tāpēc briedumu nevar novērtēt.",
        "evidence_note_one": "{n} no {claims} apgalvojumiem par 3. vai 4. līmeni nav pievienots "
        "pierādījums; ar pierādījumiem pamatotajā briedumā tas ieskaitīts kā "
        "2. līmenis (sk. „Apgalvojumi bez pierādījumiem”).",
        "evidence_note_many": "{n} no {claims} apgalvojumiem par 3. vai 4. līmeni nav pievienoti "
        "pierādījumi; ar pierādījumiem pamatotajā briedumā tie ieskaitīti "
        "kā 2. līmenis (sk. „Apgalvojumi bez pierādījumiem”).",
        # first three pages (issue 13)
        "draft_mark": "MELNRAKSTS",
        "draft_note": "Melnraksts: pašnovērtējums vēl nav pabeigts. Apstiprinājuma rindas "
        "parādīsies, kad pašnovērtējums būs pabeigts.",
        "completed_on": "Pabeigts",
        "status_draft_line": "Melnraksts, stāvoklis uz",
        "where_heading": "Kur mēs esam",
        "sure_heading": "Cik esam pārliecināti",
        "sure_text": "Pēc iestādes vērtējuma briedums ir {claimed} no 4; ar pierādījumiem "
        "pamatotais briedums ir {backed}. Ar pierādījumiem nav pamatoti {unsupported} "
        "no {claims} apgalvojumiem par 3. vai 4. līmeni.",
        "col_claimed": "Pēc vērtējuma",
        "first_heading": "Ko darām vispirms",
        "owners_heading": "Kas atbild un līdz kad",
        "owner_missing": "nav norīkots",
        "due_missing": "nav noteikts",
        "annexes_heading": "Pielikumi",
        "annex_n": "{n}. pielikums",
        # footer
        "page_of": "{page}. lapa no {pages}",
        # generic
        "none": "–",
    },
    "en": {
        "report_kind": "Customer service standard readiness report",
        "report_title": "Readiness report",
        "subject": "Customer service standard readiness self-assessment",
        "date": "Date",
        "bank": "Question bank",
        "version": "version",
        "guideline": "Guideline",
        "prepared_by": "Prepared by",
        "approved_by": "Approved by",
        "respondents": "Respondents",
        "completeness": "Completeness",
        "answered": "Answered",
        "of_questions": "of {total} questions",
        "not_applicable": "Not applicable",
        "dont_know": "Don't know",
        "unanswered": "Unanswered",
        "disagreements": "Disagreements",
        "disagreements_text": "On {total} questions the respondents' levels differ by 2 or more: "
        "{resolved} resolved by consensus, {open} still to discuss.",
        "summary_heading": "Executive summary",
        "overall_maturity": "Overall maturity",
        "as_claimed": "as answered",
        "evidence_backed": "Evidence-backed maturity",
        "evidence_backed_hint": "levels ≥ 3 without evidence count as 2",
        "index": "Maturity index",
        "index_hint": "overall maturity as a percentage of level 4",
        "level": "Maturity level",
        "evidence_note_heading": "Evidence",
        "radar_heading": "Maturity by dimension",
        "radar_title": "Maturity chart: {organisation}",
        "radar_desc": "Radar chart with {n} axes, one per dimension, scale 0–4. "
        "Evidence-backed maturity: {backed}. Target level: {target}.",
        "radar_desc_previous": " Previous assessment: {previous}.",
        "radar_table_caption": "Chart data",
        "legend_backed": "Evidence-backed maturity",
        "legend_target": "Target level",
        "legend_previous": "Previous assessment",
        "gaps_heading": "Gap to target",
        "gaps_title": "Gap to target by dimension",
        "gaps_desc": "Bar chart: gap to the target level (target minus evidence-backed "
        "maturity), scale 0–4. {values}.",
        "gaps_none": "Every dimension meets its target.",
        "dimensions_heading": "Dimensions",
        "dimensions_caption": "Maturity, target and gap by dimension",
        "col_dimension": "Dimension",
        "col_maturity": "Maturity",
        "col_backed": "Backed by evidence",
        "col_target": "Target",
        "col_gap": "Gap",
        "col_counted": "Counted",
        "col_na": "N/A",
        "col_dk": "Don't know",
        "col_unsupported": "Unsupported",
        "overall": "Overall",
        "dimensions_note": "Maturity is the weighted mean level of the questions (0–4); "
        "\u201cevidence-backed\u201d is the same with levels ≥ 3 that have no "
        "evidence counted as 2. Gap = target − evidence-backed maturity. "
        "\u201cDon't know\u201d counts as 0; \u201cnot applicable\u201d and "
        "unanswered questions are left out.",
        "action_plan_heading": "Action plan",
        "action_plan_intro": "Each action is the next step that takes a practice to the level "
        "above. Priority = (target level − current level) × question weight "
        "× dimension weight; actions are ranked by priority, equal "
        "priorities in question order.",
        "groups_rule": "Groups: \u201cNow\u201d — the {now} highest-priority actions (named in "
        "the executive summary); \u201cNext\u201d — the following {next}; "
        "\u201cLater\u201d — the rest.",
        "group_now": "Now",
        "group_next": "Next",
        "group_later": "Later",
        "group_now_hint": "the {now} highest-priority actions — start these first",
        "group_next_hint": "the following {next} actions",
        "group_later_hint": "the remaining actions",
        "col_no": "No.",
        "col_action": "Action",
        "col_owner": "Owner",
        "col_due": "Due date",
        "col_status": "Status",
        "current_level": "Current",
        "target_level": "target",
        "next_step": "Next step",
        "evidence_examples": "Evidence that would prove it",
        "clause": "Guideline clause",
        "priority": "Priority",
        "status_open": "Open",
        "status_in_progress": "In progress",
        "status_done": "Done",
        "no_actions": "No action needed: every answer meets its dimension's target level.",
        "unsupported_heading": "Unsupported claims",
        "unsupported_intro": "These answers claim level 3 or 4 but have no evidence attached, so "
        "they count as level 2 in the evidence-backed maturity. Attach "
        "evidence such as:",
        "claimed_level": "Claimed level",
        "col_question": "Question",
        "trend_heading": "Trend since the previous assessment",
        "trend_intro": "Change in evidence-backed maturity per dimension.",
        "trend_caption": "Change in evidence-backed maturity",
        "col_previous": "Previous",
        "col_current": "Current",
        "col_change": "Change",
        "confidence_heading": "Confidence in the answers",
        "confidence_none": "No answer was given with low confidence.",
        "confidence_note": "Confidence does not change the score: it shows where answers still "
        "need checking.",
        "flagged_heading": "Marked for review",
        "flagged_intro": "Questions someone marked for review, with their note.",
        "flagged_none": "No question is marked for review.",
        "flagged_by": "Marked by",
        "flagged_facilitator": "facilitator",
        "appendix_heading": "All answers",
        "appendix_intro": "Every question of the bank with its consolidated answer, comment and "
        "evidence.",
        "answer": "Answer",
        "comment": "Comment",
        "evidence": "Evidence",
        "no_evidence": "none attached",
        "measured": "Measured value",
        "stale_flag": "outdated (older than {months} months) — backs no level 3 or 4",
        "unsupported_flag": "no evidence — counts as level 2",
        "spread": "respondents' spread: {spread}",
        "consensus": "consensus",
        "answer_na": "Not applicable",
        "answer_dk": "Don't know (counts as 0)",
        "answer_none": "Unanswered",
        "level_n": "Level {n}",
        "signoff_heading": "Sign-off",
        "signoff_intro": "The report and the action plan were reviewed and approved by the "
        "institution's leadership.",
        "name_position": "Name, position",
        "signature": "Signature",
        "sum_overall": "Overall maturity is {maturity} of 4 as answered and {backed} when "
        "only evidence-backed answers count: level {level}, \u201c{label}\u201d "
        "(index {index}).",
        "sum_strong_weak": "The strongest dimension is \u201c{strongest}\u201d ({s}), the "
        "weakest \u201c{weakest}\u201d ({w}).",
        "sum_equal": "Every scored dimension stands at the same evidence-backed maturity, {value}.",
        "sum_below_none": "Every scored dimension reaches its target level.",
        "sum_below": "{n} of {total} dimensions are below their target level.",
        "sum_below_one": "1 of {total} dimensions is below its target level.",
        "sum_unscored": "Dimensions with no counted answers are not scored: {names}.",
        "sum_incomplete": "{n} of {total} questions are still unanswered; the figures cover the "
        "answers given.",
        "sum_incomplete_one": "{n} of {total} questions is still unanswered; the figures cover "
        "the answers given.",
        "sum_actions_one": "The action plan holds {n} action:",
        "sum_actions_few": "The action plan holds {n} actions:",
        "sum_actions_many": "The action plan holds {n} actions; the five highest-priority ones "
        "to start with:",
        "sum_no_actions": "No further action is needed to reach the target levels.",
        "sum_nothing": "No answers are counted yet, so there is no maturity to report.",
        "evidence_note_one": "{n} of {claims} claims of level 3 or 4 has no evidence attached; it "
        "counts as level 2 in the evidence-backed figures (see "
        "\u201cUnsupported claims\u201d).",
        "evidence_note_many": "{n} of {claims} claims of level 3 or 4 have no evidence attached; "
        "they count as level 2 in the evidence-backed figures (see "
        "\u201cUnsupported claims\u201d).",
        # first three pages (issue 13)
        "draft_mark": "DRAFT",
        "draft_note": "Draft: the self-assessment is not completed yet. The sign-off lines "
        "appear once it is completed.",
        "completed_on": "Completed",
        "status_draft_line": "Draft, as of",
        "where_heading": "Where we are",
        "sure_heading": "How sure we are",
        "sure_text": "As claimed, maturity is {claimed} of 4; backed by evidence it is {backed}. "
        "{unsupported} of {claims} claims of level 3 or 4 have no evidence.",
        "col_claimed": "As claimed",
        "first_heading": "What we do first",
        "owners_heading": "Who owns it and by when",
        "owner_missing": "not assigned",
        "due_missing": "not set",
        "annexes_heading": "Annexes",
        "annex_n": "Annex {n}",
        "page_of": "Page {page} of {pages}",
        "none": "–",
    },
}

MONTHS_EN = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def labels(lang: str) -> dict[str, str]:
    """The report strings in `lang` (English for an unknown language)."""
    return LABELS["lv" if lang == "lv" else "en"]


def fmt_num(value: Fraction | float | int | None, lang: str, places: int = 2) -> str:
    """A figure rounded half-up: `2,35` in Latvian, `2.35` in English, `–` when there is none."""
    if value is None:
        return "–"
    exact = value if isinstance(value, Fraction) else Fraction(str(value))
    rounded = round_half_up(exact, places)
    text = f"{rounded:.{places}f}"
    if text.startswith("-") and float(rounded) == 0:
        text = text[1:]
    text = text.replace("-", "−")
    return text.replace(".", ",") if lang == "lv" else text


def fmt_value(value: float | int | None, lang: str) -> str:
    """An indicator's figure as given (no rounding): `87,5` in Latvian, `87.5` in English."""
    from ..domain.qtypes.indicator import format_value

    text = format_value(value).replace("-", "−")
    return text.replace(".", ",") if lang == "lv" else text


def fmt_signed(value: Fraction | float | int | None, lang: str, places: int = 2) -> str:
    """A change with its sign: `+0,25`, `−0,50`, `0,00`."""
    text = fmt_num(value, lang, places)
    if value is None or text.startswith("−") or float(value) == 0:
        return text
    return "+" + text


def fmt_pct(value: Fraction | float | int | None, lang: str, places: int = 1) -> str:
    """A percentage: `58,8 %` in Latvian, `58.8%` in English."""
    if value is None:
        return "–"
    text = fmt_num(value, lang, places)
    return f"{text}\u00a0%" if lang == "lv" else f"{text}%"


def fmt_date(d: dt.date | None, lang: str) -> str:
    """`26.11.2026.` in Latvian, `26 November 2026` in English, empty without a date."""
    if d is None:
        return ""
    if lang == "lv":
        return f"{d.day:02d}.{d.month:02d}.{d.year}."
    return f"{d.day} {MONTHS_EN[d.month - 1]} {d.year}"


def lv_count(n: int, singular: str, plural: str) -> str:
    """Latvian agreement: 1, 21, 31… take the singular; 11 and the rest the plural."""
    return singular if n % 10 == 1 and n % 100 != 11 else plural


_REPORT_TRANSLATIONS: dict[str, object] = {}


def report_ngettext(lang: str, singular: str, plural: str, n: int) -> str:
    """ngettext in the report's language (not the request's): the application's catalogues,
    with their plural forms (Latvian: three)."""
    translations = _REPORT_TRANSLATIONS.get(lang)
    if translations is None:
        from pathlib import Path

        from babel.support import Translations

        translations = _REPORT_TRANSLATIONS[lang] = Translations.load(
            str(Path(__file__).resolve().parent.parent / "translations"), [lang]
        )
    return translations.ungettext(singular, plural, n)
