-- A write's audit record and its COMMIT in one round trip (issue 12).
-- Every audited write ended with two: the insert into audit_queue, then
-- COMMIT; a filing flow makes four such writes, and an approval makes
-- them while it holds the year's filing number.  The caller
-- (src/audit/audit.c, audit_append_commit) binds the record as
-- audit_append does; the insert is the one audit.c's sql_enqueue makes.
--
-- Outside a transaction the procedure refuses, as a deadlock, before it
-- writes anything: the server may have ended the caller's transaction
-- unseen (a Galera write set aborting it between two statements, see
-- db_lost_txn in src/db/db.c), and then the record must not commit on
-- its own, nor the caller believe its work committed.  The caller runs
-- the whole request again, as for any deadlock.
CREATE PROCEDURE audit_commit (
	IN p_at		DATETIME(6),
	IN p_actor	BIGINT UNSIGNED,
	IN p_role	VARCHAR(16) CHARACTER SET ascii,
	IN p_action	VARCHAR(64) CHARACTER SET ascii,
	IN p_object	VARCHAR(128) CHARACTER SET ascii,
	IN p_outcome	VARCHAR(64) CHARACTER SET ascii,
	IN p_status	SMALLINT UNSIGNED,
	IN p_client	VARCHAR(64) CHARACTER SET ascii)
SQL SECURITY INVOKER
MODIFIES SQL DATA
BEGIN
	IF @@in_transaction = 0 THEN
		SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,
		    MESSAGE_TEXT = 'audit_commit: the transaction has ended';
	END IF;
	INSERT INTO audit_queue (at, actor_id, actor_role, action, object,
	    outcome, status, client)
	    VALUES (p_at, p_actor, p_role, p_action, p_object, p_outcome,
	    p_status, p_client);
	COMMIT;
END;
