"""Building blocks shared by the derived tables, the metrics and the forecast.

They sit below all three (see ARCHITECTURE.md, Layers): the stage constants and
their bound parameters, calendar-period helpers and the parameters of the
history-learnt win probability p(o).  Nothing here imports ``derived``,
``context``, ``metrics`` or ``forecast``, so any of those can use them without
an import cycle (checked by import-linter, ``make check``).
"""
