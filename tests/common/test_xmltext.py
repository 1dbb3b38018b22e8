"""briefexport's XML escaping gives exactly what xml.sax.saxutils gives."""

from __future__ import annotations

import subprocess
import sys
from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from briefexport.common import xmltext

MARKUP = st.text(alphabet=st.sampled_from("&<>\"'\n\r\t a;#é\u00a0"), max_size=30) | st.text(max_size=30)


@given(MARKUP)
def test_escape_is_saxutils_escape(text: str) -> None:
    assert xmltext.escape(text) == saxutils.escape(text)


@given(MARKUP)
def test_quoteattr_is_saxutils_quoteattr(text: str) -> None:
    assert xmltext.quoteattr(text) == saxutils.quoteattr(text)


def test_importing_it_loads_no_network_modules() -> None:
    code = "import sys, briefexport.common.xmltext; print(sorted({'urllib.request', 'ssl'} & set(sys.modules)))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
