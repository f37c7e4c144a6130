-- An alert keeps what its text is made of (rule kind and names, place, value, limit, unit, duration),
-- so that it is told in each reader's language; alerts from before have none and keep their stored text.
alter table alerts add column facts jsonb;
-- The language a contact is told in: zh-TW unless set.
alter table alert_contacts add column lang text not null default 'zh-TW' check (lang in ('zh-TW', 'en'));
