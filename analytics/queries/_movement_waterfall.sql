-- fragment movement_waterfall (metrics.md, Week-over-week movement): the
-- select-list (not a CTE) of aggregates over scoped_movements AS m: each part
-- of the open-pipeline waterfall as a count and a sum in integer fen (start,
-- new, reopened, increase, decrease, won, lost, terminated, removed, end), and
-- the count of each label and of labelled deals. start + new + reopened +
-- increase - decrease - won - lost - terminated - removed = end, exactly.
COUNT(*) FILTER (WHERE m.open_a) AS start_count,
COALESCE(SUM(m.value_a_fen) FILTER (WHERE m.open_a), 0) AS start_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'new') AS new_count,
COALESCE(SUM(m.value_b_fen) FILTER (WHERE m.waterfall_part = 'new'), 0) AS new_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'reopened') AS reopened_count,
COALESCE(SUM(m.value_b_fen) FILTER (WHERE m.waterfall_part = 'reopened'), 0) AS reopened_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'increase') AS increase_count,
COALESCE(
    SUM(m.value_b_fen - m.value_a_fen) FILTER (WHERE m.waterfall_part = 'increase'), 0
) AS increase_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'decrease') AS decrease_count,
COALESCE(
    SUM(m.value_a_fen - m.value_b_fen) FILTER (WHERE m.waterfall_part = 'decrease'), 0
) AS decrease_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'won') AS won_count,
COALESCE(SUM(m.value_a_fen) FILTER (WHERE m.waterfall_part = 'won'), 0) AS won_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'lost') AS lost_count,
COALESCE(SUM(m.value_a_fen) FILTER (WHERE m.waterfall_part = 'lost'), 0) AS lost_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'terminated') AS terminated_count,
COALESCE(SUM(m.value_a_fen) FILTER (WHERE m.waterfall_part = 'terminated'), 0) AS terminated_fen,
COUNT(*) FILTER (WHERE m.waterfall_part = 'removed') AS removed_count,
COALESCE(SUM(m.value_a_fen) FILTER (WHERE m.waterfall_part = 'removed'), 0) AS removed_fen,
COUNT(*) FILTER (WHERE m.open_b) AS end_count,
COALESCE(SUM(m.value_b_fen) FILTER (WHERE m.open_b), 0) AS end_fen,
COUNT(*) FILTER (WHERE m.is_new) AS label_new,
COUNT(*) FILTER (WHERE m.is_advanced) AS label_advanced,
COUNT(*) FILTER (WHERE m.is_regressed) AS label_regressed,
COUNT(*) FILTER (WHERE m.is_slipped) AS label_slipped,
COUNT(*) FILTER (WHERE m.is_pulled_in) AS label_pulled_in,
COUNT(*) FILTER (WHERE m.is_value_changed) AS label_value_changed,
COUNT(*) FILTER (WHERE m.is_won) AS label_won,
COUNT(*) FILTER (WHERE m.is_lost) AS label_lost,
COUNT(*) FILTER (WHERE m.is_terminated) AS label_terminated,
COUNT(*) FILTER (WHERE m.is_removed) AS label_removed,
COUNT(*) FILTER (WHERE m.is_reopened) AS label_reopened,
COUNT(*) FILTER (WHERE m.labels <> '') AS labelled_count
