"""Citations formatted by pandoc's citeproc: Chicago notes, APA, and the hard cases.

One engine run per style for the fixture brief (module-scoped), a few small
documents for errors and edge cases.
"""

from __future__ import annotations

import dataclasses
import re
import warnings
from pathlib import Path

import pytest

from briefexport import load_theme
from briefexport.errors import BriefExportWarning
from briefexport.readers.markdown import parse, parse_file
from briefexport.transforms.citations import CitationError
from briefexport.transforms.strip import strip_citations
from briefexport.transforms.prepare import prepare, split_bibliography
from briefexport.tree import Cite, Div, Heading, Link, Note, Span, inline_text, plain_text, walk

from conftest import FIXTURES

BRIEF = FIXTURES / "citations" / "brief.md"
LIBRARY = FIXTURES / "citations" / "library"


def with_style(doc, csl: str):
    citations = dataclasses.replace(doc.meta.citations, csl=csl)
    return dataclasses.replace(doc, meta=dataclasses.replace(doc.meta, citations=citations))


def resolved(csl: str = ""):
    doc = parse_file(BRIEF, resource_path=[LIBRARY])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", BriefExportWarning)
        out = prepare(with_style(doc, csl) if csl else doc, load_theme())
    return out, [str(w.message) for w in caught]


@pytest.fixture(scope="module")
def chicago():
    return resolved()


@pytest.fixture(scope="module")
def apa():
    return resolved("apa")


def notes(doc) -> list[str]:
    return [" ".join(plain_text(n).split()) for n in walk(doc) if isinstance(n, Note)]


def entries(doc) -> dict[str, str]:
    _body, _heading, refs = split_bibliography(doc.blocks)
    assert refs is not None
    return {e.attrs.id: " ".join(plain_text(e).split()) for e in refs.blocks}


def body_text(doc) -> str:
    body, _h, _r = split_bibliography(doc.blocks)
    return " ".join(" ".join(plain_text(b, notes=False).split()) for b in body)


# ---------------------------------------------------------------- Chicago notes


def test_no_citation_is_left_and_nothing_is_missing(chicago) -> None:
    doc, caught = chicago
    assert not any(isinstance(n, Cite) for n in walk(doc))
    assert caught == []


def test_every_citation_is_a_note_first_full_then_short(chicago) -> None:
    doc, _ = chicago
    found = notes(doc)
    # 26 citations in the text (two of two works) and the author's own footnote
    # (which holds two more).
    assert len(found) == 25
    assert found[0] == "Andrew Wilson, Belarus: The Last European Dictatorship, 2nd ed. (Yale University Press, 2021), 23."
    assert found[15] == "Wilson, Belarus, 30."
    assert found[4] == "David R. Marples, Understanding Ukraine and Belarus: A Memory Atlas (E-International Relations, 2020), 40–42."


def test_ibid_where_chicago_asks_and_not_after_a_note_citing_two_works(chicago) -> None:
    found = notes(chicago[0])
    assert found[1].startswith("See International Monetary Fund, Republic of Belarus: Selected Issues")
    assert "; World Bank, Belarus Economic Update" in found[1]
    # Note 3 cites the IMF again, right after a note that cited two works: no ibid.
    assert found[2] == "International Monetary Fund, Republic of Belarus, 14."
    assert found[3] == "Ibid., 15."
    assert found[17] == "Ibid., 9."
    assert found[21] == "Smith, “The Belt and Road in Minsk”; Smith, “Potash and Power.”"
    assert found[22] == "Smith, “Potash and Power,” 60."
    # Chicago notes keep the order the author gave.
    assert found[23] == "Wilson, Belarus; International Monetary Fund, Republic of Belarus."


def test_in_text_author_and_suppressed_author(chicago) -> None:
    doc, _ = chicago
    assert "as John Smith argues and John Smith confirms" in body_text(doc)
    found = notes(doc)
    assert found[5].startswith("“The Belt and Road in Minsk,” Post-Soviet Affairs 36, no. 2 (2020): 105")
    assert found[18] == "“Sanctions Evasion in <i>eastern</i> Europe.”"  # [-@jones2018]


