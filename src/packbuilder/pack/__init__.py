"""The pack's pages: papers ready, pages laid out, the front sheet settled, the spec made.

In: a meeting, a converter. Out: two :class:`~packbuilder.assemble.PackSpec`
for the assembler, the members' (complete, exempt pages marked) and the
public one (the same numbering, one page in place of each exempt paper or
appendix, made from the public documents only), with the
:class:`~.frontsheet.FrontSheet` whose printed page ranges are true.

:mod:`.papers` renders, converts and opens every document once;
:mod:`.layout` is the page arithmetic (no I/O); :mod:`.frontsheet` renders the
agenda (and the contents page, whose lines :mod:`.contents` makes) until their
ranges are stable; :mod:`.packspec` maps pages, bookmarks and
links into the specs; :mod:`.exempt` says which documents are exempt information.
"""
