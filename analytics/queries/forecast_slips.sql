-- forecast_slips (metrics.md, Year-end forecast, uncertainty): the historical
-- slip distribution, one row per slip in months with the number of deals.
-- A deal counts once: won in the look-back window by as_of, taken at the
-- first snapshot held in which it was open; its slip is the close month minus
-- the expected close month it had then (an overdue date counting as that
-- snapshot's month, as in m(o)). Negative means it closed earlier than said.
-- Company-wide, like p(o). Deals still open are not in that count (censored),
-- so beside it each slip carries the life table of forecast_timing (every deal
-- first seen open in the window, closed or still open): wins, losses and the
-- deals at risk, from which analytics/forecast/probabilities.py learns when a
-- deal closes given that it wins (setting slip_censored); rows with a stage are
-- that life table per stage when first seen (setting slip_stage_prior), the
-- pooled rows have none.
-- The rows are the forecast_won_sums fragment's (kept per as_of at load:
-- forecast_won_sums_cached, swapped in by analytics/forecast/kept.py).
WITH
{{ include forecast_won_sums }}

SELECT stage, slip_months, deals, timing_wins, timing_losses, timing_at_risk
FROM forecast_won_sums
ORDER BY stage NULLS FIRST, slip_months
