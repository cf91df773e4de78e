-- fragment movement_waterfall (metrics.md, Week-over-week movement): the
-- select-list (not a CTE) over rows aliased f of movement_counts (grouped by
-- waterfall_part and is_new): each part of the open-pipeline waterfall as a
-- count and a sum in integer fen (start, new, reopened, increase, decrease,
-- won, lost, terminated, removed, end), and the count of each label and of
-- labelled deals. start = the parts of deals open in A (increase, decrease,
-- unchanged, won, lost, terminated, removed), end = those open in B (new,
-- reopened, increase, decrease, unchanged), so start + new + reopened +
-- increase - decrease - won - lost - terminated - removed = end, exactly.
-- kind: expression
COALESCE(SUM(f.deals) FILTER (
    WHERE f.waterfall_part IN ('increase', 'decrease', 'unchanged', 'won', 'lost', 'terminated', 'removed')
), 0) AS start_count,
COALESCE(SUM(f.value_a_fen) FILTER (
    WHERE f.waterfall_part IN ('increase', 'decrease', 'unchanged', 'won', 'lost', 'terminated', 'removed')
), 0) AS start_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'new'), 0) AS new_count,
COALESCE(SUM(f.value_b_fen) FILTER (WHERE f.waterfall_part = 'new'), 0) AS new_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'reopened'), 0) AS reopened_count,
COALESCE(SUM(f.value_b_fen) FILTER (WHERE f.waterfall_part = 'reopened'), 0) AS reopened_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'increase'), 0) AS increase_count,
COALESCE(SUM(f.value_b_fen - f.value_a_fen) FILTER (WHERE f.waterfall_part = 'increase'), 0) AS increase_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'decrease'), 0) AS decrease_count,
COALESCE(SUM(f.value_a_fen - f.value_b_fen) FILTER (WHERE f.waterfall_part = 'decrease'), 0) AS decrease_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'won'), 0) AS won_count,
COALESCE(SUM(f.value_a_fen) FILTER (WHERE f.waterfall_part = 'won'), 0) AS won_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'lost'), 0) AS lost_count,
COALESCE(SUM(f.value_a_fen) FILTER (WHERE f.waterfall_part = 'lost'), 0) AS lost_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'terminated'), 0) AS terminated_count,
COALESCE(SUM(f.value_a_fen) FILTER (WHERE f.waterfall_part = 'terminated'), 0) AS terminated_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'removed'), 0) AS removed_count,
COALESCE(SUM(f.value_a_fen) FILTER (WHERE f.waterfall_part = 'removed'), 0) AS removed_fen,
COALESCE(SUM(f.deals) FILTER (
    WHERE f.waterfall_part IN ('new', 'reopened', 'increase', 'decrease', 'unchanged')
), 0) AS end_count,
COALESCE(SUM(f.value_b_fen) FILTER (
    WHERE f.waterfall_part IN ('new', 'reopened', 'increase', 'decrease', 'unchanged')
), 0) AS end_fen,
COALESCE(SUM(f.deals) FILTER (WHERE f.is_new), 0) AS label_new,
COALESCE(SUM(f.advanced), 0) AS label_advanced,
COALESCE(SUM(f.regressed), 0) AS label_regressed,
COALESCE(SUM(f.slipped), 0) AS label_slipped,
COALESCE(SUM(f.pulled_in), 0) AS label_pulled_in,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part IN ('increase', 'decrease')), 0) AS label_value_changed,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'won'), 0) AS label_won,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'lost'), 0) AS label_lost,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'terminated'), 0) AS label_terminated,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'removed'), 0) AS label_removed,
COALESCE(SUM(f.deals) FILTER (WHERE f.waterfall_part = 'reopened'), 0) AS label_reopened,
COALESCE(SUM(f.labelled), 0) AS labelled_count
