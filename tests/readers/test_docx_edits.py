"""An editor's changes, made with python-docx and in raw WordprocessingML, come back as Markdown.

Each test renders a source to DOCX, edits the DOCX the way Word or
LibreOffice would store the edit, and checks `briefexport import` (the
Python side: `read_docx` and `roundtrip.merge`) against the expected Markdown.
"""

from __future__ import annotations

import copy
import io
import os
import shutil
import warnings
import zipfile
from pathlib import Path

import docx
import pytest
from lxml import etree

from briefexport import render
from briefexport.errors import BriefExportWarning, ParseError
from briefexport.readers.docx import read_docx
from briefexport.readers.markdown import parse_file
from briefexport.roundtrip import markdown_of, merge, unified_diff
from conftest import ARTICLE, FIXTURES

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
ALICE = {f"{{{W}}}author": "Alice Editor", f"{{{W}}}date": "2026-01-05T10:00:00Z"}
BOB = {f"{{{W}}}author": "Bob Reviewer", f"{{{W}}}date": "2026-01-06T11:00:00Z"}


def w(tag: str) -> str:
    return f"{{{W}}}{tag}"


@pytest.fixture()
def features(tmp_path, theme) -> tuple[Path, Path]:
    source = tmp_path / "features.md"
    shutil.copy(FIXTURES / "docx-features.md", source)
    shutil.copy(FIXTURES / "chart.png", tmp_path / "chart.png")
    out = tmp_path / "features.docx"
    out.write_bytes(_quiet(render, parse_file(source), "docx", theme, base_dir=tmp_path))
    return source, out


@pytest.fixture()
def article(tmp_path, theme) -> tuple[Path, Path]:
    source = tmp_path / "article.md"
    shutil.copy(ARTICLE, source)
    out = tmp_path / "article.docx"
    out.write_bytes(_quiet(render, parse_file(source), "docx", theme, base_dir=tmp_path))
    return source, out


def _quiet(func, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BriefExportWarning)
        return func(*args, **kwargs)


def _edit_xml(path: Path, part: str, edit) -> None:
    """Rewrite one part of the DOCX zip through `edit(root)`."""
    with zipfile.ZipFile(path) as z:
        items = [(info, z.read(info.filename)) for info in z.infolist()]
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == part:
                root = etree.fromstring(data)
                edit(root)
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            out.writestr(info, data)
    path.write_bytes(buf.getvalue())


def _para(root, starts: str):
    for p in root.iter(w("p")):
        if "".join(t.text or "" for t in p.iter(w("t"))).startswith(starts):
            return p
    raise AssertionError(f"no paragraph starts with {starts!r}")


def _run(text: str, tag: str = "t") -> etree._Element:
    r = etree.Element(w("r"))
    t = etree.SubElement(r, w(tag))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return r


def _merged(source: Path, edited: Path, changes: str = "keep") -> tuple[str, str]:
    imported = _quiet(read_docx, edited, changes=changes)
    before = source.read_text(encoding="utf-8")
    return before, merge(before, str(source), imported.doc, imported.digest)


def _changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    diff = unified_diff(before, after, "x").splitlines()
    removed = [d[1:] for d in diff if d.startswith("-") and not d.startswith("---")]
    added = [d[1:] for d in diff if d.startswith("+") and not d.startswith("+++")]
    return removed, added


@pytest.mark.parametrize("name", ["features", "article", "pandoc-testsuite"])
def test_untouched_docx_merges_to_the_identical_source(name, features, article, tmp_path, theme):
    """Byte for byte: setext headings, blank lines, footnote definitions, front matter as written."""
    if name == "pandoc-testsuite":
        from conftest import CORPUS

        source = tmp_path / "testsuite.md"
        shutil.copy(CORPUS / "pandoc-testsuite.md", source)
        for asset in ("lalune.jpg", "movie.jpg"):
            shutil.copy(CORPUS / asset, tmp_path / asset)
        edited = tmp_path / "testsuite.docx"
        edited.write_bytes(_quiet(render, _quiet(parse_file, source), "docx", theme, base_dir=tmp_path))
    else:
        source, edited = features if name == "features" else article
    before, after = _merged(source, edited)
    assert after == before


def test_changed_sentence_with_python_docx(article):
    source, edited = article
    d = docx.Document(str(edited))
    p = next(p for p in d.paragraphs if p.text == "This is a scenario that has played out before.")
    p.runs[0].text = "This scenario has played out twice before."
    d.save(str(edited))
    before, after = _merged(source, edited)
    removed, added = _changed_lines(before, after)
    assert removed == ["This is a scenario that has played out before."]
    assert added == ["This scenario has played out twice before."]


