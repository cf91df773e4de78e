"""The year-end forecast (metrics.md, Year-end forecast) and its calibration.

Split by what each part needs: ``probabilities`` runs the SQL that turns the
company's closed deals into p(o) and the slip distribution; ``simulate`` is
pure numpy (no database), so the benchmark and the tests drive it directly;
``components`` and ``yearend`` assemble the metrics.md figures; ``freeze``
stores each week's forecast; ``calibration`` scores probabilities and frozen
forecasts against what happened.
"""
