-- apply_append: stage history and activities are appended without duplicates.  Rows
-- already held (same key) are not written again, and the loads that hold them are
-- recorded as this load's dependencies (undoing them first undoes this load).
INSERT INTO load_dependencies (load_id, depends_on)
SELECT DISTINCT :load_id, t.load_id FROM {{ target }} AS t
WHERE t.load_id IS NOT NULL AND t.load_id <> :load_id AND {{ matches }};

INSERT INTO {{ target }} ({{ incoming_columns }}, load_id)
SELECT {{ incoming_columns }}, :load_id FROM {{ incoming }} AS i
WHERE NOT EXISTS (SELECT 1 FROM {{ target }} AS t WHERE {{ key_equal }});
