"""How metadata reads in every output: dates, lists of names, short titles.

One place, so the brief, the DOCX, the one-pager and the email say the same
thing the same way; month names come from a table, not the locale, so an
output does not change with the machine's language settings.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
SHORT_TITLE_LENGTH = 60


def display_date(value: str) -> str:
    """'2022-01-15' -> '15 January 2022'; any other text as written."""
    value = value.strip()
    try:
        day = _dt.date.fromisoformat(value[:10])
    except ValueError:
        return value
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def join_names(names: Iterable[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def short_title(title: str) -> str:
    """The running-head title: up to a colon or dash, at most ~60 characters."""
    for mark in (": ", " \u2014 ", " \u2013 ", " - "):
        if mark in title:
            title = title.split(mark, 1)[0]
            break
    if len(title) > SHORT_TITLE_LENGTH:
        title = title[:SHORT_TITLE_LENGTH].rsplit(" ", 1)[0] + "\u2026"
    return title
