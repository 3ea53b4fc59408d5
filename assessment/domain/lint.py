"""`assessment bank lint`: figures on a bank's quality that a reader would otherwise count by hand.

Every check is simple and explainable (docs/question-bank-format.md, "Linter"):

- **coverage**: questions per clause 2.3.1–2.3.9; the items section 2.3 enumerates
  (lint-guideline-2.3.yaml) that no question of their clause names in its text (help text
  does not count: an item only in the help is not asked);
- **near-duplicates**: pairs of questions whose texts at the same level (a level descriptor, or a
  recommendation) are alike — difflib's SequenceMatcher ratio over the word sequences;
- **repeated phrases**: the same word 6-gram in many texts of one level (copy-paste), and the same
  pair of content words (stop words left out) in many texts of one level while rare in the
  question texts (a formula: "reported to management", "other institutions");
- **double-barrelled questions**: two question marks, or " and " / " un " directly followed by a
  finite verb (a short list) — the question joins two practices ("… and analyse them",
  "… un vai …");
- **lv/en length ratio**: Latvian length / English length outside 0.6–1.6 (texts of 40+ chars),
  and the same for any other language the bank is written in;
- **missing diacritics**: a Latvian word that is a word of lint-words-lv.txt without its
  diacritics (not counting a diacritic on the last letter only: that is a case ending).

Every language the bank is written in is linted (lv, en and any other language key of its
question texts). The word lists are content per language, like the bank: the stop words
(`STOP`), the verbs after "and" (`JOINERS`, `JOINING_VERBS`) and `lint-words-<lang>.txt` exist for
lv and en (the word file for lv); a language without a list is linted without it (no stop words
left out, no "and"-verb check, no diacritics check). docs/i18n.md says so.
"""

from __future__ import annotations

import re
import statistics
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from functools import cache
from itertools import combinations
from pathlib import Path

import yaml

from .bank import Bank, Question, Text

HERE = Path(__file__).parent
#: The languages every bank is written in; `bank_languages` adds any other of a bank.
LANGS = ("lv", "en")
SIMILARITY = 0.6  # pairs at or above this word-sequence ratio are near-duplicates
PHRASE_TEXTS = 6  # a phrase in this many texts of one level is reported
RATIO_RANGE = (0.6, 1.6)  # lv/en character-length ratio outside this is an outlier
RATIO_MIN_CHARS = 40

STOP = {
    "en": set(
        """a an the and or of to in on at by for with from as is are be been being was were
        it its this that these those their there they them each every any all some no not only
        which who whom whose what when where how than then so such e g i also into per one two
        has have had does do did can may must should will would""".split()
    ),
    "lv": set(
        """un vai ir nav tiek tika ar par uz no pie pēc līdz kā ka to tā tas tie šī šis šo
        šie kas ko kur kad ja arī gan bet tikai vismaz katra katru katrs katram visi visas visu
        viņu savu savā sava savas tās tām tiem to e g piemēram jo lai kuru kuras kurš kura
        kurā kuriem var nevis līmenī gadā reizi""".split()
    ),
}

#: Finite verbs after " and " / " un " that start a second practice in one question.
JOINING_VERBS = {
    "en": set(
        """is are was were does do did has have can will act acts keep keeps tell tells
        use uses take takes publish publishes make makes report reports analyse analyses involve
        involves track tracks check checks pass passes show shows inform informs give gives
        apply applies measure measures""".split()
    ),
    "lv": set(
        """ir tiek vai izmanto nodrošina pārbauda ziņo informē analizē publicē mēra
        uzskaita iesaista nodod sniedz veic pārskata rīkojas novērš izskata""".split()
    ),
}

#: The word "and" of each language with a JOINING_VERBS list.
JOINERS = {"en": "and", "lv": "un"}
#: Every stop word of every list: a content word is none of them (whatever its language).
ALL_STOP = set().union(*STOP.values())

WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")


def words(text: str) -> list[str]:
    """Lower-case words of a text (hyphenated words kept whole)."""
    return [w.lower() for w in WORD.findall(text)]


def fold(word: str) -> str:
    """The word without diacritics: ā → a, č → c, ņ → n, …"""
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


@cache
def guideline_items() -> tuple[dict, ...]:
    """Items of section 2.3 with the words that name them."""
    data = yaml.safe_load((HERE / "lint-guideline-2.3.yaml").read_text("utf-8"))
    return tuple(data)


def bank_languages(bank: Bank) -> tuple[str, ...]:
    """lv, en and every other language a question text of the bank is written in."""
    more = sorted({code for q in bank.questions for code, _text in q.text.more})
    return LANGS + tuple(more)


