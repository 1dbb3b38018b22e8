"""Property tests: any document renders in every backend, and its text survives.

Documents are built as trees (not Markdown), so every node type and every
nesting the tree allows is tried, with text full of markup-like characters.
"""

from __future__ import annotations

import io
import re
import zipfile

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

import briefexport
from briefexport import tree as t

# Letters the default fonts draw (Latin with diacritics, Greek, Cyrillic) and
# characters that mean something in reportlab markup or XML.
LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZéèüößłąėęčšžễơưΩλπЛжшыя"
words = st.text(alphabet=LETTERS, min_size=2, max_size=10)
markupish = st.sampled_from(["<b>", "</font>", "&amp;", "AT&T", "a<b", '"q"', "'s", "<font size=72>", "]]>"])


@st.composite
def sentences(draw: st.DrawFn) -> str:
    parts = draw(st.lists(st.one_of(words, words, markupish), min_size=1, max_size=8))
    return " ".join(parts)


def inlines(depth: int = 2) -> st.SearchStrategy[tuple[t.Inline, ...]]:
    text = sentences().map(lambda s: t.Text(s + " "))
    leaf = st.one_of(text, sentences().map(t.Code))
    if depth == 0:
        return st.lists(leaf, min_size=1, max_size=3).map(tuple)
    inner = inlines(depth - 1)
    node = st.one_of(
        leaf,
        inner.map(t.Emph), inner.map(t.Strong), inner.map(t.Strikeout),
        st.tuples(inner, st.sampled_from(["https://example.org/a?b=1&c=2", "mailto:x@example.org",
                                          "javascript:alert(1)", "#nowhere"])).map(lambda a: t.Link(a[0], a[1])),
    )
    return st.lists(node, min_size=1, max_size=4).map(tuple)


def blocks(depth: int = 2) -> st.SearchStrategy[t.Block]:
    para = inlines().map(lambda c: t.Para(c, 1))
    leaf = st.one_of(
        para, para,
        st.tuples(st.integers(1, 3), inlines(1)).map(lambda a: t.Heading(a[0], a[1], line=1)),
        sentences().map(lambda s: t.CodeBlock(s + "\n", "", 1)),
        st.integers(1, 4).flatmap(lambda n: st.tuples(
            st.lists(inlines(0).map(t.TableCell), min_size=n, max_size=n).map(tuple),
            st.lists(st.lists(inlines(0).map(t.TableCell), min_size=n, max_size=n).map(tuple),
                     min_size=0, max_size=4).map(tuple),
            st.lists(st.sampled_from(["default", "left", "center", "right"]), min_size=n, max_size=n).map(tuple),
        )).map(lambda a: t.Table(a[0], a[1], a[2], (), 1)),
    )
    if depth == 0:
        return leaf
    inner = st.lists(blocks(depth - 1), min_size=1, max_size=3).map(tuple)
    return st.one_of(
        leaf,
        st.lists(inner, min_size=1, max_size=3).map(lambda items: t.BulletList(tuple(items), True, 1)),
        st.tuples(st.lists(inner, min_size=1, max_size=3), st.integers(0, 30)).map(
            lambda a: t.OrderedList(tuple(a[0]), a[1], False, 1)),
        inner.map(lambda b: t.BlockQuote(b, 1)),
        st.tuples(inner, st.sampled_from(["pullquote", "note", "keypoints", "other"])).map(
            lambda a: t.Div(a[0], t.Attrs("", (a[1],)), 1)),
    )


documents = st.builds(
    lambda title, points, body: t.Document(t.Meta(title=title, key_points=tuple(points),
                                                  authors=(t.Author("Ada Tester", "Institute", "Bio."),)),
                                           tuple(body), "prop.md"),
    sentences(), st.lists(sentences(), max_size=6), st.lists(blocks(), min_size=1, max_size=6),
)

SETTINGS = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _words(text: str) -> set[str]:
    # Case-folded: styles such as H3 set their text in capitals.
    return set(re.findall(r"[^\W\d_]{2,}", text.casefold()))


def _visible_words(doc: t.Document) -> set[str]:
    # What a reader of the brief sees: every Text and Code of the body
    # (link targets and Div kinds are not text).
    return _words(t.plain_text(doc, notes=False))


@SETTINGS
@given(documents)
def test_pdf_renders_and_keeps_every_word(doc: t.Document) -> None:
    reader = PdfReader(io.BytesIO(briefexport.render(doc, "pdf", base_dir=".")))
    # Without spaces: a word longer than a narrow table cell is split over
    # two lines, which is how it is drawn, not a loss.
    extracted = "".join("".join(page.extract_text() for page in reader.pages).casefold().split())
    missing = {w for w in _visible_words(doc) if w not in extracted}
    assert not missing


@SETTINGS
@given(documents)
def test_docx_renders_and_keeps_every_word(doc: t.Document) -> None:
    data = briefexport.render(doc, "docx", base_dir=".")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        xml = archive.read("word/document.xml").decode("utf-8")
    # Runs of one paragraph are contiguous text; paragraphs are separate.
    text = " ".join("".join(re.findall(r"<w:t(?: [^>]*)?>([^<]*)</w:t>", p)) for p in xml.split("</w:p>"))
    text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&").replace("&quot;", '"')
    missing = _visible_words(doc) - _words(text)
    assert not missing


@SETTINGS
@given(documents)
def test_one_pager_is_always_one_page(doc: t.Document) -> None:
    reader = PdfReader(io.BytesIO(briefexport.render(doc, "onepager", base_dir=".")))
    assert len(reader.pages) == 1
    # The title may be shortened to fit, never left out: its first token is there, as written.
    assert doc.meta.title.split()[0] in reader.pages[0].extract_text()
