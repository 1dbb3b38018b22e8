"""Readers: a source file -> the document tree (`tree.Document`).

`markdown` reads CommonMark with the brief's extensions through markdown-it-py,
`frontmatter` the YAML block at its top.  Readers know their input format and
the tree, never a backend; they may import `tree`, `errors` and `common`.
"""