def text_in(text: Text, lang: str) -> str | None:
    """The text in `lang`, None when it is not written in it (no English stand-in)."""
    if lang in LANGS:
        return text.get(lang)
    return dict(text.more).get(lang)


@cache
def latvian_words() -> dict[str, str]:
    """Plain spelling → the word(s) with diacritics, "iestāde / iestādē" (lint-words-lv.txt)."""
    return word_list("lv")


@cache
def word_list(lang: str) -> dict[str, str]:
    """Plain spelling → the word(s) with diacritics, from lint-words-<lang>.txt; empty when the
    language has no list."""
    path = HERE / f"lint-words-{lang}.txt"
    if not path.exists():
        return {}
    out: dict[str, list[str]] = {}
    also_plain = set()
    for line in path.read_text("utf-8").splitlines():
        line = line.strip()
        if line.startswith("="):  # correct without diacritics too
            also_plain.add(line[1:].strip())
        elif line and not line.startswith("#") and fold(line)[:-1] != line[:-1]:
            # a diacritic only on the last letter marks a case ending (dienā / diena): the
            # plain spelling is another form of the same word, not a mistake
            out.setdefault(fold(line), []).append(line)
    return {
        plain: " / ".join(sorted(forms)) for plain, forms in out.items() if plain not in also_plain
    }


@dataclass
class Pair:
    """Two questions whose texts at one level are alike."""

    kind: str  # "level 3", "recommendation 2"
    lang: str
    ratio: float
    first: str
    second: str


@dataclass
class Phrase:
    """A phrase found in many texts of one level."""

    kind: str
    lang: str
    phrase: str
    texts: int
    of: int


@dataclass
class LintReport:
    """The linter's figures and findings for one bank."""

    bank: Bank
    languages: tuple[str, ...] = LANGS
    questions_per_clause: dict[str, int] = field(default_factory=dict)
    items_total: int = 0
    items_missing: list[str] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    ngrams: list[Phrase] = field(default_factory=list)
    formulas: list[Phrase] = field(default_factory=list)
    double_barrelled: list[tuple[str, str]] = field(default_factory=list)
    ratios: list[tuple[float, str]] = field(default_factory=list)
    ratio_outliers: list[tuple[float, str]] = field(default_factory=list)
    diacritics: list[tuple[str, str, str]] = field(default_factory=list)

    def max_texts(self, kind: str, lang: str = "en", formulas: bool = True) -> int:
        """The most texts of `kind` (e.g. "level 4") sharing one phrase."""
        rows = self.formulas if formulas else self.ngrams
        return max((p.texts for p in rows if p.kind == kind and p.lang == lang), default=0)

    def pair_count(self, lang: str, prefix: str = "") -> int:
        return sum(1 for p in self.pairs if p.lang == lang and p.kind.startswith(prefix))

    def figures(self) -> dict[str, object]:
        """The headline numbers (what the tests pin and the docs quote)."""
        per_level = {
            f"level {n}": max(self.max_texts(f"level {n}", lang) for lang in self.languages)
            for n in range(5)
        }
        return {
            "questions": len(self.bank),
            "clauses_without_question": [c for c, n in self.questions_per_clause.items() if n == 0],
            "items_covered": self.items_total - len(self.items_missing),
            "items_total": self.items_total,
            "near_duplicate_pairs": {lang: self.pair_count(lang) for lang in self.languages},
            # 0: no 6-gram is in PHRASE_TEXTS or more texts of one level
            "max_texts_sharing_a_6gram": max((p.texts for p in self.ngrams), default=0),
            "max_texts_sharing_a_formula": per_level,
            "double_barrelled": len(self.double_barrelled),
            "length_ratio_outliers": len(self.ratio_outliers),
            "missing_diacritics": len(self.diacritics),
        }


def _texts_at(bank: Bank) -> list[tuple[str, list[tuple[Question, Text]]]]:
    """(kind, [(question, text)]) for each level and each recommendation step."""
    out = [(f"level {n}", [(q, q.levels[n]) for q in bank.questions]) for n in range(5)]
    out += [
        (f"recommendation {n}", [(q, q.recommendations[n]) for q in bank.questions])
        for n in range(4)
    ]
    return out


