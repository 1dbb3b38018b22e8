"""`join_texts`: neighbouring texts as one node."""

from __future__ import annotations


def test_join_texts_joins_each_run_once_and_keeps_lone_nodes() -> None:
    from briefexport.tree import Emph, Text, join_texts

    lone, emph = Text("a"), Emph((Text("x"),))
    joined = join_texts([lone, emph, Text("b"), Text(""), Text("c"), emph])
    assert joined == [lone, emph, Text("bc"), emph] and joined[0] is lone
    assert join_texts([]) == []
