"""Transforms: pure passes over the document tree (tree -> tree or tree -> data).

`keypoints` derives key points and finds the pull quote for the formats that
summarise.  Transforms render nothing and import only `tree` and `errors`, so
every backend can ask them and all formats show the same text.
"""
