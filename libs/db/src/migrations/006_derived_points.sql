-- A derived point is computed on ingest from other points by an expression (filtrex syntax):
-- bare names are points of the same asset, quoted 'asset.point' names are another asset's.
alter table points add column expression text;
