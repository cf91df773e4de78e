-- fragment movement_side_inputs (metrics.md, Classes; Week-over-week movement): one
-- side's ({{ side }}: a or b) class and key inputs of the pair row aliased {{ alias }}
-- in cache_movement_pairs, under the column names the opportunity_class and
-- opportunity_is_key fragments read; an expression, written once for both sides.
-- kind: expression
-- takes: alias, side
{{ alias }}.annual_value_{{ side }} AS annual_value,
{{ alias }}.business_type_{{ side }} AS business_type,
{{ alias }}.user_count_{{ side }} AS user_count,
{{ alias }}.demonstration_{{ side }} AS demonstration,
{{ alias }}.influence_{{ side }} AS influence,
{{ alias }}.key_flag_{{ side }} AS key_flag,
{{ alias }}.open_value_rank_{{ side }} AS known_open_value_rank,
{{ alias }}.open_total_{{ side }} AS known_open_total
