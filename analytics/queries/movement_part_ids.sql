-- movement_part_ids (metrics.md, Why the forecast moved): the deals behind the
-- waterfall's leaving and arriving bars (won, lost, terminated, removed, new,
-- reopened) for the pair :snapshot_a, :snapshot_b in the viewer's scope and
-- filters, one row per deal with its part, read from cache_movement_pairs in one
-- statement: the forecast bridge needs only their ids, not one paged movement_list
-- per bar (six statements and the movement summary to size them).
-- Grain: opportunity.
WITH
{{ include movement_cached }}

SELECT
    m.opportunity_id,
    m.waterfall_part
FROM scoped_movements AS m
WHERE m.waterfall_part IN ('won', 'lost', 'terminated', 'removed', 'new', 'reopened')
ORDER BY m.opportunity_id
