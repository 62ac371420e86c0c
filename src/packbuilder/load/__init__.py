"""Read the definitions: YAML (and CSV) files in, the data model out, every problem named.

In: a meeting file (and the committee file it names), a forward plan (YAML,
a folder of YAML files, or CSV). Out: a :class:`~packbuilder.model.meeting.Meeting`
or a :class:`~packbuilder.model.forwardplan.Plan`, or a
:class:`~packbuilder.exceptions.DefinitionError` listing every problem with
its file, line and key.

:mod:`.yamlfile` reads YAML within limits; :mod:`.schema` is the declarative
schema (types that keep each node's line); :mod:`.meeting` the meeting and
committee; :mod:`.plan`, :mod:`.planfields` and :mod:`.plancsv` the forward
plan; :mod:`.templates` the rule that finds a template when none is named.
"""
