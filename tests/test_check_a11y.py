"""`briefexport check`'s accessibility findings: each code triggered by a
fixture that has the mistake, and silent on one that does not."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from briefexport import load_theme
from briefexport.check import check_file, contrast, contrast_ratio, relative_luminance
from briefexport.readers.markdown import parse
from conftest import ARTICLE, FIXTURES, ROOT

BAD = FIXTURES / "a11y-bad.md"
GOOD = FIXTURES / "a11y-good.md"
CODES = {"a11y-no-alt", "a11y-heading-skip", "a11y-table-no-header", "a11y-link-text", "a11y-contrast"}


def _line_of(path: Path, marker: str) -> int:
    for number, row in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        if marker in row:
            return number
    raise AssertionError(f"{marker!r} is not in {path}")


def a11y(findings) -> list:
    return [f for f in findings if f.code.startswith("a11y-")]


def test_the_bad_fixture_has_each_source_mistake_at_its_line() -> None:
    found = a11y(check_file(BAD, load_theme()))
    got = sorted((f.code, f.line) for f in found)
    assert got == sorted([
        ("a11y-heading-skip", _line_of(BAD, "### A third-level heading")),
        ("a11y-heading-skip", _line_of(BAD, "#### Level four")),
        ("a11y-no-alt", _line_of(BAD, "![](chart.png)")),
        ("a11y-table-no-header", _line_of(BAD, "|     |     |")),
        ("a11y-link-text", _line_of(BAD, "[here]")),
        ("a11y-link-text", _line_of(BAD, "[Click here!]")),
        ("a11y-link-text", _line_of(BAD, "[https://example.org/raw]")),
        ("a11y-link-text", _line_of(BAD, "<https://example.org/auto>")),
        ("a11y-link-text", _line_of(BAD, "[link]")),
        ("a11y-link-text", _line_of(BAD, "[www.example.org]")),
    ])
    assert all(f.severity == "warning" and f.path == str(BAD) for f in found)
    messages = " | ".join(f.message for f in found)
    assert "level 3 first, below the top level 2 the document uses" in messages
    assert "level 4 after level 2" in messages
    assert "“here” to 'https://example.org/report' does not say where it goes" in messages
    assert "“https://example.org/raw” to 'https://example.org/raw' is only its address" in messages


def test_the_good_fixture_and_the_article_have_none() -> None:
    assert a11y(check_file(GOOD, load_theme())) == []
    assert a11y(check_file(ARTICLE, load_theme())) == []


@pytest.mark.parametrize(("markdown", "code"), [
    ("# Top\n\n### Skipped\n", "a11y-heading-skip"),
    ("## Top\n\n## Same\n\n### Down one\n\n## Up two is fine\n", None),
    ("Text [here.](https://example.org) text.\n", "a11y-link-text"),
    ("Text [HERE](https://example.org) text.\n", "a11y-link-text"),
    ("Text [mailto:a@example.org](mailto:a@example.org).\n", "a11y-link-text"),
    ("Text [](https://example.org).\n", "a11y-link-text"),
    ("Text [where to find it is here](https://example.org).\n", None),
    # Not a link in the outputs (link-scheme reports it), so its text is not judged.
    ("Text [here](javascript:alert(1)).\n", None),
    ("| a | b |\n| - | - |\n| 1 | 2 |\n", None),
    ("|   |   |\n| - | - |\n| 1 | 2 |\n", "a11y-table-no-header"),
])
def test_each_rule_on_its_own(markdown: str, code: str | None, tmp_path: Path) -> None:
    source = tmp_path / "x.md"
    source.write_text("---\ntitle: T\n---\n\n" + markdown, encoding="utf-8")
    codes = [f.code for f in a11y(check_file(source, load_theme()))]
    assert codes == ([code] if code else [])


def test_wcag_relative_luminance_and_contrast() -> None:
    assert relative_luminance("#FFFFFF") == pytest.approx(1.0)
    assert relative_luminance("#000000") == 0.0
    assert contrast_ratio("#000000", "#FFFFFF") == pytest.approx(21.0)
    assert contrast_ratio("#FFFFFF", "#000000") == contrast_ratio("#000000", "#FFFFFF")
    # The grey commonly cited as the lightest that passes AA on white, and the one just lighter.
    assert contrast_ratio("#767676", "#FFFFFF") == pytest.approx(4.54, abs=0.01)
    assert contrast_ratio("#777777", "#FFFFFF") == pytest.approx(4.48, abs=0.01)
    # Mid grey: linearised (0.2159), not the naive 0.5.
    assert relative_luminance("#808080") == pytest.approx(0.2159, abs=1e-4)


def _theme(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "theme.toml"
    path.write_text('extends = "default"\n\n' + body, encoding="utf-8")
    return path


def test_the_default_theme_passes() -> None:
    assert list(contrast(load_theme())) == []


def test_a_faint_grey_fails_and_the_aa_grey_passes(tmp_path: Path) -> None:
    faint = load_theme(_theme(tmp_path, '[colors]\nmuted = "#777777"\n'))
    found = list(contrast(faint))
    keys = {f.message.split()[0] for f in found}
    # Every style the default theme sets in `muted`, on the page where it stands.
    assert keys == {"styles.affiliation.color", "styles.image-credit.color", "styles.pullquote-attribution.color",
                    "styles.caption.color", "styles.publisher.color", "styles.footer.color"}
    caption = next(f for f in found if f.message.startswith("styles.caption.color") and "the page" in f.message)
    assert "#777777 on the page (#FFFFFF) has a contrast of 4.48:1, below WCAG AA's 4.5:1" in caption.message
    assert all(f.code == "a11y-contrast" and f.severity == "warning" for f in found)
    tmp2 = tmp_path / "ok"
    tmp2.mkdir()
    # #767676 passes on the white page, not on the tint of the boxes that hold captions and quotes.
    found = list(contrast(load_theme(_theme(tmp2, '[colors]\nmuted = "#767676"\n'))))
    assert {(f.message.split()[0], "tint" in f.message) for f in found} == {
        ("styles.caption.color", True), ("styles.pullquote-attribution.color", True)}


def test_large_text_needs_three_to_one_and_the_finding_names_the_theme_line(tmp_path: Path) -> None:
    # White on #8A8A8A is 3.45:1: enough for the 28 pt bold title, not for the 8.5 pt series line.
    path = _theme(tmp_path, '[colors]\naccent = "#8A8A8A"\n\n[styles.h2]\ncolor = "#8A8A8A"\n')
    found = list(contrast(load_theme(path)))
    where = {(f.message.split()[0], f.message.split(" on ")[1].split(" (")[0]) for f in found}
    assert ("styles.series.color", "the accent band") in where
    assert ("styles.title.color", "the accent band") not in where
    assert ("styles.subtitle.color", "the accent band") in where  # #D6E4F0 on grey, 13 pt
    h2 = [f for f in found if f.message.startswith("styles.h2.color")]
    assert h2 and all(f.path == str(path) for f in h2)
    assert {f.line for f in h2} == {_line_of(path, 'color = "#8A8A8A"')}
    assert "for normal text (12 pt)" in h2[0].message


def test_check_cli_prints_codes_in_text_and_json(tmp_path: Path) -> None:
    theme = _theme(tmp_path, '[colors]\nlink = "#9FB8CC"\n')
    args = [sys.executable, "-m", "briefexport", "check", str(BAD), "--style", str(theme)]
    text = subprocess.run(args, cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert text.returncode == 0, text.stderr  # warnings only
    for code in CODES:
        assert f"[{code}]" in text.stdout
    payload = json.loads(subprocess.run([*args, "--json"], cwd=ROOT, capture_output=True, text=True,
                                        timeout=120).stdout)
    assert {item["code"] for item in payload} >= CODES
    link = [item for item in payload if item["code"] == "a11y-contrast"]
    assert link and all(item["message"].startswith("colors.link #9FB8CC") for item in link)
    assert {item["path"] for item in link} == {str(theme)}
    strict = subprocess.run([*args, "--strict"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert strict.returncode == 1


def test_image_no_alt_is_gone(tmp_path: Path) -> None:
    doc = parse("---\ntitle: T\n---\n\n![](x.png)\n")
    from briefexport.check import check

    codes = {f.code for f in check(doc, load_theme(), base_dir=tmp_path)}
    assert "a11y-no-alt" in codes and "image-no-alt" not in codes
