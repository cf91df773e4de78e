-- check_unique: how many key values a load left held more than once, among the rows of
-- the key values it replaced (snapshot dates).  For the keys no database enforces on
-- every backend (schema.LOADER_KEYS: opportunity_snapshot has no PRIMARY KEY on
-- DuckDB); a count above zero fails the batch, which rolls back.  The loader's own
-- rules make it zero: rule_duplicate quarantines a repeated key within a file, and
-- apply_replace removes every held row of the file's snapshot dates first.
-- Runs in the warehouse (both backends), inside the batch's one transaction.
SELECT count(*) FROM (
    SELECT 1
    FROM {{ target }} AS t
    WHERE {{ matches }}
    GROUP BY {{ unique }}
    HAVING count(*) > 1
) AS repeated
