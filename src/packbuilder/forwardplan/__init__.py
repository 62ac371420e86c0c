"""The Executive Forward Work Programme (the forward plan of key decisions).

One module per stage: :mod:`.model` (data), :mod:`.load` (YAML and CSV),
:mod:`.select` (the edition's window and grouping), :mod:`.checks` (SI
2012/2089 regs 9-11), :mod:`.changes` (since last week's edition),
:mod:`.render` (the Word template) and :mod:`.build` (the outputs).
"""
