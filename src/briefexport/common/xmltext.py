"""Text into XML markup: `escape` and `quoteattr`, as `xml.sax.saxutils` has them.

The same two functions, because importing `xml.sax.saxutils` also imports
`urllib.request`, `http.client` and `ssl` (about 11 ms in every process that
renders), none of which briefexport needs.  The results are identical.
"""

from __future__ import annotations


def escape(data: str) -> str:
    """`data` with `&`, `<` and `>` escaped (ampersand first)."""
    return data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def quoteattr(data: str) -> str:
    """`data` escaped and quoted as an attribute value, newlines and tabs as character references."""
    data = escape(data).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' in data:
        if "'" in data:
            return '"%s"' % data.replace('"', "&quot;")
        return "'%s'" % data
    return '"%s"' % data