def test_new_body_text_paragraph_and_a_deleted_list_item(features):
    source, edited = features
    d = docx.Document(str(edited))
    anchor = next(p for p in d.paragraphs if p.text.startswith("Another list"))
    new = copy.deepcopy(anchor._p)
    anchor._p.addprevious(new)
    for t in new.iter(w("t")):
        t.text = ""
    next(new.iter(w("t"))).text = "A paragraph the editor added."
    third = next(p for p in d.paragraphs if p.text == "Third step")
    third._p.getparent().remove(third._p)
    d.save(str(edited))
    assert d.paragraphs[[p.text for p in d.paragraphs].index("A paragraph the editor added.")].style.name == "Body Text"
    before, after = _merged(source, edited)
    removed, added = _changed_lines(before, after)
    assert "3. Third step" in removed
    assert "A paragraph the editor added." in added
    assert "Another list, starting at seven:" in after and "Third step" not in after
    # The rest of the list keeps its spelling.
    assert "1. First step\n2. Second step, with sub-steps:" in after


def test_tracked_insertion_and_deletion_by_two_authors(article):
    source, edited = article

    def edit(root):
        p = _para(root, "This is a scenario")
        run = p.find(w("r"))
        run.find(w("t")).text = "This is a scenario that has played out "
        ins = etree.SubElement(p, w("ins"), {**ALICE, w("id"): "101"})
        ins.append(_run("twice "))
        p.append(_run("before."))
        q = _para(root, "Fundamentally, Russia")
        first = q.find(w("r"))
        first.find(w("t")).text = first.find(w("t")).text.replace("clearly ", "", 1)
        text = first.find(w("t")).text
        cut = text.index("behind")
        first.find(w("t")).text = text[:cut]
        dele = etree.Element(w("del"), {**BOB, w("id"): "102"})
        dele.append(_run("clearly ", "delText"))
        first.addnext(dele)
        dele.addnext(_run(text[cut:]))

    _edit_xml(edited, "word/document.xml", edit)
    imported = _quiet(read_docx, edited)
    kinds = {(c.kind, c.author, c.text) for c in imported.changes}
    assert kinds == {("insertion", "Alice Editor", "twice "), ("deletion", "Bob Reviewer", "clearly ")}
    before, kept = _merged(source, edited)
    assert "This is a scenario that has played out {++twice ++}before." in kept
    assert "Russia is {--clearly --}behind" in kept
    _, accepted = _merged(source, edited, "accept")
    removed, added = _changed_lines(before, accepted)
    assert added[0] == "This is a scenario that has played out twice before."
    assert added[1].startswith("Fundamentally, Russia is behind Lukashenko’s rigid stance") and len(added) == 2
    assert [r.replace("clearly ", "", 1) for r in removed] == added[1:] or removed[1].replace("clearly ", "") == added[1]
    _, rejected = _merged(source, edited, "reject")
    assert rejected == before


def test_a_comment_with_python_docx(article):
    source, edited = article
    d = docx.Document(str(edited))
    p = next(p for p in d.paragraphs if p.text == "This is a scenario that has played out before.")
    d.add_comment(p.runs, text="Which scenario?", author="Alice Editor", initials="AE")
    d.save(str(edited))
    imported = _quiet(read_docx, edited)
    [comment] = imported.changes
    assert (comment.kind, comment.author, comment.text) == ("comment", "Alice Editor", "Which scenario?")
    text = markdown_of(imported)
    assert "This is a scenario that has played out before.{>>Which scenario?<<}" in text
    assert text.splitlines()[comment.line - 1].startswith("This is a scenario")


def test_a_moved_paragraph(article):
    source, edited = article

    def edit(root):
        p = _para(root, "This is a scenario")
        target = _para(root, "Fundamentally, Russia")
        moved = copy.deepcopy(p)
        for r in list(p.findall(w("r"))):
            r.find(w("t")).tag = w("delText")
            frm = etree.Element(w("moveFrom"), {**ALICE, w("id"): "201", w("name"): "move1"})
            r.addprevious(frm)
            frm.append(r)
        mark = etree.SubElement(etree.SubElement(p.find(w("pPr")), w("rPr")), w("moveFrom"), {**ALICE, w("id"): "202"})
        assert mark is not None
        for r in list(moved.findall(w("r"))):
            to = etree.Element(w("moveTo"), {**ALICE, w("id"): "203", w("name"): "move1"})
            r.addprevious(to)
            to.append(r)
        target.addnext(moved)

    _edit_xml(edited, "word/document.xml", edit)
    kinds = sorted(c.kind for c in _quiet(read_docx, edited).changes)
    assert kinds == ["move-from", "move-to"]
    before, kept = _merged(source, edited)
    assert "{--This is a scenario that has played out before.--}" in kept
    assert "{++This is a scenario that has played out before.++}" in kept
    _, accepted = _merged(source, edited, "accept")
    lines = [line for line in accepted.split("\n\n")]
    assert lines.count("This is a scenario that has played out before.") == 1
    assert lines.index("This is a scenario that has played out before.") > \
        next(i for i, x in enumerate(lines) if x.startswith("Fundamentally, Russia"))


