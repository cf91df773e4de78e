-- opportunity_list (metrics.md, Classes, Stage reached, Problem opportunities):
-- the explorer's table and the head of an opportunity's story: the rows of
-- opportunity_listing that match the search (see searched_opportunities), in
-- the chosen order (list_sort: '' key first then value, 'value', 'created',
-- 'expected_close', 'stint_age'; empty values last), the first row_limit of
-- them (all when NULL).
WITH
{{ include opportunity_state }},
{{ include stage_stints }},
{{ include stint_ages }},
{{ include problem_flags }},
{{ include opportunity_listing }}

SELECT *
FROM searched_opportunities
ORDER BY
    CASE WHEN CAST(:list_sort AS VARCHAR) = '' THEN is_key END DESC,
    CASE WHEN CAST(:list_sort AS VARCHAR) IN ('', 'value') THEN annual_value END DESC NULLS LAST,
    CASE WHEN CAST(:list_sort AS VARCHAR) = 'created' THEN created_date END DESC NULLS LAST,
    CASE WHEN CAST(:list_sort AS VARCHAR) = 'expected_close' THEN expected_close_date END ASC NULLS LAST,
    CASE WHEN CAST(:list_sort AS VARCHAR) = 'stint_age' THEN stint_age_days END DESC NULLS LAST,
    opportunity_id
LIMIT :row_limit
