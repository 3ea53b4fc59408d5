"""A text a user reads, in Latvian and English (banks, question types)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Text:
    """A text a user reads, in Latvian and English."""

    lv: str
    en: str

    def get(self, lang: str) -> str:
        """The text in `lang`, English when the language is unknown."""
        return self.lv if lang == "lv" else self.en
