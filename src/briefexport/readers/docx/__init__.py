"""DOCX -> `tree.Document`: the brief's DOCX, after an editor worked on it, back into a tree.

Every block the DOCX backend writes is in a named style, so each paragraph's
style (by name, which LibreOffice keeps) says what it was.  The invisible
custom XML part the backend adds (`docx_styles.ROUNDTRIP_NS`) gives back what
the page does not show: the source's heading levels and ids, image files,
front-matter keys such as `slug`.  A DOCX without it (one briefexport did
not write) reads too, with warnings for what has no place in the brief.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from ...tree import Document
from ...common import docx_styles as S
from .body import Reader
from .front import front_meta
from .package import open_package
from .runs import Change

CHANGE_MODES = ("keep", "accept", "reject")


@dataclass
class Imported:
    doc: Document
    changes: list[Change] = field(default_factory=list)
    digest: str = ""  # the tree digest recorded when the DOCX was rendered ("" when none)
    ours: bool = False  # written by briefexport (it has the round-trip part)
    images: dict[str, bytes] = field(default_factory=dict)  # pictures the editor inserted: file name -> bytes


def read_docx(path: str | Path, *, changes: str = "keep") -> Imported:
    """Read `path`; tracked changes are kept as marks, accepted or rejected."""
    if changes not in CHANGE_MODES:
        raise ValueError(f"changes must be one of {CHANGE_MODES}")
    pkg = open_package(path)
    info = _info(pkg.roundtrip)
    reader = Reader(pkg, changes, info)
    if pkg.roundtrip is None:
        reader.warn("not written by briefexport (no round-trip data): styles are read by name, "
                    "heading levels start at 1")
    blocks = reader.read()
    if reader.bibliography:
        reader.warn(f"{reader.bibliography} bibliography entries are made from the citations, not imported "
                    "(the citations read back as their formatted text)")
    comments = sum(c.kind == "comment" for c in reader.changes)
    if comments and changes != "keep":
        reader.warn(f"{comments} comment(s) left out (--changes {changes}); --changes keep writes them "
                    "as {>>...<<}")
    meta = front_meta(reader, info, pkg.keywords, pkg.default_lang)
    doc = Document(meta, tuple(blocks), str(path))
    images = {name: blob for name, (_digest, blob) in reader.images.items()}
    return Imported(doc, reader.changes, info.get("tree", ""), pkg.roundtrip is not None, images)


def _info(root) -> dict:
    """The round-trip part as a dict (empty for a DOCX briefexport did not write)."""
    if root is None:
        return {}
    ns = f"{{{S.ROUNDTRIP_NS}}}"
    info: dict = {k: v for k, v in root.attrib.items()}
    info["headings"] = {h.get("mark", ""): (h.get("id", ""), h.get("key", ""))
                        for h in root.iter(ns + "heading")}
    info["figures"] = {f.get("sha256", ""): f.get("src", "") for f in root.iter(ns + "figure")}
    info["titles"] = {f.get("src", ""): f.get("title", "") for f in root.iter(ns + "figure")}
    info["tables"] = [tuple(t.get("aligns", "").split(",")) for t in root.iter(ns + "table")]
    info["faces"] = [(f.get("text", ""), f.get("bold") == "1", f.get("italic") == "1") for f in root.iter(ns + "face")]
    info["keywords"] = [k.text or "" for k in root.iter(ns + "keyword")]
    return info


__all__ = ["read_docx", "Imported", "Change", "CHANGE_MODES"]
