"""Reproducible zips: the parts handed over once give the bytes a save-then-rewrite gives."""

from __future__ import annotations

import datetime as dt
import io
import warnings
import zipfile

import docx
from pptx import Presentation

from briefexport.backends.brief_docx.build import _package_entries as docx_entries
from briefexport.backends.onepager.pptx import _package_entries as pptx_entries
from briefexport.common.stamps import zip_entries

WHEN = dt.datetime(2023, 11, 14, 22, 13, 20, tzinfo=dt.timezone.utc)


def reproducible_zip(data: bytes, when: dt.datetime) -> bytes:
    """The way outputs were made before `ZipEntries`: the library's saved zip, every entry
    read back and written again dated `when` (the reference the new way must equal)."""
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        return zip_entries({name: source.read(name) for name in source.namelist()}, when)


def test_a_docx_zipped_once_equals_the_saved_and_rewritten_one() -> None:
    document = docx.Document()
    document.add_paragraph("Minsk in Distress")
    saved = io.BytesIO()
    document.save(saved)
    assert zip_entries(docx_entries(document), WHEN) == reproducible_zip(saved.getvalue(), WHEN)


def test_a_pptx_zipped_once_equals_the_saved_and_rewritten_one() -> None:
    prs = Presentation()
    prs.slides.add_slide(prs.slide_layouts[0]).shapes.title.text = "Belarus"
    saved = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        prs.save(saved)
    assert zip_entries(pptx_entries(prs), WHEN) == reproducible_zip(saved.getvalue(), WHEN)


def test_entries_are_dated_and_ordered() -> None:
    data = zip_entries({"word/document.xml": b"<d/>", "[Content_Types].xml": b"<t/>", "a.xml": b"<a/>"}, WHEN)
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert z.namelist() == ["[Content_Types].xml", "word/document.xml", "a.xml"]
        assert {i.date_time for i in z.infolist()} == {(2023, 11, 14, 22, 13, 20)}
