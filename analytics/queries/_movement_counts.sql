-- fragment movement_counts (metrics.md, Week-over-week movement): the select-list
-- (not a CTE) of the few sums taken over the deals of scoped_movements AS m,
-- grouped by waterfall_part and is_new (and whatever grain the query adds):
-- deals, Σ value in A and in B (integer fen), and the counts of the labels
-- that the part does not tell (advanced, regressed, slipped, pulled_in) and of
-- labelled deals. movement_waterfall turns such rows into parts and label counts.
-- kind: expression
COUNT(*) AS deals,
SUM(m.value_a_fen) AS value_a_fen,
SUM(m.value_b_fen) AS value_b_fen,
SUM(CASE WHEN m.is_advanced THEN 1 ELSE 0 END) AS advanced,
SUM(CASE WHEN m.is_regressed THEN 1 ELSE 0 END) AS regressed,
SUM(CASE WHEN m.is_slipped THEN 1 ELSE 0 END) AS slipped,
SUM(CASE WHEN m.is_pulled_in THEN 1 ELSE 0 END) AS pulled_in,
SUM(CASE WHEN m.is_labelled THEN 1 ELSE 0 END) AS labelled
