"""Transforms: passes over the document tree (tree -> tree or tree -> data).

`keypoints` derives key points and finds the pull quote for the formats that
summarise.  `prepare` is what every backend gets: `crossref` numbers and links
`@fig:`/`@tbl:`/`@sec:` references, `citations` formats citations through
`citeproc` (pandoc's engine, the one pass that starts a process, and only for
a document that cites), `strip` leaves them out for summaries; `rebuild` is the
traversal they share.  Transforms render nothing and import only `tree`,
`errors`, `theme` and `common`, so every backend can ask them and all formats
show the same text.
"""
