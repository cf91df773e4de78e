-- fragment movement_label_text (metrics.md, Week-over-week movement): the labels
-- of the scoped_movements row aliased m, comma-separated in the order of
-- metrics.md; an expression (not a CTE), written only for the rows a query
-- returns, since building text for every deal costs more than finding them.
-- kind: expression
CONCAT_WS(
    ',',
    CASE WHEN m.is_new THEN 'new' END,
    CASE WHEN m.is_advanced THEN 'advanced' END,
    CASE WHEN m.is_regressed THEN 'regressed' END,
    CASE WHEN m.is_slipped THEN 'slipped' END,
    CASE WHEN m.is_pulled_in THEN 'pulled_in' END,
    CASE WHEN m.is_value_changed THEN 'value_changed' END,
    CASE WHEN m.is_won THEN 'won' END,
    CASE WHEN m.is_lost THEN 'lost' END,
    CASE WHEN m.is_terminated THEN 'terminated' END,
    CASE WHEN m.is_removed THEN 'removed' END,
    CASE WHEN m.is_reopened THEN 'reopened' END
)
