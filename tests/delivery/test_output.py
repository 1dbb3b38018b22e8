"""File names, timestamps and atomic writes."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest

from briefexport.common.stamps import FIXED_DATE, timestamp
from briefexport.common.names import slugify, stem_for
from briefexport.delivery.output import write_atomic
from briefexport.tree import Meta


def test_slugs() -> None:
    assert slugify("Belarus’ Burgeoning Ties with Russia and China") == "belarus-burgeoning-ties-with-russia-and-china"
    assert slugify("Łódź & Kraków: “quotes” — dashes") == "lodz-krakow-quotes-dashes"
    assert slugify("一带一路") == ""
    assert len(slugify("word " * 100)) <= 80


def test_slugs_turn_dashes_into_hyphens_and_cut_between_words() -> None:
    assert slugify("Sharing the Tigris–Euphrates") == "sharing-the-tigris-euphrates"
    assert slugify("Mekong—Lancang cooperation") == "mekong-lancang-cooperation"
    title = "Three rivers, one climate: water sharing in the Tigris–Euphrates, the Mekong and the Nile basins"
    # 80 characters end after "-and": the slug stops at the last word before it.
    assert slugify(title) == "three-rivers-one-climate-water-sharing-in-the-tigris-euphrates-the-mekong"
    long_word = "x" * 200
    assert slugify(long_word) == "x" * 80
    assert stem_for(Meta(slug="Custom Slug", title="T"), "x.md") == "custom-slug"
    assert stem_for(Meta(title="一带一路"), "dir/My File.md") == "my-file"


def test_timestamp_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert timestamp(Meta()) == FIXED_DATE
    assert timestamp(Meta(date="2022-01-14")) == dt.datetime(2022, 1, 14, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    assert timestamp(Meta(date="2022-01-14")).timestamp() == 1700000000


def test_write_atomic_replaces_whole_files(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "out.bin"
    write_atomic(target, b"first")
    write_atomic(target, b"second")
    assert target.read_bytes() == b"second"
    assert sorted(os.listdir(target.parent)) == ["out.bin"]  # no temporary files left


def test_write_atomic_failure_keeps_the_old_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bin"
    target.write_bytes(b"good")

    with pytest.raises(TypeError):
        write_atomic(target, "not bytes")  # type: ignore[arg-type]
    assert target.read_bytes() == b"good"
    assert sorted(os.listdir(tmp_path)) == ["out.bin"]
