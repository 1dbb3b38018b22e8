"""Line breaks inside URLs and other runs too wide for their line.

reportlab breaks lines only at spaces, at soft hyphens, by hyphenating
letters-only words, and (`uriWasteReduce`) once inside a whole URL at a
slash; the rest of a split URL is never split again and is drawn past the
frame's edge, as is any run without a break point that is wider than the
line once it has been split.  It has no hook for other break points, so
this module replaces its three splitting helpers (`_hyphenateFragWord`,
`_splitFragWord`, `_splitWord`) with ones that break

- URL-like runs at the points a reader expects (after ``/``, before ``?``,
  ``&``, ``=``, ``.``, ``-``, ``_``, ``#``, ``~``), with no hyphen added;
- any run wider than a whole line at those points too, else between
  characters, so that nothing is drawn outside the frame.

Everything else goes to reportlab's own helpers unchanged.  The pieces keep
their fragments, so a link's target stays whole on every line it spans.
Installed once, by `install()`, when the PDF backends import it.
"""

from __future__ import annotations

import re

from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfbase.ttfonts import ShapedFragWord
from reportlab.platypus import paragraph as _rl

_URL_LIKE = re.compile(r"://|^www\.|[/?&=_@]\S|\.[A-Za-z]{2,}/")
_BREAK_BEFORE = frozenset("?&=.-_#~")
_EPS = 1e-6


def break_points(text: str) -> list[int]:
    """Offsets `i` where a line may end before `text[i]`, without a hyphen."""
    points = []
    for i in range(1, len(text)):
        before, char = text[i - 1], text[i]
        if before == "/" and char != "/":
            points.append(i)  # after a slash; '//' stays whole
        elif char in _BREAK_BEFORE and before not in _BREAK_BEFORE and before != "/":
            points.append(i)
    # Each side must keep a letter or digit: "(see" / ")." are no pieces.
    return [i for i in points if _has_alnum(text[:i]) and _has_alnum(text[i:])]


def _has_alnum(text: str) -> bool:
    return any(c.isalnum() for c in text)


def url_like(text: str) -> bool:
    return bool(_URL_LIKE.search(text))


# ---------------------------------------------------------------- atoms
# A frag word is [width, (frag, text), ...]; an atom is one character (or
# one inline object) of it: (frag, width, text).


def _atoms(word: list) -> list[tuple[object, float, str]]:
    atoms = []
    for frag, text in word[1:]:
        if hasattr(frag, "cbDefn"):
            atoms.append((frag, getattr(frag.cbDefn, "width", 0), text))
        else:
            atoms.extend((frag, stringWidth(c, frag.fontName, frag.fontSize), c) for c in text)
    return atoms


def _text(atoms: list) -> str:
    return "".join(t if not hasattr(f, "cbDefn") and len(t) == 1 else "\x00" for f, _, t in atoms)


def _frag_word(atoms: list, cls: type) -> list:
    items: list = []
    for frag, _, text in atoms:
        if items and items[-1][0] is frag and not hasattr(frag, "cbDefn"):
            items[-1] = (frag, items[-1][1] + text)
        else:
            items.append((frag, text))
    if not items and atoms == []:
        return cls([0])
    return cls([sum(w for _, w, _ in atoms), *items])


def _cut(text: str, widths: list[float], room: float, line: float) -> int:
    """Where to end the first piece of a run that must be split.

    The longest head at a break point that fits `room`; else 0 (start the
    run on the next line) when a break point would fit a whole line there;
    else the longest head of whole characters that fits (at least one
    character on an empty line).
    """
    cum = [0.0]
    for w in widths:
        cum.append(cum[-1] + w)
    points = break_points(text)
    fits = [i for i in points if cum[i] <= room + _EPS]
    if fits:
        return max(fits)
    if room < line - _EPS and any(cum[i] <= line + _EPS for i in points):
        return 0
    best = 0
    for i in range(1, len(text)):
        if cum[i] <= room + _EPS:
            best = i
    if best == 0 and room >= line - _EPS:
        best = 1  # a single character wider than the line: it has to go somewhere
    return best


def _pieces(text: str, widths: list[float], first_room: float, lines: list[float]) -> list[int]:
    """Split offsets for a run wider than its lines, greedy line by line."""
    cuts, start, room, n = [], 0, first_room, 0
    total = sum(widths)
    while total - sum(widths[:start]) > room + _EPS and start < len(text):
        line = lines[min(n, len(lines) - 1)]
        at = _cut(text[start:], widths[start:], room, line)
        if at == 0 and cuts and cuts[-1] == start:
            at = 1  # never loop on an empty piece
        cuts.append(start + at)
        start += at
        n += 1
        room = lines[min(n, len(lines) - 1)]
    return cuts


# ------------------------------------------------ reportlab's split helpers

