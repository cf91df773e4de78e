-- apply_dependencies: a load that replaced rows depends on the loads that brought them.
INSERT INTO load_dependencies (load_id, depends_on)
SELECT DISTINCT :load_id, load_id FROM {{ shadow }}
WHERE replaced_by = :load_id AND load_id IS NOT NULL AND load_id <> :load_id;
