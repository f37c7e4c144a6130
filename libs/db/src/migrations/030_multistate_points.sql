-- Multi-state points (off/on/fault): the value is one of the states the registry lists, each with
-- its labels, kept with the point as [{"value": 0, "en": "off", "zh-TW": "停機"}, ...]. Null for the
-- other kinds. Ingest refuses a value that is none of the states.
alter table points drop constraint points_kind_check;
alter table points add constraint points_kind_check check (kind in ('cumulative', 'interval', 'gauge', 'status', 'setpoint', 'multistate'));
alter table points add column states jsonb;
