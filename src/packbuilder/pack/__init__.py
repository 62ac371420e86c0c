"""The pack's pages: papers ready, pages laid out, the front sheet settled, the spec made.

In: a meeting, a converter. Out: a :class:`~packbuilder.assemble.PackSpec`
for the assembler, with the :class:`~.frontsheet.FrontSheet` whose printed
page ranges are true.

:mod:`.papers` renders, converts and opens every document once;
:mod:`.layout` is the page arithmetic (no I/O); :mod:`.frontsheet` renders the
agenda until its ranges are stable; :mod:`.packspec` maps pages, bookmarks and
links into the spec.
"""