def test_a_new_footnote_and_changes_inside_notes_and_tables(features):
    source, edited = features

    def edit_body(root):
        p = _para(root, "See ")
        ref = etree.SubElement(p, w("r"))
        etree.SubElement(etree.SubElement(ref, w("rPr")), w("rStyle"), {w("val"): "FootnoteReference"})
        etree.SubElement(ref, w("footnoteReference"), {w("id"): "50"})
        cell = _para(root, "Region 3")
        ins = etree.SubElement(cell, w("ins"), {**BOB, w("id"): "301"})
        ins.append(_run(" (revised)"))

    def edit_notes(root):
        note = etree.SubElement(root, w("footnote"), {w("id"): "50"})
        p = etree.SubElement(note, w("p"))
        etree.SubElement(etree.SubElement(p, w("pPr")), w("pStyle"), {w("val"): "FootnoteText"})
        p.append(_run("A note the editor added."))
        second = _para(root, " The second note") if False else None
        for fn in root.iter(w("footnote")):
            if fn.get(w("id")) == "2":
                para = fn.find(w("p"))
                ins = etree.SubElement(para, w("ins"), {**ALICE, w("id"): "302"})
                ins.append(_run(" Checked."))
        assert second is None

    _edit_xml(edited, "word/document.xml", edit_body)
    _edit_xml(edited, "word/footnotes.xml", edit_notes)
    imported = _quiet(read_docx, edited)
    wheres = {(c.kind, c.text, c.where) for c in imported.changes}
    assert ("insertion", " Checked.", "footnote 2") in wheres
    assert ("insertion", " (revised)", "table") in wheres
    before, after = _merged(source, edited, "accept")
    removed, added = _changed_lines(before, after)
    assert "[^second]: The second note. Checked." in added
    assert "[^1]: A note the editor added." in added
    assert any(line.endswith("[^1]") for line in added)
    assert "| 2003 | Region 3 (revised) | 111 |" in after
    assert after.count("[^first]:") == 1


def test_foreign_style_and_direct_formatting_are_named_never_dropped(article):
    source, edited = article
    d = docx.Document(str(edited))
    d.styles.add_style("Heading 4 Custom", docx.enum.style.WD_STYLE_TYPE.PARAGRAPH)
    p = next(p for p in d.paragraphs if p.text == "This is a scenario that has played out before.")
    p.style = d.styles["Heading 4 Custom"]
    q = next(p for p in d.paragraphs if p.text.startswith("Fundamentally"))
    q.runs[0].font.color.rgb = docx.shared.RGBColor(0xFF, 0, 0)
    d.save(str(edited))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        imported = read_docx(edited)
    messages = [str(c.message) for c in caught]
    assert any('style "Heading 4 Custom" is not a briefexport style; kept as a paragraph' in m
               and '("This is a scenario' in m for m in messages), messages
    assert any("direct formatting (colour)" in m and "Fundamentally" in m for m in messages), messages
    text = markdown_of(imported)
    assert "This is a scenario that has played out before." in text
    assert "Fundamentally, Russia is clearly behind" in text


