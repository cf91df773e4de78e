-- apply_replace: a load replaces the rows it covers: those matching its keys (snapshot
-- dates, periods, years, contract or request ids; every row for org).  Replaced rows move
-- to the shadow table stamped with the replacing load, so undo can put them back; the new
-- rows are then copied straight into the target (transfer.py).
-- Runs in the warehouse (both backends), inside the batch's one transaction.
INSERT INTO {{ shadow }} ({{ columns }}, replaced_by)
SELECT {{ columns }}, :load_id FROM {{ target }} AS t
WHERE {{ matches }};

DELETE FROM {{ target }} AS t
WHERE {{ matches }};
