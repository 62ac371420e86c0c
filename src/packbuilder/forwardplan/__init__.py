"""The forward plan's rules: which entries an edition lists, the legal checks, the changes.

In: a :class:`~packbuilder.model.forwardplan.Plan` and a date. Out: an
:class:`~.select.Edition` (its window, its entries grouped by portfolio, and
the one rule for an edition's date, :func:`~.select.edition_date`), the
findings of SI 2012/2089 regs 9-11 (:mod:`.checks`), and what changed since
last week's edition (:mod:`.changes`).

The plan is read by :mod:`packbuilder.load.plan`, its table filled by
:mod:`packbuilder.render.forwardplan`, and the weekly edition built by
:func:`packbuilder.api.forward_plan.build_forward_plan`.
"""
