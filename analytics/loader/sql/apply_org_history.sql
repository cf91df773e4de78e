-- apply_org_history: org_history follows the hierarchy (data-contract.md, org), so past
-- periods report under the team of their time.  A person whose team, branch or role
-- changed, or who is no longer listed, has their open row closed on :closed_on (the day
-- before :valid_from); anyone without an open row gets one from :valid_from.  Closing
-- replaces the open row (shadow + closed copy), so undo restores it exactly.
INSERT INTO org_history_replaced (staff_id, team, branch, role, valid_from, valid_to, load_id, replaced_by)
SELECT h.staff_id, h.team, h.branch, h.role, h.valid_from, h.valid_to, h.load_id, :load_id
FROM org_history AS h
WHERE h.valid_to IS NULL AND NOT EXISTS (
    SELECT 1 FROM incoming_org AS i
    WHERE i.staff_id = h.staff_id AND coalesce(i.team, '') = coalesce(h.team, '')
      AND coalesce(i.branch, '') = coalesce(h.branch, '') AND i.role = coalesce(h.role, ''));

DELETE FROM org_history AS h
WHERE h.valid_to IS NULL AND NOT EXISTS (
    SELECT 1 FROM incoming_org AS i
    WHERE i.staff_id = h.staff_id AND coalesce(i.team, '') = coalesce(h.team, '')
      AND coalesce(i.branch, '') = coalesce(h.branch, '') AND i.role = coalesce(h.role, ''));

INSERT INTO org_history (staff_id, team, branch, role, valid_from, valid_to, load_id)
SELECT staff_id, team, branch, role, valid_from, :closed_on, :load_id
FROM org_history_replaced
WHERE replaced_by = :load_id AND valid_to IS NULL AND valid_from <= :closed_on;

INSERT INTO org_history (staff_id, team, branch, role, valid_from, valid_to, load_id)
SELECT i.staff_id, i.team, i.branch, i.role, :valid_from, NULL, :load_id
FROM incoming_org AS i
WHERE NOT EXISTS (SELECT 1 FROM org_history AS h WHERE h.staff_id = i.staff_id AND h.valid_to IS NULL);