def test_notes_follow_the_punctuation(chicago) -> None:
    doc, _ = chicago
    para = doc.blocks[1]
    first = para.children[0]
    assert inline_text((first,)).endswith("dictatorship.")  # the stop, then the note
    assert isinstance(para.children[1], Span) and isinstance(para.children[1].children[0], Note)


def test_a_citation_in_a_footnote_joins_it(chicago) -> None:
    found = notes(chicago[0])
    assert found[9] == ("The data are patchy; compare (Jane Smith, Russia’s Western Flank, RR-1234 "
                        "(RAND Corporation, 2019)) and World Bank, Belarus Economic Update, 3.")


def test_punctuation_inside_quotes_for_us_english(chicago) -> None:
    found = notes(chicago[0])
    assert found[19] == "Smith, “The Belt and Road in Minsk.”"
    assert found[14] == "Ministry of Foreign Affairs of the Republic of Belarus, “Belarus–China Relations.”"


def test_bibliography_sorted_with_its_hard_cases(chicago) -> None:
    doc, _ = chicago
    _body, heading, _refs = split_bibliography(doc.blocks)
    assert isinstance(heading, Heading) and inline_text(heading.children) == "Bibliography"
    found = entries(doc)
    assert list(found) == [
        "ref-tracker", "ref-imf2023", "ref-jones2018", "ref-kuzio2019", "ref-marples2020", "ref-mfa2023",
        "ref-nguyen2022", "ref-rand2019", "ref-smith2020b", "ref-smith2020a", "ref-smithp2020",
        "ref-wilson2021", "ref-worldbank2022",
    ]
    # Institutions as authors, with report numbers and places kept.
    assert found["ref-imf2023"].startswith("International Monetary Fund. Republic of Belarus: Selected Issues. "
                                           "Country Report 23/45. International Monetary Fund, 2023.")
    assert "RAND Corporation, 2019" in found["ref-rand2019"]
    # Non-ASCII names sorted and inverted; markup in the .bib kept as text.
    assert found["ref-nguyen2022"].startswith("Nguyễn, Thị Lan, and Stanisław Żółkiewski.")
    assert "<i>eastern</i>" in found["ref-jones2018"]
    # A web page without a date gets its access date.
    assert "Accessed January 10, 2024" in found["ref-tracker"]
    assert "Jones, Mary, Peter Brown, Anne Green, and Oliver White." in found["ref-jones2018"]


def test_urls_and_dois_are_links_and_citations_link_to_entries(chicago) -> None:
    doc, _ = chicago
    urls = {n.url for n in walk(doc) if isinstance(n, Link)}
    assert "https://doi.org/10.1257/jep.32.4.45" in urls
    assert "https://www.rferl.org/a/great-stone/31751234.html" in urls
    assert "#ref-wilson2021" in urls  # link-citations: true
    # No link holds another (the URL inside a linked note is split out).
    for node in walk(doc):
        if isinstance(node, Link):
            assert not any(isinstance(c, Link) for c in walk(node) if c is not node)


def test_cross_references(chicago) -> None:
    text = body_text(chicago[0])
    assert "See Figure 1 and Table 1; the argument returns in section 3." in text  # (no-break spaces)


# ---------------------------------------------------------------------- APA


def test_apa_is_author_date_with_a_references_list(apa) -> None:
    doc, caught = apa
    assert caught == []
    text = body_text(doc)
    assert "dictatorship (Wilson, 2021, p. 23)." in text
    assert "(see International Monetary Fund, 2023, Chapter 2; World Bank, 2022)" in text
    assert "(Jones et al., 2018, p. 50)" in text  # et al. from the first cite in APA 7
    assert "concur (2018)." in text  # [-@jones2018]
    assert "(Marples, 2020, pp. 40–42)" in text  # pp. for a range
    # Works in one citation sorted as APA says, one author's works collapsed.
    assert "agree (International Monetary Fund, 2023; Wilson, 2021)" in text
    assert "(Smith, 2020a, 2020b)." in text
    # Disambiguation: two 2020 works by John Smith, and another Smith in 2020.
    assert re.search(r"Smith \(2020[ab], p\. 105\) argues and Smith \(2020[ab]\) confirms", text)
    assert "P. Smith, 2020" in text
    # Only the author's own footnote remains a note.
    assert notes(doc) == ["The data are patchy; compare (Smith, 2019) and World Bank (2022, p. 3)."]
    _body, heading, _refs = split_bibliography(doc.blocks)
    assert inline_text(heading.children) == "References"
    found = entries(doc)
    assert found["ref-smith2020b"].startswith("Smith, J. (2020a).") or found["ref-smith2020b"].startswith("Smith, J. (2020b).")
    assert found["ref-nguyen2022"].startswith("Nguyễn, T. L., & Żółkiewski, S. (2022, March 14).")


