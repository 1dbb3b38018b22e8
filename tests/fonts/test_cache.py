"""Font names and character maps, read once and then from the disk cache."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from briefexport.fonts import cache as fontcache, faces as fonts

from conftest import ROOT


@pytest.fixture()
def font_copy(tmp_path: Path, theme, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private copy of the body font and an empty cache folder."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    fontcache.facts.cache_clear()
    target = tmp_path / "Body.ttf"
    shutil.copyfile(fonts.face_file(theme.fonts.chain("body")[0].regular), target)
    yield target
    fontcache.facts.cache_clear()


def cached_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache").rglob("*.json"))


def test_facts_match_what_fonttools_reads(font_copy: Path) -> None:
    found = fontcache.facts(font_copy)
    font = TTFont(str(font_copy))
    cmap = font.getBestCmap()
    assert found.codepoints == {c for c, g in cmap.items() if g != ".notdef"}
    assert found.codepoints | found.notdef_codepoints == set(cmap)
    assert found.family == font["name"].getDebugName(1).strip()
    assert found.word_family == (font["name"].getDebugName(16) or font["name"].getDebugName(1))


def test_a_second_read_comes_from_the_cache(font_copy: Path, tmp_path: Path) -> None:
    first = fontcache.facts(font_copy)
    assert len(cached_files(tmp_path)) == 1
    fontcache.facts.cache_clear()
    assert fontcache.facts(font_copy) == first


def test_a_damaged_entry_is_read_again(font_copy: Path, tmp_path: Path) -> None:
    first = fontcache.facts(font_copy)
    (entry,) = cached_files(tmp_path)
    entry.write_text('{"family": "Wrong"', encoding="utf-8")
    fontcache.facts.cache_clear()
    assert fontcache.facts(font_copy) == first
    assert '"family":"Wrong"' not in entry.read_text(encoding="utf-8")


def test_a_changed_file_gets_a_new_entry(font_copy: Path, tmp_path: Path) -> None:
    fontcache.facts(font_copy)
    stat = font_copy.stat()
    os.utime(font_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    fontcache.facts.cache_clear()
    fontcache.facts(font_copy)
    assert len(cached_files(tmp_path)) == 2


def test_a_warm_process_does_not_import_fonttools(tmp_path: Path) -> None:
    code = (
        "import sys, briefexport\n"
        "from briefexport.fonts import faces as fonts\n"
        "theme = briefexport.load_theme()\n"
        "faces = [f for role in ('body', 'heading', 'mono') for fam in theme.fonts.chain(role)"
        " for f in fonts.family_faces(fam).values()]\n"
        "info = [(fonts.face_info(f).family_name, len(fonts.face_info(f).codepoints)) for f in faces]\n"
        "print(info, 'fontTools' in sys.modules)\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def once() -> str:
        return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                              cwd=ROOT, env=env).stdout.strip()

    cold, warm = once(), once()
    assert cold.endswith(" True") and warm.endswith(" False")
    assert cold.removesuffix(" True") == warm.removesuffix(" False")


def test_remember_computes_once_per_file_version(font_copy: Path, tmp_path: Path) -> None:
    calls: list[int] = []

    def compute() -> str:
        calls.append(1)
        return f"answer {len(calls)}"

    assert fontcache.remember("probe", font_copy, compute) == "answer 1"
    fontcache._remembered.clear()  # as a new process: only the disk entry is left
    assert fontcache.remember("probe", font_copy, compute) == "answer 1"
    assert len(calls) == 1
    stat = font_copy.stat()
    os.utime(font_copy, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    fontcache._remembered.clear()
    assert fontcache.remember("probe", font_copy, compute) == "answer 2"  # the file changed: asked again


def test_an_instance_answers_like_its_variable_font(theme) -> None:
    # face_info reads a variable face's facts from the variable file, without
    # cutting the instance; that holds because cutting keeps the typographic
    # family name and the cmap.
    variable = [f for fam in theme.fonts.chain("mono") for f in fonts.family_faces(fam).values() if f.variations]
    assert variable  # the default theme's mono faces are instances of Source Code Pro
    for face in variable:
        cut, whole = fontcache._read(fonts.face_file(face), 0), fontcache._read(face.path, 0)
        # What face_info takes from the file; the style name, widths and OS/2 values do differ.
        for name in ("word_family", "codepoints", "notdef_codepoints"):
            assert getattr(cut, name) == getattr(whole, name), name
