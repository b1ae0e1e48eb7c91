-- Airbridge team workspace, schema 4: a status row names its actor (layers/schema.py,
-- SITE_STATUS), whose presence it describes. Rows imported before keep it empty: they name
-- no actor and never count as Russian presence (docs/data.md).

ALTER TABLE site_statuses ADD COLUMN actor text;