def test_a_docx_briefexport_did_not_write(tmp_path):
    d = docx.Document()
    d.add_heading("A plain report", 1)
    d.add_paragraph("Some text with ").add_run("bold").bold = True
    d.add_paragraph("first point", style="List Bullet")
    d.add_paragraph("second point", style="List Bullet")
    table = d.add_table(rows=2, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "a", "b"
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "2"
    path = tmp_path / "plain.docx"
    d.save(str(path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        imported = read_docx(path)
    assert any("not written by briefexport" in str(c.message) for c in caught)
    text = markdown_of(imported)
    assert "Some text with **bold**" in text
    assert "- first point\n- second point" in text
    assert "| a | b |" in text and "| 1 | 2 |" in text


@pytest.mark.parametrize("content, message", [
    (b"PK\x03\x04 not really a zip", "not a DOCX"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "old Word .doc file"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + "EncryptionInfo".encode("utf-16-le") + b"\0" * 600, "password-protected"),
    (b"", "not a DOCX"),
])
def test_bad_files_are_one_clear_error(tmp_path, content, message):
    path = tmp_path / "bad.docx"
    path.write_bytes(content)
    with pytest.raises(ParseError, match=message) as info:
        read_docx(path)
    assert "\n" not in str(info.value) and str(info.value).startswith(str(path))


def test_a_zip_that_is_not_a_word_document(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ParseError, match="not a Word document"):
        read_docx(path)


def test_three_tracked_sentences_and_a_comment_saved_by_libreoffice(article, tmp_path):
    """The issue's "done when": edits with track changes on, saved in LibreOffice, come back exactly."""
    import subprocess

    from conftest import require_tool

    soffice = require_tool("soffice")
    source, edited = article
    d = docx.Document(str(edited))
    d.add_comment([next(p for p in d.paragraphs if p.text.startswith("This is a scenario")).runs[0]],
                  text="Is this still true?", author="Alice Editor", initials="AE")
    d.save(str(edited))
    edits = [("This is a scenario", "played out", "happened", ALICE),
             ("Timely as it was", "essential", "decisive", BOB),
             ("In a similar vein", "enhance", "deepen", ALICE)]

    def edit(root):
        for starts, old, new, who in edits:
            p = _para(root, starts)
            run = next(r for r in p.findall(w("r")) if old in (r.findtext(w("t")) or ""))
            text = run.findtext(w("t"))
            head, tail = text.split(old, 1)
            run.find(w("t")).text = head
            dele = etree.Element(w("del"), {**who, w("id"): str(hash(old) % 10000)})
            dele.append(_run(old, "delText"))
            ins = etree.Element(w("ins"), {**who, w("id"): str(hash(new) % 10000)})
            ins.append(_run(new))
            run.addnext(dele)
            dele.addnext(ins)
            ins.addnext(_run(tail))

    _edit_xml(edited, "word/document.xml", edit)
    out = tmp_path / "lo"
    subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "docx", "--outdir", str(out), str(edited)], check=True, capture_output=True,
                   timeout=120)
    saved = out / edited.name
    before, kept = _merged(source, saved)
    removed, added = _changed_lines(before, kept)
    assert len(removed) == len(added) == 3
    assert "{~~played out~>happened~~}" in added[0] and "{>>Is this still true?<<}" in added[0]
    assert "{~~essential~>decisive~~}" in added[1] and "{~~enhance~>deepen~~}" in added[2]
    for (starts, old, new, _who), line_before, line_after in zip(edits, removed, added):
        assert line_before.startswith(starts)
    _, accepted = _merged(source, saved, "accept")
    removed, added = _changed_lines(before, accepted)
    assert [r.replace(old, new, 1) for r, (_s, old, new, _w) in zip(removed, edits)] == added
    imported = _quiet(read_docx, saved)
    assert sorted((c.kind, c.author) for c in imported.changes) == sorted(
        [("comment", "Alice Editor")] + [(k, who[f"{{{W}}}author"]) for _s, _o, _n, who in edits
                                         for k in ("deletion", "insertion")])


def test_a_tracked_deletion_of_a_whole_list_item(features):
    """Word marks the runs and the paragraph mark deleted: accepted, the item is gone."""
    source, edited = features

    def edit(root):
        p = _para(root, "Third step")
        for r in list(p.findall(w("r"))):
            r.find(w("t")).tag = w("delText")
            dele = etree.Element(w("del"), {**BOB, w("id"): "401"})
            r.addprevious(dele)
            dele.append(r)
        rpr = etree.SubElement(p.find(w("pPr")), w("rPr"))
        etree.SubElement(rpr, w("del"), {**BOB, w("id"): "402"})

    _edit_xml(edited, "word/document.xml", edit)
    before, kept = _merged(source, edited)
    assert "3. {--Third step--}" in kept
    _, accepted = _merged(source, edited, "accept")
    removed, added = _changed_lines(before, accepted)
    # The list is rewritten (as a tight list: the DOCX does not keep the blank lines between items).
    assert "3. Third step" in removed and "Third step" not in accepted
    assert all(line.strip() in ("1. sub-step one", "2. sub-step two") for line in added if line.strip())
    _, rejected = _merged(source, edited, "reject")
    assert rejected == before


def test_every_word_of_body_and_notes_is_in_the_markdown(features):
    """Nothing is dropped silently: each word of the document and its footnotes is in the Markdown."""
    import re

    _source, edited = features
    d = docx.Document(str(edited))
    d.add_paragraph("An unstyled paragraph the editor typed.", style="Normal")
    d.save(str(edited))
    with zipfile.ZipFile(edited) as z:
        text = " ".join(t.text or "" for part in ("word/document.xml", "word/footnotes.xml")
                        for t in etree.fromstring(z.read(part)).iter(w("t")))
    # Written by briefexport, not the source: labels, and the date as shown ("14 January 2022" is
    # `date: 2022-01-14` in the front matter).
    generated = {"Key", "takeaways", "About", "the", "author", "authors", "Figure", "Table", "1", "14", "January",
                 "Cite", "as"}  # and the back matter's "Cite as: ..." line
    words = set(re.findall(r"\w+", text)) - generated
    markdown = markdown_of(_quiet(read_docx, edited))
    missing = sorted(x for x in words if x not in markdown)
    assert missing == []


def test_a_source_with_citations_keeps_them(tmp_path, theme):
    """Citations read back as their formatted text; the merge keeps `[@key]` and adds no bibliography."""
    folder = FIXTURES / "citations"
    source = tmp_path / "brief.md"
    shutil.copy(folder / "brief.md", source)
    shutil.copy(folder / "chart.png", tmp_path / "chart.png")
    library = (str(folder / "library"),)
    doc = _quiet(parse_file, source, resource_path=library)
    edited = tmp_path / "brief.docx"
    edited.write_bytes(_quiet(render, doc, "docx", theme, base_dir=tmp_path))
    before = source.read_text(encoding="utf-8")
    unedited = _quiet(read_docx, edited)
    assert merge(before, str(source), unedited.doc, unedited.digest, resource_path=library) == before
    d = docx.Document(str(edited))
    p = next(p for p in d.paragraphs if p.text.startswith("Trade with China grew"))
    for run in p.runs:
        if "Potash moved east" in run.text:
            run.text = run.text.replace("Potash moved east", "Potash moved further east")
    d.save(str(edited))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        imported = read_docx(edited)
    assert any("bibliography entries are made from the citations" in str(c.message) for c in caught)
    after = merge(before, str(source), imported.doc, imported.digest, resource_path=library)
    assert "Belarus has long been called Europe's last dictatorship [@wilson2021, 23]." in after
    assert "International Monetary Fund" not in after  # the bibliography stays generated
    removed, added = _changed_lines(before, after)
    assert removed and all("@" in line or "Potash" in line or "Trade" in line for line in removed)
    assert any("Potash moved further east" in line for line in added)


def test_html_comments_and_unrendered_keys_stay_in_the_source(tmp_path, theme):
    """What the DOCX cannot show (a comment, an unknown front-matter key, `slug`) survives an edit."""
    source = tmp_path / "brief.md"
    source.write_text("---\ntitle: A brief\nslug: my-brief\nreviewer: Jo  # internal\n---\n\n"
                      "<!-- check the figures with Jo -->\nThe first paragraph.\n\nThe second paragraph.\n"
                      "<!-- a note about the second -->\n", encoding="utf-8")
    edited = tmp_path / "brief.docx"
    edited.write_bytes(_quiet(render, _quiet(parse_file, source), "docx", theme, base_dir=tmp_path))
    d = docx.Document(str(edited))
    p = next(p for p in d.paragraphs if p.text == "The second paragraph.")
    p.runs[0].text = "The second paragraph, edited."
    t = next(p for p in d.tables[0].cell(0, 0).paragraphs if p.text == "A brief")  # in the title band
    t.runs[0].text = "A better brief"
    d.save(str(edited))
    before, after = _merged(source, edited)
    removed, added = _changed_lines(before, after)
    assert removed == ["title: A brief", "The second paragraph."]
    assert added == ["title: A better brief", "The second paragraph, edited."]
    assert "slug: my-brief\nreviewer: Jo  # internal\n" in after
    assert "<!-- check the figures with Jo -->" in after and "<!-- a note about the second -->" in after


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_or_a_folder_named_as_the_docx_is_one_clear_error(tmp_path):
    """Read as the Markdown source is: a FIFO used to hang the import, and a folder
    (which opens on Linux) is named as one."""
    fifo = tmp_path / "pipe.docx"
    os.mkfifo(fifo)
    for path, message in ((fifo, "is not a regular file"), (tmp_path, "is a folder, not a DOCX file"),
                          (tmp_path / "gone.docx", "no such file")):
        with pytest.raises(ParseError, match=message) as info:
            read_docx(path)
        assert str(info.value).startswith(str(path))
