-- The audit trail is searched by object (a project's history) and, on the auditor's page, by the
-- actor's username, action and time; no query reads `audit_events.actor_id` through an index.
-- That index only cost every append: its entries are spread over all users, so each commit of a
-- batch of audit rows dirtied one more page per distinct actor (SQLite writes every dirty page to
-- the WAL at commit). Dropped.
DROP INDEX audit_events_actor;
