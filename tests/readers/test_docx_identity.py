"""The DOCX round trip is lossless for what the DOCX can hold.

For the article, every fixture, pandoc's documents and the 655 CommonMark
examples: render the DOCX, read it back, and the tree equals the source's
normalised tree (`transforms.docx_roundtrip` lists what the DOCX cannot
hold); the Markdown writer's output parses back to the same tree and
renders the same PDF bytes.  A LibreOffice round trip (which rewrites
styles, numbering and fields) reads back to the same tree too.
"""

from __future__ import annotations

import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

from briefexport import render
from briefexport.backends.markdown import write
from briefexport.errors import BriefExportWarning, RenderError
from briefexport.readers.docx import read_docx
from briefexport.readers.markdown import parse, parse_file
from briefexport.transforms.docx_roundtrip import normalise
from briefexport.tree import dump
from conftest import ARTICLE, CORPUS, FIXTURES, require_tool

DOCUMENTS = [
    ARTICLE,
    FIXTURES / "docx-features.md",
    FIXTURES / "constructs.md",
    *sorted((FIXTURES / "onepager").glob("*.md")),
    *sorted(p for p in (FIXTURES / "glyphs").glob("*.md") if p.name != "bad.md"),  # bad.md: a missing image
    CORPUS / "pandoc-testsuite.md",
    CORPUS / "pandoc-pipe-tables.md",
    CORPUS / "pandoc-manual.md",
]


@pytest.fixture(scope="module")
def sources(tmp_path_factory) -> dict[str, Path]:
    """The documents in one folder with the images they show (constructs.md's is in the corpus)."""
    folder = tmp_path_factory.mktemp("sources")
    for asset in ("lalune.jpg", "movie.jpg"):
        shutil.copy(CORPUS / asset, folder / asset)
    for image in FIXTURES.glob("*.png"):
        shutil.copy(image, folder / image.name)
    for image in (FIXTURES / "glyphs").glob("*.png"):
        shutil.copy(image, folder / image.name)
    out = {}
    for path in DOCUMENTS:
        copy = folder / f"{path.parent.name}-{path.name}"
        shutil.copy(path, copy)
        out[path.name] = copy
    return out


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefExportWarning)
        return func(*args, **kwargs)


def _read(data: bytes, tmp: Path):
    path = tmp / "doc.docx"
    path.write_bytes(data)
    return _quiet(read_docx, path).doc


def _same(expected, actual) -> None:
    if expected.blocks != actual.blocks:
        import difflib

        diff = "\n".join(difflib.unified_diff(dump(expected).splitlines(), dump(actual).splitlines(),
                                              "normalised source", "read back", lineterm="", n=2))
        pytest.fail("trees differ:\n" + diff[:4000])
    assert expected.meta == actual.meta


@pytest.mark.parametrize("name", [p.name for p in DOCUMENTS])
def test_docx_reads_back_to_the_same_tree_and_the_same_pdf(name, sources, theme, tmp_path):
    source = sources[name]
    doc = _quiet(parse_file, source)
    expected = normalise(doc)
    docx_bytes = _quiet(render, doc, "docx", theme, base_dir=source.parent)
    imported = normalise(_read(docx_bytes, tmp_path))
    _same(expected, imported)
    markdown = write(imported)
    again = _quiet(parse, markdown, source=str(source))
    _same(expected, normalise(again))
    if name != "pandoc-manual.md":  # 8,000 lines: the tree check above is enough, the PDF takes seconds
        want = _quiet(render, expected, "pdf", theme, base_dir=source.parent)
        got = _quiet(render, again, "pdf", theme, base_dir=source.parent)
        assert want == got, "the written Markdown renders another PDF"


def test_every_commonmark_example_round_trips(commonmark_examples, theme, tmp_path):
    """In one process: render, read back, write Markdown, parse again; equal trees each time."""
    failures, refused = [], []
    for example in commonmark_examples:
        doc = _quiet(parse, example["markdown"])
        expected = normalise(doc)
        try:
            data = _quiet(render, doc, "docx", theme, base_dir=CORPUS)
        except RenderError:
            refused.append(example["example"])  # an image file the example names does not exist
            continue
        imported = normalise(_read(data, tmp_path))
        again = normalise(_quiet(parse, write(imported)))
        if imported != expected or again != expected:
            failures.append(example["example"])
    assert not failures, f"examples that do not round-trip: {failures}"
    # Only examples with an image (which the DOCX must embed) are refused.
    assert all("![" in commonmark_examples[n - 1]["markdown"] or "<img" in commonmark_examples[n - 1]["markdown"]
               for n in refused), refused
    assert len(refused) < 25


def test_libreoffice_round_trip_reads_back_the_same(sources, theme, tmp_path):
    """LibreOffice renames styles, renumbers lists, turns links into fields: the same tree comes back."""
    soffice = require_tool("soffice")
    names = [ARTICLE.name, "docx-features.md", "pandoc-testsuite.md", "pandoc-pipe-tables.md"]
    inputs = []
    for name in names:
        doc = _quiet(parse_file, sources[name])
        path = tmp_path / (Path(name).stem + ".docx")
        path.write_bytes(_quiet(render, doc, "docx", theme, base_dir=sources[name].parent))
        inputs.append((name, doc, path))
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx", "--outdir", str(out), *(str(p) for _n, _d, p in inputs)],
                   check=True, capture_output=True, timeout=180)
    for name, doc, path in inputs:
        saved = out / path.name
        assert saved.read_bytes() != path.read_bytes()
        _same(normalise(doc), normalise(_quiet(read_docx, saved).doc))
