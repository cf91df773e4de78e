-- opportunity_list (metrics.md, Classes, Stage reached, Problem opportunities):
-- the explorer's table and the head of an opportunity's story: the rows of
-- opportunity_listing that match the search (see searched_opportunities), in
-- the chosen order (list_sort: '' key first then value, 'value', 'created',
-- 'expected_close', 'stint_age'; empty values last; ties by value, then id),
-- the first row_limit of them (all when NULL).
WITH
{{ include opportunity_listing }},

list_keys AS (
    SELECT
        value_order,
        CASE WHEN CAST(:list_sort AS VARCHAR) = '' THEN is_key END AS key_first,
        CASE WHEN CAST(:list_sort AS VARCHAR) IN ('', 'value') THEN annual_value END AS by_value,
        CASE WHEN CAST(:list_sort AS VARCHAR) = 'created' THEN created_date END AS by_created,
        CASE WHEN CAST(:list_sort AS VARCHAR) = 'expected_close' THEN expected_close_date END AS by_close,
        CASE WHEN CAST(:list_sort AS VARCHAR) = 'stint_age' THEN stint_age_days END AS by_stint_age
    FROM searched_opportunities
),

-- The order is found on the sort keys alone, then the chosen rows are read
-- whole: the facts are stored in value_order, so the default list reads only
-- the first blocks of the wide columns instead of all of them.
chosen AS (
    SELECT *
    FROM list_keys
    ORDER BY
        key_first DESC,
        by_value DESC NULLS LAST,
        by_created DESC NULLS LAST,
        by_close ASC NULLS LAST,
        by_stint_age DESC NULLS LAST,
        value_order
    LIMIT :row_limit
)

SELECT l.*
FROM chosen AS c
INNER JOIN opportunity_listing AS l ON l.value_order = c.value_order
ORDER BY
    c.key_first DESC,
    c.by_value DESC NULLS LAST,
    c.by_created DESC NULLS LAST,
    c.by_close ASC NULLS LAST,
    c.by_stint_age DESC NULLS LAST,
    c.value_order
