"""The words a brief puts before numbers and over reference lists, by language.

A theme's `[labels]` table overrides any of them; the defaults follow the
front matter's `lang` (its primary subtag), English for the rest.
"""

from __future__ import annotations

from collections.abc import Mapping

KEYS = ("figure", "table", "section", "bibliography", "references")

_DEFAULTS: dict[str, dict[str, str]] = {
    "en": {"figure": "Figure", "table": "Table", "section": "section",
           "bibliography": "Bibliography", "references": "References"},
    "fr": {"figure": "figure", "table": "tableau", "section": "section",
           "bibliography": "Bibliographie", "references": "Références"},
    "de": {"figure": "Abbildung", "table": "Tabelle", "section": "Abschnitt",
           "bibliography": "Literaturverzeichnis", "references": "Literatur"},
    "es": {"figure": "figura", "table": "tabla", "section": "sección",
           "bibliography": "Bibliografía", "references": "Referencias"},
    "it": {"figure": "figura", "table": "tabella", "section": "sezione",
           "bibliography": "Bibliografia", "references": "Riferimenti bibliografici"},
    "pt": {"figure": "figura", "table": "tabela", "section": "secção",
           "bibliography": "Bibliografia", "references": "Referências"},
    "nl": {"figure": "figuur", "table": "tabel", "section": "paragraaf",
           "bibliography": "Bibliografie", "references": "Referenties"},
    "ru": {"figure": "рисунок", "table": "таблица", "section": "раздел",
           "bibliography": "Библиография", "references": "Литература"},
}


def labels_for(lang: str, overrides: Mapping[str, str] | None = None) -> dict[str, str]:
    """The label words for `lang` (a BCP 47 tag), with a theme's overrides."""
    primary = (lang or "en").split("-")[0].lower()
    words = dict(_DEFAULTS["en"])
    words.update(_DEFAULTS.get(primary, {}))
    if overrides:
        words.update({k: v for k, v in overrides.items() if v})
    return words


def capitalised(word: str) -> str:
    """`figure` -> `Figure`, for a label that opens a caption."""
    return word[:1].upper() + word[1:]
