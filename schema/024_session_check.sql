-- The session check, and the call's START TRANSACTION, in one round trip
-- (issue 12).  Every signed-in call
-- starts with the check; a write then opened its transaction with a
-- round trip of its own, one of the four every write paid (the check,
-- START TRANSACTION, the work's statements, the audit record with
-- COMMIT, 023_audit_commit.sql).  The caller (src/account/
-- account_store.c, session_resolve) reads the row and takes the
-- transaction the server reports open.  Autocommit stays on, so a
-- transaction the server ends between two statements is still seen
-- (db_lost_txn in src/db/db.c).
--
-- last_seen_at is refreshed here, at most once a minute and before the
-- transaction opens: on its own, it neither waits for the call's work
-- nor holds the session's row while the call runs, and a call that
-- fails keeps it.
--
-- The row (none for an unknown, expired, idle or disabled session): the
-- account's id, role and login, the session's CSRF token, and the
-- database's clock for the call (db_clock_hold).
CREATE PROCEDURE session_check (
	IN p_hash	BINARY(32),
	IN p_idle	INT UNSIGNED)
SQL SECURITY INVOKER
MODIFIES SQL DATA
BEGIN
	DECLARE v_id		BIGINT UNSIGNED DEFAULT NULL;
	DECLARE v_role		VARCHAR(16) CHARACTER SET ascii;
	DECLARE v_login		VARCHAR(64) CHARACTER SET ascii;
	DECLARE v_csrf		CHAR(43) CHARACTER SET ascii;
	DECLARE v_stale		TINYINT DEFAULT 0;
	DECLARE v_now		VARCHAR(26) CHARACTER SET ascii;
	DECLARE CONTINUE HANDLER FOR NOT FOUND SET v_id = NULL;

	SELECT a.id, a.role, a.login, s.csrf_token,
	    s.last_seen_at < NOW(6) - INTERVAL 60 SECOND,
	    DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f')
	    INTO v_id, v_role, v_login, v_csrf, v_stale, v_now
	    FROM session s JOIN account a ON a.id = s.account_id
	    WHERE s.token_hash = p_hash AND s.expires_at > NOW(6)
	    AND s.last_seen_at > NOW(6) - INTERVAL p_idle SECOND
	    AND a.status = 'active';
	IF v_id IS NOT NULL AND v_stale THEN
		UPDATE session SET last_seen_at = NOW(6)
		    WHERE token_hash = p_hash;
	END IF;
	SELECT v_id, v_role, v_login, v_csrf, v_now FROM DUAL
	    WHERE v_id IS NOT NULL;
	START TRANSACTION;
END;
