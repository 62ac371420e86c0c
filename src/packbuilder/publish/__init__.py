"""Write the outputs: staged beside the output folder, swapped in only when complete.

In: the files a build made in its staging folder. Out: the output folder,
replaced atomically under a lock (:mod:`.outputs`, :mod:`.lock`), with a
manifest of ranges and hashes (:mod:`.manifest`); PDFs made reproducible
(:mod:`.reproducible`). A meeting's outputs are two folders (:mod:`.folders`):
``public/`` (the public pack, agenda, item PDFs and manifest: nothing exempt)
and ``members/`` (the complete pack, its item PDFs, the full manifest).

The meeting on the web, in ``public/`` (:mod:`.site`): what the build publishes
about it, gathered once (:mod:`.published`), as a web agenda ``index.html``
rendered from a replaceable Jinja template (:mod:`.web`), a calendar entry
``meeting.ics`` (:mod:`.calendar`) and OParl 1.1 open data ``meeting.json``
(:mod:`.oparl`); none of them holds anything exempt or the time of the build.
"""
