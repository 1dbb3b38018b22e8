"""HTML comments (`<!-- editor: remove before publishing -->`): dropped, and listed.

Raw HTML is off, so a comment used to be printed as text in the PDF and the
DOCX, an editor's private note in the published brief.  As pandoc does, it
is dropped; `check` lists each one (`html-comment`) so nothing is hidden.
Two markdown-it rules recognise only comments (every other tag stays text):
a block rule for comment lines, an inline rule for a comment inside text.
Code spans and code blocks are matched by their own rules first, so a
comment shown in code stays there.
"""

from __future__ import annotations

from markdown_it import MarkdownIt
from markdown_it.rules_block import StateBlock
from markdown_it.rules_inline import StateInline

TOKEN = "html_comment"
_OPEN, _CLOSE = "<!--", "-->"


def _block(state: StateBlock, start: int, end: int, silent: bool) -> bool:
    if state.sCount[start] - state.blkIndent >= 4:
        return False  # indented code
    pos = state.bMarks[start] + state.tShift[start]
    if not state.src.startswith(_OPEN, pos):
        return False
    line, search = start, pos + len(_OPEN)
    while line < end:
        close = state.src.find(_CLOSE, search, state.eMarks[line])
        if close >= 0:
            # Only a comment that ends its line is a block; `<!-- x --> text`
            # is a paragraph, and the inline rule drops the comment in it.
            if state.src[close + len(_CLOSE): state.eMarks[line]].strip():
                return False
            break
        line += 1
        if line < end:
            search = state.bMarks[line] + state.tShift[line]
    else:
        return False  # never closed: text, as CommonMark without HTML has it
    if silent:
        return True
    token = state.push(TOKEN, "", 0)
    token.content = state.src[pos: state.eMarks[line]]
    token.map = [start, line + 1]
    token.hidden = True
    state.line = line + 1
    return True


def _inline(state: StateInline, silent: bool) -> bool:
    if not state.src.startswith(_OPEN, state.pos):
        return False
    close = state.src.find(_CLOSE, state.pos + len(_OPEN))
    if close < 0:
        return False
    if not silent:
        token = state.push(TOKEN, "", 0)
        token.content = state.src[state.pos: close + len(_CLOSE)]
    state.pos = close + len(_CLOSE)
    return True


def comments_plugin(md: MarkdownIt) -> None:
    md.block.ruler.before("html_block", TOKEN, _block, {"alt": ["paragraph", "reference", "blockquote"]})
    md.inline.ruler.before("html_inline", TOKEN, _inline)
