"""The tree contract: JSON round trip, walk, plain text."""

from __future__ import annotations

import dataclasses
import json

import pytest

from briefexport import tree as t


def every_node_document() -> t.Document:
    inl = (t.Text("a"), t.Emph((t.Text("e"),)), t.Strong((t.Text("s"),)), t.Strikeout((t.Text("x"),)),
           t.Code("c<"), t.Link((t.Text("l"),), "https://e.org", "ti"), t.Image((t.Text("alt"),), "i.png", "T"),
           t.SoftBreak(), t.LineBreak(), t.Span((t.Text("sp"),), t.Attrs("id", ("c",), (("k", "v"),))),
           t.Note((t.Para((t.Text("note"),), 9),), "n"),
           t.Cite((t.CiteItem("smith2020", "normal", (t.Text("see"),), (t.Text(", for more"),), "4", "p."),
                   t.CiteItem("jones", "suppress-author")), "[see @smith2020, p. 4, for more; -@jones]", 1))
    blocks = (
        t.Para(inl, 1), t.Plain((t.Text("p"),), 2), t.Heading(2, (t.Text("H"),), t.Attrs("h"), 3),
        t.BulletList(((t.Plain((t.Text("b"),), 4),),), True, 4),
        t.OrderedList(((t.Para((t.Text("o"),), 5),),), 3, False, 5),
        t.DefinitionList((((t.Text("term"),), ((t.Plain((t.Text("def"),), 6),),)),), 6),
        t.BlockQuote((t.Para((t.Text("q"),), 7),), 7), t.CodeBlock("x = 1\n", "py", 8),
        t.HorizontalRule(9),
        t.Table((t.TableCell((t.Text("h"),)),), ((t.TableCell((t.Text("r"),)),),), ("right",), (t.Text("cap"),), 10,
                t.Attrs("tbl:x")),
        t.Figure("f.png", "alt", (t.Text("cap"),), "title", 11, t.Attrs("fig:x")),
        t.Div((t.Para((t.Text("pq"),), 12),), t.Attrs("", ("pullquote",)), 12),
    )
    meta = t.Meta(title="T", subtitle="S", authors=(t.Author("A", "Aff", "Bio"),), date="2022-01-14",
                  keywords=("k",), series="Brief", key_points=("kp",), image=t.ImageMeta("cap", "cred"),
                  slug="s", pull_quote="pq", extra=(("x", "1"),), lines=(("title", 2),),
                  citations=t.CitationMeta(("a.bib",), "apa", True, "Sources", '[{"id": "x"}]', ("y",)))
    return t.Document(meta, blocks, "doc.md", ("../shared",))


def test_json_round_trip_is_exact_for_every_node_type() -> None:
    doc = every_node_document()
    again = t.from_json(t.to_json(doc))
    assert again == doc
    names = {type(n).__name__ for n in t.walk(doc)}
    inline_and_block = set(t.Inline.__args__) | set(t.Block.__args__)  # type: ignore[attr-defined]
    assert {c.__name__ for c in inline_and_block} <= names


def test_json_carries_format_and_version() -> None:
    payload = json.loads(t.to_json(every_node_document()))
    assert payload["format"] == "briefexport-tree" and payload["version"] == t.FORMAT_VERSION
    payload["version"] = 999
    with pytest.raises(ValueError, match="version 999"):
        t.from_json(json.dumps(payload))
    with pytest.raises(ValueError, match="not a briefexport-tree"):
        t.from_json('{"format": "other"}')


def test_walk_reaches_every_node() -> None:
    doc = every_node_document()

    def count(value: object) -> int:
        # Independent of walk(): count dataclass nodes by reflection.
        if isinstance(value, tuple):
            return sum(count(v) for v in value)
        if dataclasses.is_dataclass(value) and not isinstance(value, (t.Attrs, t.Meta)):
            return 1 + sum(count(getattr(value, f.name)) for f in dataclasses.fields(value))
        return 0

    assert len(list(t.walk(doc))) == count(doc)
    assert any(isinstance(n, t.Note) for n in t.walk(doc))
    texts = [n.text for n in t.walk(doc) if isinstance(n, t.Text)]
    assert texts.index("a") < texts.index("note") < texts.index("q") < texts.index("pq")


def test_plain_text() -> None:
    doc = every_node_document()
    text = t.plain_text(doc)
    for word in ("a", "e", "c<", "note", "term", "def", "x = 1", "cap", "pq"):
        assert word in text
    assert "note" not in t.plain_text(doc.blocks[0], notes=False)


def test_nodes_are_frozen() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        t.Text("a").text = "b"  # type: ignore[misc]
