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


def colophon(*, title: str, authors: Iterable[str], series: str, date: str, publisher: str, licence: str) -> str:
    """The brief's last line: publisher, licence and how to cite it, as sentences.

    'Publisher. CC BY 4.0. Cite as: A and B, “Title”, Policy Brief, 15 January 2022.'
    """
    cite = [join_names(authors), f"\u201c{title}\u201d" if title else "", series, display_date(date) if date else ""]
    sentences = [publisher, licence, "Cite as: " + ", ".join(c for c in cite if c)]
    return " ".join(s.strip().rstrip(".") + "." for s in sentences if s.strip())


def running_title(series: str, title: str) -> str:
    """The footer's line after page 1 in every format: 'Series  |  Title'."""
    return f"{series}  |  {title}" if series and title else series or title
