"""Golden bytes: the SHA-256 of every format's output for fixed sources.

A refactoring must not change a single byte of any output; a deliberate
change of output regenerates the goldens with `make golden` (this file run as
a script) and says why in its commit.  The renders are hermetic: a fixed
SOURCE_DATE_EPOCH and no system fonts, so only the theme's fonts and the
pinned library versions (constraints.txt) decide the bytes.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLDEN = ROOT / "tests" / "golden" / "outputs.json"
EPOCH = "1700000000"
ALL = ("pdf", "docx", "onepager", "onepager-pptx", "json")
# Source, theme (None: the default), formats.
CASES: tuple[tuple[str, str | None, tuple[str, ...]], ...] = (
    ("source/article.md", None, ALL),
    ("tests/fixtures/constructs.md", None, ALL),
    ("tests/fixtures/constructs.md", "tests/fixtures/two-column.toml", ("pdf", "docx")),
    ("tests/fixtures/docx-features.md", None, ("pdf", "docx", "json")),
    ("tests/fixtures/glyphs/scripts.md", None, ("pdf", "docx", "onepager")),
    ("tests/fixtures/onepager/long-title.md", None, ("onepager", "onepager-pptx")),
    ("tests/fixtures/onepager/many-points.md", None, ("onepager", "onepager-pptx")),
)
# The libraries whose versions decide the bytes.
LIBRARIES = (
    "reportlab", "python-docx", "python-pptx", "fonttools", "pillow", "lxml", "pyphen",
    "markdown-it-py", "mdit-py-plugins", "PyYAML", "font-source-serif-pro", "font-source-sans-pro",
    "fontpkg-source-code-pro",
)


def case_id(source: str, theme: str | None, fmt: str) -> str:
    return f"{source} [{Path(theme).stem if theme else 'default'}] {fmt}"


def library_versions() -> dict[str, str]:
    return {name: version(name) for name in LIBRARIES}


def hermetic_env() -> dict[str, str]:
    return {"SOURCE_DATE_EPOCH": EPOCH, "BRIEFEXPORT_SYSTEM_FONTS": "off"}


def digests() -> dict[str, str]:
    """Render every case in this process (with `hermetic_env()` set) and hash it."""
    import briefexport

    found: dict[str, str] = {}
    for source, theme_path, formats in CASES:
        doc = briefexport.parse(ROOT / source)
        theme = briefexport.load_theme(ROOT / theme_path if theme_path else None)
        for fmt in formats:
            data = briefexport.render(doc, fmt, theme, base_dir=(ROOT / source).parent)
            found[case_id(source, theme_path, fmt)] = hashlib.sha256(data).hexdigest()
    return found


def main() -> None:
    os.environ.update(hermetic_env())
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    record = {"libraries": library_versions(), "outputs": digests()}
    GOLDEN.write_text(json.dumps(record, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {len(record['outputs'])} digests to {GOLDEN.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