def test_et_al_subsequent(tmp_path: Path) -> None:
    # APA 6th: three to five authors in full at the first cite, "et al." afterwards.
    source = write(tmp_path, "b.md", "---\ntitle: T\nbibliography: sources.bib\n"
                   "csl: apa-6th-edition\n---\n\nFirst [@jones2018]. Again [@jones2018, p. 4].\n\n"
                   "## Sources\n\n::: {#refs}\n:::\n\n## Appendix\n\nMore.\n")
    out = prepare(parse_file(source, resource_path=[LIBRARY]), load_theme())
    text = body_text(out)
    assert "First (Jones, Brown, Green, & White, 2018). Again (Jones et al., 2018, p. 4)." in text
    # `::: {#refs}` says where the list goes: there, under the author's heading.
    kinds = [(type(b).__name__, b.attrs.id if hasattr(b, "attrs") else "") for b in out.blocks]
    assert kinds == [("Para", ""), ("Heading", ""), ("Div", "refs"), ("Heading", ""), ("Para", "")]
    assert plain_text(out.blocks[2]).startswith("Jones, M., Brown, P., Green, A., & White, O. (2018).")


def test_notes_before_punctuation_in_french(tmp_path: Path) -> None:
    source = write(tmp_path, "b.md", "---\ntitle: T\nlang: fr-FR\nbibliography: sources.bib\n"
                   "notes-after-punctuation: false\n---\n\nUn texte [@wilson2021, 23]. Puis [@wilson2021, 24].\n")
    out = prepare(parse_file(source, resource_path=[LIBRARY]), load_theme())
    para = out.blocks[0]
    assert inline_text(para.children[:1]) == "Un texte"  # the note, then the full stop
    assert isinstance(para.children[1], Span) and inline_text(para.children[2:3]) == ". Puis"
    assert notes(out) == ["Andrew Wilson, Belarus: The Last European Dictatorship, 2ᵉ éd. (Yale University Press, "
                          "2021), 23.", "Ibid., 24."]
    _b, heading, _r = split_bibliography(out.blocks)
    assert inline_text(heading.children) == "Bibliographie"


def test_chicago_author_date() -> None:
    doc, caught = resolved("chicago-author-date")
    assert caught == []
    text = body_text(doc)
    assert "(Wilson 2021, 23)" in text
    _b, heading, _r = split_bibliography(doc.blocks)
    assert inline_text(heading.children) == "References"


# ------------------------------------------------------------ small documents


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_keys_nocite_inline_references_and_initialize_false(tmp_path: Path) -> None:
    write(tmp_path, "refs.json", '[{"id": "doe", "type": "book", "title": "A Book", '
          '"author": [{"family": "Doe", "given": "Jane Q"}], "issued": {"date-parts": [[2001]]}}]')
    source = write(tmp_path, "b.md", "---\ntitle: T\nbibliography: refs.json\ncsl: american-sociological-association\n"
                   "nocite: '@inline'\nreferences:\n- id: inline\n  type: book\n  title: Inline Only\n"
                   "  author:\n  - family: Roe\n    given: Richard\n  issued: 1999\n---\n\n"
                   "Known [@doe]. Unknown [@nobody].\n")
    doc = parse_file(source)
    with pytest.warns(BriefExportWarning, match=r"b\.md:16: citation @nobody: not in the bibliography"):
        out = prepare(doc, load_theme())
    # A prepared tree is prepared: `nocite` does not add its entries twice.
    again = prepare(out, load_theme())
    assert again is out
    found = entries(out)
    assert list(found) == ["ref-doe", "ref-inline"]
    # initialize="false": the given name stays whole, its initial gets a stop.
    assert found["ref-doe"].startswith("Doe, Jane Q. 2001.")
    text = body_text(out)
    assert "Unknown (nobody?)" in text
    assert "#ref-nobody" not in {n.url for n in walk(out) if isinstance(n, Link)}