_reportlab_hyphenate_frag_word = _rl._hyphenateFragWord
_reportlab_split_frag_word = _rl._splitFragWord
_reportlab_split_word = _rl._splitWord
_reportlab_hyphenate_word = _rl._hyphenateWord


def _hyphenate_frag_word(hyphenator, FW, newWidth, maxWidth, uriWasteReduce, embeddedHyphenation,  # noqa: N803
                         hymwl=_rl.hyphenationMinWordLength):
    """A word that does not fit the rest of the line: URL-like ones break at
    a break point (reportlab's own rule for when that is worth it: the word
    is wider than the line, or the line is less than 70 % full)."""
    atoms = _atoms(FW)
    text = _text(atoms)
    if not url_like(text) or isinstance(FW, ShapedFragWord):
        return _reportlab_hyphenate_frag_word(hyphenator, FW, newWidth, maxWidth, uriWasteReduce,
                                              embeddedHyphenation, hymwl)
    width = FW[0]
    used = newWidth - width
    if width <= maxWidth and used > (1 - (uriWasteReduce or 0.3)) * maxWidth:
        return None  # it fits the next line and this one is nearly full
    if width > maxWidth and not isinstance(FW, _rl._SplitFrag):
        return None  # wider than any line: reportlab hands it to _splitFragWord
    at = _cut(text, [w for _, w, _ in atoms], maxWidth - used, maxWidth)
    if at == 0:
        return None
    tail_cls = _rl._SplitFragHS if isinstance(FW, _rl._HSFrag) else _rl._SplitFrag
    return [_frag_word(atoms[:at], _rl._SplitFragH), _frag_word(atoms[at:], tail_cls)]


def _hyphenate_word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth, uriWasteReduce,  # noqa: N803
                    embeddedHyphenation, hymwl=_rl.hyphenationMinWordLength):
    """`_hyphenate_frag_word` for the single-style paragraphs reportlab lays out as plain words."""
    text = str(w)
    if not url_like(text) or _rl.isBidiStr(w):
        return _reportlab_hyphenate_word(hyphenator, fontName, fontSize, w, ww, newWidth, maxWidth,
                                         uriWasteReduce, embeddedHyphenation, hymwl)
    used = newWidth - ww
    if ww <= maxWidth and used > (1 - (uriWasteReduce or 0.3)) * maxWidth:
        return None
    if ww > maxWidth and not isinstance(w, _rl._SplitWord):
        return None  # wider than any line: reportlab hands it to _splitWord
    at = _cut(text, [stringWidth(c, fontName, fontSize) for c in text], maxWidth - used, maxWidth)
    if at == 0:
        return None
    return [_rl._SplitWordH(text[:at]), _rl._SplitWordEnd(text[at:])]


def _split_frag_word(w, maxWidth, maxWidths, lineno):  # noqa: N803
    """A word wider than its line, split into pieces for this and the next lines."""
    atoms = _atoms(w)
    text = _text(atoms)
    lines = list(maxWidths[lineno + 1:]) or [maxWidths[-1]]
    cuts = _pieces(text, [a[1] for a in atoms], maxWidth, lines)
    if not cuts:
        return _reportlab_split_frag_word(w, maxWidth, maxWidths, lineno)
    out, start = [], 0
    for cut in cuts:
        out.append(_frag_word(atoms[start:cut], _rl._SplitFrag) if cut > start
                   else _rl._SplitFrag([0, (w[1][0], "")]))
        start = cut
    out.append(_frag_word(atoms[start:], _rl._SplitFragHS if isinstance(w, _rl._HSFrag) else _rl._SplitFragH))
    return out


def _split_word(w, lineWidth, maxWidths, lineno, fontName, fontSize, encoding="utf8"):  # noqa: N803
    """The same for the single-style paragraphs reportlab lays out as plain words."""
    if _rl.isBidiStr(w):
        return _reportlab_split_word(w, lineWidth, maxWidths, lineno, fontName, fontSize, encoding)
    text = str(w)
    last = len(maxWidths) - 1
    room = maxWidths[min(last, lineno)] - lineWidth
    lines = list(maxWidths[lineno + 1:]) or [maxWidths[-1]]
    cuts = _pieces(text, [stringWidth(c, fontName, fontSize, encoding) for c in text], room, lines)
    out, start = [], 0
    for cut in cuts:
        out.append(_rl._SplitWord(text[start:cut]))
        start = cut
    out.append(_rl._SplitWordEnd(text[start:]))
    return out


def install() -> None:
    """Put the break rules in reportlab's paragraph module (idempotent)."""
    _rl._hyphenateFragWord = _hyphenate_frag_word
    _rl._splitFragWord = _split_frag_word
    _rl._splitWord = _split_word
    _rl._hyphenateWord = _hyphenate_word
