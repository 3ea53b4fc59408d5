"""A text a user reads, in every language it is written in (banks, question types)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Keys of a bank text object that are not languages (a scale level's `help`).
NOT_LANGUAGES = frozenset({"help"})


@dataclass(frozen=True)
class Text:
    """A text a user reads: Latvian and English always (a bank must give both), and any other
    language of the catalogues the bank gives (`more`, as (language, text) pairs)."""

    lv: str
    en: str
    more: tuple[tuple[str, str], ...] = ()

    def get(self, lang: str) -> str:
        """The text in `lang`, English when the language is unknown or not given."""
        if lang == "lv":
            return self.lv
        for code, text in self.more:
            if code == lang:
                return text
        return self.en

    def items(self) -> tuple[tuple[str, str], ...]:
        """(language, text) of every language the text is written in: English, Latvian, the
        others in the order of their codes."""
        return (("en", self.en), ("lv", self.lv), *self.more)

    @classmethod
    def of(cls, texts: Mapping[str, str]) -> Text:
        """The text of a mapping language → text (a bank's `{lv: …, en: …}`), stripped."""
        more = tuple(
            sorted(
                (code, value.strip())
                for code, value in texts.items()
                if code not in ("lv", "en") and code not in NOT_LANGUAGES and isinstance(value, str)
            )
        )
        return cls(lv=texts["lv"].strip(), en=texts["en"].strip(), more=more)