def _coverage(bank: Bank, report: LintReport) -> None:
    for i in range(1, 10):
        report.questions_per_clause[f"2.3.{i}"] = sum(
            1 for q in bank.questions if q.source == f"2.3.{i}"
        )
    items = guideline_items()
    report.items_total = len(items)
    for item in items:
        found = False
        for q in bank.questions:
            if item["clause"] != q.source and item["clause"] not in q.related:
                continue
            body = " ".join(
                text.lower() for lang in report.languages if (text := text_in(q.text, lang))
            )
            if any(w.lower() in body for w in item["words"]):
                found = True
                break
        if not found:
            report.items_missing.append(f"{item['clause']} {item['item']}")


def _near_duplicates(bank: Bank, report: LintReport, threshold: float) -> None:
    for kind, rows in _texts_at(bank):
        for lang in report.languages:
            seqs = [(q.id, words(text)) for q, t in rows if (text := text_in(t, lang)) is not None]
            for (a, wa), (b, wb) in combinations(seqs, 2):
                matcher = SequenceMatcher(None, wa, wb, autojunk=False)
                if matcher.real_quick_ratio() < threshold or matcher.quick_ratio() < threshold:
                    continue
                ratio = matcher.ratio()
                if ratio >= threshold:
                    report.pairs.append(Pair(kind, lang, round(ratio, 2), a, b))
    report.pairs.sort(key=lambda p: (-p.ratio, p.kind, p.lang, p.first))


