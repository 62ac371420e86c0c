"""Late papers: where a meeting stands, what changed between builds, supplementary packs.

In: a meeting (model) and manifests. Out: a :class:`.status.MeetingStatus`
(deadline, papers to follow, late items), :class:`.changes.Changes` (what
moved between two manifests), the items of a supplement (:mod:`.supplement`)
and the files ``watch`` watches (:mod:`.watch`; its loop is
:class:`packbuilder.api.watch.Watcher`).
"""
