-- Least privilege for the application user (@APP@): it reads and writes
-- what requests need, and may only append to the audit log.
GRANT SELECT, INSERT, UPDATE, DELETE ON account TO @APP@;
GRANT SELECT, INSERT, UPDATE, DELETE ON session TO @APP@;
GRANT SELECT, INSERT, DELETE ON rate_event TO @APP@;
GRANT SELECT, INSERT ON audit_log TO @APP@;
GRANT SELECT, INSERT, DELETE ON audit_queue TO @APP@;
GRANT SELECT, UPDATE ON audit_head TO @APP@;
GRANT SELECT ON calendar_year TO @APP@;
GRANT SELECT ON calendar_day TO @APP@;
GRANT SELECT ON calendar_meta TO @APP@;
GRANT SELECT ON schema_migrations TO @APP@;
GRANT SELECT, INSERT, UPDATE ON filing TO @APP@;
GRANT SELECT, INSERT ON filing_history TO @APP@;
GRANT SELECT, INSERT ON receipt TO @APP@;
GRANT SELECT, INSERT, UPDATE ON filing_sequence TO @APP@;
GRANT SELECT, INSERT, UPDATE ON registry TO @APP@;
GRANT SELECT, UPDATE ON registry_meta TO @APP@;
GRANT SELECT, INSERT, DELETE ON attachment TO @APP@;
GRANT SELECT, INSERT, UPDATE ON filing_change TO @APP@;
GRANT SELECT, INSERT, UPDATE, DELETE ON idempotency TO @APP@;
GRANT SELECT, INSERT, UPDATE ON notification TO @APP@;
GRANT SELECT, INSERT ON audit_checkpoint TO @APP@;
GRANT SELECT, INSERT, UPDATE ON notify_sequence TO @APP@;
GRANT SELECT, UPDATE ON notify_position TO @APP@;
GRANT SELECT, INSERT, UPDATE, DELETE ON tipoff_challenge TO @APP@;
GRANT SELECT, INSERT, UPDATE ON tipoff TO @APP@;
GRANT SELECT, INSERT ON tipoff_message TO @APP@;
GRANT SELECT, INSERT, DELETE ON tipoff_session TO @APP@;
GRANT SELECT ON tipoff_purged TO @APP@;
GRANT SELECT, INSERT ON tipoff_note TO @APP@;
GRANT SELECT, INSERT ON tipoff_outcome TO @APP@;
GRANT SELECT ON tipoff_outcome_purged TO @APP@;
-- An approval's writes in one round trip (022_filing_file.sql); the
-- procedure runs with the caller's rights, so the grants above bound it.
GRANT EXECUTE ON PROCEDURE filing_file TO @APP@;
-- A write's audit record and its commit in one (023_audit_commit.sql).
GRANT EXECUTE ON PROCEDURE audit_commit TO @APP@;
-- The session check, with a write's START TRANSACTION (024_session_check.sql).
GRANT EXECUTE ON PROCEDURE session_check TO @APP@;
-- A submission's writes and its history (025_filing_submit.sql).
GRANT EXECUTE ON PROCEDURE filing_submit TO @APP@;
-- A new draft with its history entry (026_filing_create.sql).
GRANT EXECUTE ON PROCEDURE filing_create TO @APP@;