def _phrases(bank: Bank, report: LintReport, min_texts: int) -> None:
    question_pairs: dict[str, Counter] = {}
    for lang in report.languages:
        counter: Counter = Counter()
        for q in bank.questions:
            counter.update(set(_content_pairs(text_in(q.text, lang) or "")))
        question_pairs[lang] = counter
    for kind, rows in _texts_at(bank):
        for lang in report.languages:
            grams: Counter = Counter()
            pairs: Counter = Counter()
            texts = [text for _q, t in rows if (text := text_in(t, lang)) is not None]
            for text in texts:
                w = words(text)
                grams.update({tuple(w[i : i + 6]) for i in range(len(w) - 5)})
                pairs.update(set(_content_pairs(text)))
            of = len(texts)
            for gram, n in grams.items():
                if n >= min_texts:
                    report.ngrams.append(Phrase(kind, lang, " ".join(gram), n, of))
            rare = max(2, len(bank) // 10)  # vocabulary of the questions is not a formula
            for pair, n in pairs.items():
                if n >= min_texts and question_pairs[lang][pair] < rare:
                    report.formulas.append(Phrase(kind, lang, " ".join(pair), n, of))
    report.ngrams.sort(key=lambda p: (-p.texts, p.kind, p.lang, p.phrase))
    report.formulas.sort(key=lambda p: (-p.texts, p.kind, p.lang, p.phrase))


def _content_pairs(text: str) -> list[tuple[str, str]]:
    """Adjacent pairs of content words, within a clause (punctuation breaks a clause)."""
    out = []
    for clause in re.split(r"[,;:.?!()—–]", text):
        lang_words = [w for w in words(clause)]
        content = [w for w in lang_words if w not in ALL_STOP and not w.isdigit()]
        out += list(zip(content, content[1:], strict=False))
    return out


def _double_barrelled(bank: Bank, report: LintReport) -> None:
    for q in bank.questions:
        reasons = []
        for lang in ("en", "lv", *report.languages[len(LANGS) :]):
            text = text_in(q.text, lang)
            if text is None:
                continue
            if text.count("?") > 1:
                reasons.append(f"{lang}: two question marks")
                continue
            joiner, verbs = JOINERS.get(lang), JOINING_VERBS.get(lang, set())
            w = words(text)
            for i, word in enumerate(w[:-1]):
                if word == joiner and w[i + 1] in verbs:
                    reasons.append(f"{lang}: '{' '.join(w[max(0, i - 2) : i + 4])}…'")
                    break
        if reasons:
            report.double_barrelled.append((q.id, "; ".join(reasons)))


def _all_texts(bank: Bank) -> list[tuple[str, Text]]:
    out: list[tuple[str, Text]] = [("title", bank.title)]
    for d in bank.dimensions:
        out.append((f"{d.id} title", d.title))
        if d.description:
            out.append((f"{d.id} description", d.description))
        if d.rationale:
            out.append((f"{d.id} rationale", d.rationale))
    for q in bank.questions:
        out.append((f"{q.id} text", q.text))
        if q.help:
            out.append((f"{q.id} help", q.help))
        if q.rationale:
            out.append((f"{q.id} rationale", q.rationale))
        out += [(f"{q.id} level {n}", t) for n, t in enumerate(q.levels)]
        out += [(f"{q.id} evidence {n}", t) for n, t in enumerate(q.evidence_examples)]
        out += [(f"{q.id} recommendation {n}", t) for n, t in enumerate(q.recommendations)]
    for n, t in enumerate(bank.scale):
        out.append((f"scale {n}", t))
        if bank.scale_help and bank.scale_help[n]:
            out.append((f"scale {n} help", bank.scale_help[n]))
    return out


def _languages(bank: Bank, report: LintReport) -> None:
    low, high = RATIO_RANGE
    others = [lang for lang in report.languages if lang != "en"]
    for where, t in _all_texts(bank):
        for lang in others:
            text = text_in(t, lang)
            if text is None:
                continue
            place = where if lang == "lv" else f"{where} [{lang}]"
            if len(t.en) >= RATIO_MIN_CHARS:
                ratio = len(text) / len(t.en)
                report.ratios.append((ratio, place))
                if not low <= ratio <= high:
                    report.ratio_outliers.append((round(ratio, 2), place))
            known = latvian_words() if lang == "lv" else word_list(lang)
            for w in words(text):
                right = known.get(w)
                if right is not None and right != w:
                    report.diacritics.append((place, w, right))


def lint_bank(
    bank: Bank, threshold: float = SIMILARITY, min_texts: int = PHRASE_TEXTS
) -> LintReport:
    """All checks on one bank."""
    report = LintReport(bank, bank_languages(bank))
    _coverage(bank, report)
    _near_duplicates(bank, report, threshold)
    _phrases(bank, report, min_texts)
    _double_barrelled(bank, report)
    _languages(bank, report)
    return report


def format_report(report: LintReport, limit: int = 10) -> str:
    """The figures as plain text, with up to `limit` findings per check."""
    bank = report.bank
    f = report.figures()
    out = [f"{bank.id} {bank.version}: {len(bank)} questions, {len(bank.dimensions)} dimensions"]
    out.append(
        "\nClause coverage (questions per clause): "
        + ", ".join(f"{c} {n}" for c, n in report.questions_per_clause.items())
    )
    out.append(
        f"Guideline 2.3 items named by a question of their clause: "
        f"{f['items_covered']}/{f['items_total']}"
    )
    out += [f"  missing: {m}" for m in report.items_missing]
    out.append(
        f"\nNear-duplicates (word-sequence ratio ≥ {SIMILARITY}, same level): "
        + ", ".join(f"{lang} {n} pairs" for lang, n in f["near_duplicate_pairs"].items())
    )
    out += [
        f"  {p.ratio:.2f} {p.kind} [{p.lang}] {p.first} ~ {p.second}" for p in report.pairs[:limit]
    ]
    out.append(
        f"\nRepeated 6-grams (same words in ≥ {PHRASE_TEXTS} texts of one level): "
        + (
            f"{len(report.ngrams)}; most texts sharing one: {f['max_texts_sharing_a_6gram']}"
            if report.ngrams
            else "none"
        )
    )
    out += [f"  {p.texts}/{p.of} {p.kind} [{p.lang}] “{p.phrase}”" for p in report.ngrams[:limit]]
    out.append(
        "\nFormulas (content-word pair in ≥ "
        f"{PHRASE_TEXTS} texts of one level, rare in the questions): most texts per "
        "level: " + ", ".join(f"{k} {v}" for k, v in f["max_texts_sharing_a_formula"].items())
    )
    out += [f"  {p.texts}/{p.of} {p.kind} [{p.lang}] “{p.phrase}”" for p in report.formulas[:limit]]
    out.append(f"\nQuestions joining two practices: {len(report.double_barrelled)}")
    out += [f"  {qid}: {why}" for qid, why in report.double_barrelled[:limit]]
    ratios = [r for r, _ in report.ratios]
    median = statistics.median(ratios) if ratios else 0
    out.append(
        f"\n{'/'.join(lang for lang in report.languages if lang != 'en')}/en length ratio "
        f"(texts of {RATIO_MIN_CHARS}+ chars): median "
        f"{median:.2f}, outside {RATIO_RANGE[0]}–{RATIO_RANGE[1]}: "
        f"{len(report.ratio_outliers)}"
    )
    out += [f"  {r:.2f} {where}" for r, where in report.ratio_outliers[:limit]]
    out.append(f"\nLatvian words missing diacritics: {len(report.diacritics)}")
    out += [f"  {where}: {w} → {right}" for where, w, right in report.diacritics[:limit]]
    return "\n".join(out) + "\n"


def group_pairs(report: LintReport) -> dict[str, int]:
    """Near-duplicate pairs per kind (for the docs)."""
    out: dict[str, int] = defaultdict(int)
    for p in report.pairs:
        out[f"{p.kind} {p.lang}"] += 1
    return dict(out)
