"""The data model: plain frozen dataclasses, no I/O. Every stage speaks it.

:mod:`.meeting`: committee, meeting, agenda items, papers and their sources
(a file, a cover report, a forward-plan table), and the constants the stages
share (the front sheet's link prefix, the supplement's heading).
:mod:`.pagesel`: page selections such as ``1-3, 7``. :mod:`.forwardplan`:
forward-plan entries, settings and the plan. :mod:`.exempt`: the paragraphs of
exempt information (England's Schedule 12A Part 1 by default) and what an
``exempt:`` cites; :mod:`.partb`: how what is left out of the public pack is
named, and the order of Part B. :mod:`.origin`: where a value was written.
"""
