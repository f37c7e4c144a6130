-- Cursor pagination walks each list in its order from where the last page stopped (a keyset):
-- these indexes give notifications and the audit log that order, ties broken by id.
create index notifications_listing on notifications (created_at desc, id desc);
create index audit_log_listing on audit_log (at desc, id desc);
