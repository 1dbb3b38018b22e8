"""Common: small helpers that backends and delivery share.

Names and dates as shown (`display`), output file stems (`names`), the link and
image-path policy (`links`), images at print size (`images`), XML escaping
(`xmltext`), reproducible dates and zips (`stamps`).  It imports only `tree`
and `errors`, so every layer above may use it.
"""
