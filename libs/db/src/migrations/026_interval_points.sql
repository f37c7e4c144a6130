-- Interval points: each reading is the amount (kWh, m³) used over the interval that ends at its
-- timestamp, as utilities export interval data (docs/rollups.md, "Interval points"). A missing
-- interval is no reading, so missing stays missing.
alter table points drop constraint points_kind_check;
alter table points add constraint points_kind_check check (kind in ('cumulative', 'interval', 'gauge', 'status', 'setpoint'));
