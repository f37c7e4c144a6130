-- The sites a contact serves (null: every site). A user scoped to some sites sees only contacts of
-- those sites, and a site's escalation policy may name only contacts that serve it.
alter table alert_contacts add column sites text[];
