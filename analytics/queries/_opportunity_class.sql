-- fragment opportunity_class (metrics.md, Classes): the class of the row aliased o,
-- an expression (not a CTE), shared by opportunity_state and the week-over-week
-- movement, which classifies two snapshots.
-- kind: expression
-- binds: class_important_min, class_major_min, class_ordinary1_min, class_ordinary2_min, class_ordinary2_users
CASE
    WHEN o.annual_value >= :class_major_min OR o.demonstration THEN 'major'
    WHEN (o.business_type = 'transformation' AND o.annual_value >= :class_important_min)
        OR o.influence THEN 'important'
    WHEN o.annual_value >= :class_ordinary1_min THEN 'ordinary_1'
    WHEN o.annual_value >= :class_ordinary2_min
        OR COALESCE(o.user_count, 0) > :class_ordinary2_users THEN 'ordinary_2'
    ELSE 'small'
END
