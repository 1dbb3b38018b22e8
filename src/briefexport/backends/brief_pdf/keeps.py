"""Keep-with-next that keeps a heading with the first lines of what follows.

reportlab's KeepTogether moves a heading and the whole next block (a
six-line paragraph, a long table) to the next frame when they do not fit
together, leaving a gap of up to a fifth of a page.  A reader needs the
heading kept with the *start* of its text, not with all of it: when the
group does not fit, the headings stay here with as many lines of what
follows as fit (at least two: the paragraph styles forbid orphans), and the
rest goes on in the next frame.  Only when not even that fits does the group
move on as a whole.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, KeepTogether
from reportlab.platypus.doctemplate import ActionFlowable

# A block split here must leave at least this much of itself on the page.
_MIN_LINES = 2


class KeepWithNext(KeepTogether):
    """The class reportlab groups keep-with-next flowables in (`keepTogetherClass`)."""

    def wrap(self, aW: float, aH: float) -> tuple[float, float]:
        width, height = super().wrap(aW, aH)
        # A nested KeepTogether (a figure and its caption) reports a huge
        # height to force its own split; count it by its content instead.
        nested = [f for f in self._content if isinstance(f, KeepTogether) and hasattr(f, "_H")]
        if nested:
            self._H += sum(f._H for f in nested) - len(nested) * 0xFFFFFF
        return width, height

    def split(self, aW: float, aH: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        frame = getattr(self, "_frame", None)
        parts = None
        if self._H > aH:
            parts = self._heads_with_first_lines(aW, aH)
        if parts is None:
            if frame is not None and self._H > frame._height and aH >= frame._height / 4:
                # Taller than a whole frame and unsplittable here: start it here anyway.
                parts = self._content[:]
            else:
                parts = super().split(aW, aH)
        if [id(p) for p in parts] == [id(p) for p in self._content]:
            # Handed back unchanged, the same flowables would be grouped again
            # and reportlab would try them forever (seen with a heading in a
            # block quote): let them go on without keep-with-next.
            for part in parts:
                part.__dict__["keepWithNext"] = 0
        return parts

    def _heads_with_first_lines(self, aW: float, aH: float) -> list[Flowable] | None:
        """The headings and the first part of the block after them, if that fits `aH`."""
        *heads, last = self._content
        if not heads or isinstance(last, (ActionFlowable, KeepTogether)):
            return None
        used, after = 0.0, 0.0
        for index, head in enumerate(heads):
            _, height = head.wrapOn(self.canv, aW, aH)
            used += height + (max(head.getSpaceBefore() - after, 0) if index else 0)
            after = head.getSpaceAfter()
        gap = max(after, last.getSpaceBefore())
        room = aH - used - gap
        leading = getattr(getattr(last, "style", None), "leading", 12)
        if room < _MIN_LINES * leading:
            return None
        pieces = last.splitOn(self.canv, aW, room)
        if len(pieces) < 2 or any(isinstance(p, ActionFlowable) for p in pieces):
            return None
        _, first = pieces[0].wrapOn(self.canv, aW, room)
        if first > room or first < _MIN_LINES * leading - 0.01:
            return None
        for head in heads:
            head.__dict__["keepWithNext"] = 0
        return [*heads, *pieces]
