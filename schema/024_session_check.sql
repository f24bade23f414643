-- The session check, and for a write its START TRANSACTION, in one round
-- trip (issue 12).  Every signed-in call starts with the check; a write
-- then opened its transaction with a round trip of its own, one of the
-- four every write paid (the check, START TRANSACTION, the work's
-- statements, the audit record with COMMIT, 023_audit_commit.sql).  The
-- caller (src/account/account_store.c, session_resolve) reads the row
-- and, for a write, takes the transaction the server reports open.
-- Autocommit stays on, so a transaction the server ends between two
-- statements is still seen (db_lost_txn in src/db/db.c).
--
-- The columns: account id, role, login, the session's CSRF token, whether
-- last_seen_at is over a minute old (the caller then refreshes it), and
-- the database's clock for the call (db_clock_hold).
CREATE PROCEDURE session_check (
	IN p_hash	BINARY(32),
	IN p_idle	INT UNSIGNED,
	IN p_begin	TINYINT)
SQL SECURITY INVOKER
READS SQL DATA
BEGIN
	SELECT a.id, a.role, a.login, s.csrf_token,
	    s.last_seen_at < NOW(6) - INTERVAL 60 SECOND,
	    DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f')
	    FROM session s JOIN account a ON a.id = s.account_id
	    WHERE s.token_hash = p_hash AND s.expires_at > NOW(6)
	    AND s.last_seen_at > NOW(6) - INTERVAL p_idle SECOND
	    AND a.status = 'active';
	IF p_begin THEN
		START TRANSACTION;
	END IF;
END;
