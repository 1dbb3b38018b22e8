"""Fonts: font files and families, system fallback, the on-disk cache, glyph coverage.

Arrows point one way inside: `paths` <- `cache` <- `system` <- `faces` <-
`coverage`.  The package knows font files (fontTools, reportlab's TrueType
reader) and the theme, never a backend; it may import `theme`, `tree` and `errors`.
"""
