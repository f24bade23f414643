-- A new draft and its first history entry in one round trip (issue 12).
-- The caller (src/filing/filing_store.c, filing_store_create) has sealed
-- the form's personal fields and read the call's clock; the procedure
-- answers the draft's id as a one-row result.  The statements are the
-- two the store sent one by one before: the draft's insert, and its
-- history entry at the draft's time.  Invoker's rights
-- (schema/grants.sql).
CREATE PROCEDURE filing_create (
	IN p_owner	BIGINT UNSIGNED,
	IN p_form	LONGTEXT,
	IN p_at		DATETIME(6))
SQL SECURITY INVOKER
MODIFIES SQL DATA
BEGIN
	DECLARE v_id BIGINT UNSIGNED;

	-- A transaction the server ended unseen: nothing may commit alone
	-- (see 023_audit_commit.sql); the caller runs the call again.
	IF @@in_transaction = 0 THEN
		SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,
		    MESSAGE_TEXT = 'filing_create: the transaction has ended';
	END IF;
	INSERT INTO filing (owner_id, status, form, created_at, updated_at)
	    VALUES (p_owner, 'draft', p_form, p_at, p_at);
	SET v_id = LAST_INSERT_ID();
	INSERT INTO filing_history (filing_id, at, actor_id, event, detail)
	    VALUES (v_id, p_at, p_owner, 'created', NULL);
	SELECT v_id;
END;
