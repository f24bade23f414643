-- A submission's writes, and the history its answer shows, in one round
-- trip (issue 12).  The caller (src/filing/filing_store.c,
-- filing_store_submitted) has locked the filing, checked the form and
-- the attachments and worked out the review deadline; what is left needs
-- no decision: the filing under review, its receipt, its history entry,
-- then the history read back.  The statements are the ones the store
-- sent one by one (filing_store.c sql_receipt, sql_history and
-- sql_history_list; the filing's update as it was).  Invoker's rights
-- (schema/grants.sql).
CREATE PROCEDURE filing_submit (
	IN p_id		BIGINT UNSIGNED,
	IN p_at		DATETIME(6),
	IN p_date	DATE,
	IN p_deadline	DATE,
	IN p_online	DATE,
	IN p_kind	VARCHAR(16) CHARACTER SET ascii,
	IN p_actor	BIGINT UNSIGNED,
	IN p_event	VARCHAR(32) CHARACTER SET ascii)
SQL SECURITY INVOKER
MODIFIES SQL DATA
BEGIN
	-- A transaction the server ended unseen: nothing may commit alone
	-- (see 023_audit_commit.sql); the caller runs the call again.
	IF @@in_transaction = 0 THEN
		SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,
		    MESSAGE_TEXT = 'filing_submit: the transaction has ended';
	END IF;
	UPDATE filing SET status = 'submitted', receipts = receipts + 1,
	    received_at = p_at, receipt_date = p_date, deadline = p_deadline,
	    online_date = p_online, decision = NULL, version = version + 1,
	    updated_at = p_at
	    WHERE id = p_id;
	IF ROW_COUNT() <> 1 THEN
		SIGNAL SQLSTATE '45000'
		    SET MESSAGE_TEXT = 'filing_submit: no such filing';
	END IF;
	INSERT INTO receipt (filing_id, kind, received_at, receipt_date,
	    deadline, account_id)
	    VALUES (p_id, p_kind, p_at, p_date, p_deadline, p_actor);
	INSERT INTO filing_history (filing_id, at, actor_id, event, detail)
	    VALUES (p_id, NOW(6), p_actor, p_event, NULL);
	SELECT DATE_FORMAT(at, '%Y-%m-%dT%H:%i:%sZ'), event, detail
	    FROM filing_history WHERE filing_id = p_id ORDER BY id LIMIT 1000;
END;
