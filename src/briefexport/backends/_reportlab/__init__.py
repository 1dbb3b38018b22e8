"""Shared reportlab helpers for the PDF brief and the PDF one-pager.

`text` is the one escaper, `faces` registers the theme's font chains,
`styles` turns theme styles into ParagraphStyles, `markup` turns inlines into
Paragraph markup, `canvas` holds the page-count canvas and metadata, `paragraph`
the Paragraph every PDF uses (bidi and shaping; it keeps its line breaks for a
second measure at the same width).  It may
import the tree, the theme, fonts and common; never a backend package.
"""
