-- undo_table: take one load out of one table: its rows go, the rows it replaced come back.
DELETE FROM {{ target }} WHERE load_id = :load_id;

INSERT INTO {{ target }} ({{ columns }})
SELECT {{ columns }} FROM {{ shadow }} WHERE replaced_by = :load_id;

DELETE FROM {{ shadow }} WHERE replaced_by = :load_id;