def test_a_broken_bib_names_its_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, "bad.bib", "@book{a,\n  title = {X},\n  year = 2020\n\n@book{b, title={Y}}\n")
    source = write(tmp_path, "b.md", "---\nbibliography: bad.bib\n---\nText [@a].\n")
    with pytest.raises(CitationError) as info:
        prepare(parse_file(source), load_theme())
    assert info.value.path.endswith("bad.bib") and info.value.line == 5
    assert "unexpected" in info.value.message


def test_a_broken_csl_json_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, "bad.json", '[\n {"id": "a",\n  "type": "book",}\n]\n')
    source = write(tmp_path, "b.md", "---\nbibliography: bad.json\n---\nText [@a].\n")
    with pytest.raises(CitationError) as info:
        prepare(parse_file(source), load_theme())
    assert info.value.path.endswith("bad.json") and info.value.line == 3


def test_a_bibliography_outside_the_resource_path_is_an_error_at_its_line() -> None:
    with pytest.raises(CitationError) as info:
        prepare(parse_file(BRIEF), load_theme())
    assert info.value.line == 13 and "sources.bib not found" in info.value.message
    assert "--resource-path" in info.value.message


def test_a_bibliography_outside_the_folders_is_refused(tmp_path: Path) -> None:
    (tmp_path / "elsewhere").mkdir()
    write(tmp_path, "elsewhere/refs.json", "[]")
    (tmp_path / "brief").mkdir()
    source = write(tmp_path, "brief/b.md", "---\nbibliography: ../elsewhere/refs.json\n---\nText [@a].\n")
    with pytest.raises(CitationError, match="outside the source's folder") as info:
        prepare(parse_file(source), load_theme())
    assert info.value.line == 2
    # Named with --resource-path, the same folder is allowed.
    doc = parse_file(source, resource_path=[tmp_path / "elsewhere"])
    with pytest.warns(BriefExportWarning, match="citation @a: not in the bibliography"):
        prepare(doc, load_theme())


def test_an_unknown_style_is_an_error_at_its_line(tmp_path: Path) -> None:
    write(tmp_path, "r.json", "[]")
    source = write(tmp_path, "b.md", "---\nbibliography: r.json\ncsl: no-such-style\n---\nText [@a].\n")
    with pytest.raises(CitationError, match="no style named 'no-such-style'") as info:
        prepare(parse_file(source), load_theme())
    assert info.value.line == 3


def test_without_a_bibliography_citations_stay_as_written_and_warn(monkeypatch: pytest.MonkeyPatch) -> None:
    # No engine is started: a missing pandoc would fail the test otherwise.
    monkeypatch.setenv("BRIEFEXPORT_PANDOC", "/nonexistent/pandoc")
    doc = parse("Text [@smith2020, p. 4] and [see @jones].\n\nFollow @briefs_org.\n", source="x.md")
    with pytest.warns(BriefExportWarning) as record:
        out = prepare(doc, load_theme())
    # A bare @name is left alone (a handle, most likely); bracketed citations warn.
    assert sorted(str(w.message).split(":")[2] for w in record) == [" citation @jones", " citation @smith2020"]
    assert plain_text(out) == "Text [@smith2020, p. 4] and [see @jones].\n\nFollow @briefs_org."


def test_a_document_without_citations_starts_no_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFEXPORT_PANDOC", "/nonexistent/pandoc")
    doc = parse("---\nbibliography: nothere.bib\n---\nNo citation, mail@example.org.\n", source="x.md")
    assert prepare(doc, load_theme()) is doc


def test_strip_leaves_no_marker_or_dangling_space(apa, chicago) -> None:
    for doc in (apa[0], chicago[0]):
        stripped = strip_citations(doc)
        text = body_text(stripped)
        assert "dictatorship. Its economy leans on Russia." in text
        assert "(Wilson" not in text and "( )" not in text and "()" not in text
        assert "as Smith argues" in text or "as John Smith argues" in text
        assert not any(isinstance(b, Div) and b.attrs.has_class("references") for b in stripped.blocks)
        assert len(notes(stripped)) == 1  # the author's own footnote
