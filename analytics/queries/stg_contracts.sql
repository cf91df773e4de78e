-- stg_contracts: one row per contract.
SELECT
    contract_id, opportunity_id, customer_id, product, signed_date,
    CAST(amount AS DOUBLE PRECISION) AS amount, term_months, owner_id
FROM contracts
