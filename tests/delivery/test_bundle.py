"""Sizes and the attachment budget, through `render` as a user runs it."""

from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from briefexport.cli import main
from briefexport.delivery.output import human_size
from conftest import ARTICLE

STEM = "belarus-burgeoning-ties-with-russia-and-china"


def _render(tmp_path: Path, *extra: str):
    return CliRunner().invoke(main, ["render", str(ARTICLE), "-f", "json", "-d", str(tmp_path / "build"), *extra])


def test_render_prints_each_size(tmp_path: Path) -> None:
    result = _render(tmp_path)
    assert result.exit_code == 0, result.output
    output = tmp_path / "build" / f"{STEM}.json"
    assert f"{output} ({human_size(output.stat().st_size)})" in result.stdout.splitlines()
    assert result.stderr == ""


def test_over_budget_is_a_warning(tmp_path: Path) -> None:
    result = _render(tmp_path, "--max-attachment-size", "1kB")
    assert result.exit_code == 0, result.output
    warnings = [line for line in result.stderr.splitlines() if line.startswith("warning: ")]
    assert len(warnings) == 1
    assert "over the 1.0 kB attachment budget" in warnings[0]
    assert f"{STEM}.json" in warnings[0]
    assert (tmp_path / "build" / f"{STEM}.json").exists()


def test_over_budget_with_strict_is_an_error_and_writes_nothing(tmp_path: Path) -> None:
    result = _render(tmp_path, "--max-attachment-size", "1kB", "--strict")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("Error: ")
    assert "attachment budget" in result.stderr
    assert not (tmp_path / "build").exists()


def test_within_budget_with_strict_passes(tmp_path: Path) -> None:
    result = _render(tmp_path, "--max-attachment-size", "1MB", "--strict")
    assert result.exit_code == 0, result.output
    assert result.stderr == ""


def test_theme_sets_the_budget(tmp_path: Path) -> None:
    theme = tmp_path / "small.toml"
    theme.write_text('extends = "default"\n\n[output]\nmax-attachment-size = "2kB"\n', encoding="utf-8")
    result = _render(tmp_path, "--style", str(theme))
    assert "over the 2.0 kB attachment budget" in result.stderr
    # The option wins over the theme.
    result = _render(tmp_path, "--style", str(theme), "--max-attachment-size", "5MB")
    assert result.stderr == ""


def test_bad_budget_is_a_usage_error(tmp_path: Path) -> None:
    result = _render(tmp_path, "--max-attachment-size", "lots")
    assert result.exit_code == 2
    assert "'lots' is not a size" in result.stderr
