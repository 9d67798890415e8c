"""Headings that never sit alone at the foot of a page (issue 22: the Kazakh summary left
«Индикаторлар» by itself at the bottom of page 3).

`CondPageBreak` before a heading asks for a fixed room, but what follows a heading differs: a
two-line note and a table whose first row wraps to four lines need more than a fixed room in
Kazakh, and when the table cannot start below the heading it moves to the next page alone. Here
a heading, the notes under it and the table it introduces are one `HeadedBlock`: it goes on
this page only if the table's header row and at least one row of data fit under the heading;
otherwise all of it starts the next page. Any other flowable after a heading is kept with it
(reportlab's KeepTogether). No Qt."""

from __future__ import annotations

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer, Table


class Heading(Paragraph):
    """A section heading (exports.pdf_layout.heading makes them); `keep_headings` finds them."""


class HeadedBlock(Flowable):
    """`head` (a heading and its notes) drawn above `body` (a table that may run over pages)."""

    def __init__(self, head: list[Flowable], body: Flowable, frame_height: float) -> None:
        super().__init__()
        self.head, self.body, self.frame_height = head, body, frame_height
        self._heights: list[float] = []

    def getSpaceBefore(self) -> float:  # noqa: N802 - reportlab's name
        return self.head[0].getSpaceBefore()

    def _head_height(self, avail_width: float, avail_height: float) -> float:
        self._heights = [f.wrap(avail_width, avail_height)[1] for f in self.head]
        inner = sum(f.getSpaceBefore() for f in self.head[1:])
        return sum(self._heights) + inner + sum(f.getSpaceAfter() for f in self.head)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        head = self._head_height(avail_width, avail_height)
        width, body = self.body.wrap(avail_width, avail_height)
        self.width = max([width, *(f.width for f in self.head if hasattr(f, "width"))])
        self.height = head + self.body.getSpaceBefore() + body
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        room = (avail_height - self._head_height(avail_width, avail_height)
                - self.body.getSpaceBefore())
        pieces = self.body.split(avail_width, room) if room > 0 else []
        if len(pieces) >= 2:
            return [*self.head, *pieces]
        if avail_height >= self.frame_height - 1:  # a fresh page gains nothing: flow as usual
            return [*self.head, self.body]
        return []  # the table cannot start here: heading, notes and table go to the next page

    def drawOn(self, canvas: Canvas, x: float, y: float, _sW: float = 0) -> None:  # noqa: N802, N803
        top = y + self.height
        for index, (part, height) in enumerate(zip(self.head, self._heights, strict=True)):
            top -= part.getSpaceBefore() if index else 0
            part.drawOn(canvas, x, top - height, _sW)
            top -= height + part.getSpaceAfter()
        top -= self.body.getSpaceBefore()
        self.body.drawOn(canvas, x, y, _sW)


def keep_headings(story: list[Flowable], frame_height: float) -> list[Flowable]:
    """`story` with each Heading, the paragraphs and spacers under it and the flowable they
    introduce made one: a HeadedBlock before a table, a KeepTogether before anything else."""
    out: list[Flowable] = []
    index = 0
    while index < len(story):
        item = story[index]
        if not isinstance(item, Heading):
            out.append(item)
            index += 1
            continue
        head = [item]
        index += 1
        while index < len(story) and isinstance(story[index], (Paragraph, Spacer)) \
                and not isinstance(story[index], (Heading, CondPageBreak)):
            head.append(story[index])
            index += 1
        if index < len(story) and isinstance(story[index], Table):
            out.append(HeadedBlock(head, story[index], frame_height))
            index += 1
        elif index < len(story) and not isinstance(story[index], (Heading, CondPageBreak)):
            out.append(KeepTogether([*head, story[index]]))
            index += 1
        else:
            out.extend(head)
    return out
