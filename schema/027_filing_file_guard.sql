-- filing_file (022_filing_file.sql) as it was, and refusing, as a
-- deadlock, when no transaction is open, like every procedure that
-- writes for a call (023_audit_commit.sql says why): its six writes must
-- not commit on their own if the server ended the approval's transaction
-- between the number and this call.  The grant is renewed by
-- schema/grants.sql after every migration.
CREATE OR REPLACE PROCEDURE filing_file (
	IN p_id		BIGINT UNSIGNED,
	IN p_number	VARCHAR(48),
	IN p_filed_on	DATE,
	IN p_at		DATETIME(6),
	IN p_name	VARCHAR(128),
	IN p_host	VARCHAR(255),
	IN p_sponsor	VARCHAR(128),
	IN p_record	LONGTEXT,
	IN p_event_id	CHAR(36) CHARACTER SET ascii,
	IN p_seq	INT UNSIGNED,
	IN p_event	VARCHAR(32) CHARACTER SET ascii,
	IN p_to1	VARCHAR(8) CHARACTER SET ascii,
	IN p_doc1	LONGTEXT CHARACTER SET ascii,
	IN p_to2	VARCHAR(8) CHARACTER SET ascii,
	IN p_doc2	LONGTEXT CHARACTER SET ascii,
	IN p_actor	BIGINT UNSIGNED,
	IN p_history	VARCHAR(32) CHARACTER SET ascii,
	IN p_detail	LONGTEXT)
SQL SECURITY INVOKER
MODIFIES SQL DATA
BEGIN
	-- A transaction the server ended unseen: nothing may commit alone
	-- (see 023_audit_commit.sql); the caller runs the call again.
	IF @@in_transaction = 0 THEN
		SIGNAL SQLSTATE '40001' SET MYSQL_ERRNO = 1213,
		    MESSAGE_TEXT = 'filing_file: the transaction has ended';
	END IF;
	UPDATE filing SET status = 'filed', filing_number = p_number,
	    filed_on = p_filed_on, decision = NULL, version = version + 1,
	    updated_at = p_at
	    WHERE id = p_id;
	IF ROW_COUNT() <> 1 THEN
		SIGNAL SQLSTATE '45000'
		    SET MESSAGE_TEXT = 'filing_file: no such filing';
	END IF;
	-- The register's next version, held to the commit: the record
	-- carries it (021_registry_rev.sql).
	UPDATE registry_meta SET version = LAST_INSERT_ID(version + 1)
	    WHERE id = 1;
	INSERT INTO registry (filing_id, filing_number, platform_name,
	    homepage_host, sponsor_name, status, record, filed_on, updated_at,
	    rev)
	    VALUES (p_id, p_number, p_name, p_host, p_sponsor, 'filed',
	    p_record, p_filed_on, NOW(6), LAST_INSERT_ID())
	    ON DUPLICATE KEY UPDATE platform_name = VALUES(platform_name),
	    homepage_host = VALUES(homepage_host),
	    sponsor_name = VALUES(sponsor_name), status = VALUES(status),
	    record = VALUES(record), updated_at = NOW(6), rev = VALUES(rev);
	INSERT INTO notification (event_id, recipient, subject, subject_id,
	    seq, event, payload, next_try_at, created_at)
	    VALUES (p_event_id, p_to1, 'filing', p_id, p_seq, p_event, p_doc1,
	    NOW(6), NOW(6));
	IF p_to2 IS NOT NULL THEN
		INSERT INTO notification (event_id, recipient, subject,
		    subject_id, seq, event, payload, next_try_at, created_at)
		    VALUES (p_event_id, p_to2, 'filing', p_id, p_seq, p_event,
		    p_doc2, NOW(6), NOW(6));
	END IF;
	INSERT INTO filing_history (filing_id, at, actor_id, event, detail)
	    VALUES (p_id, p_at, p_actor, p_history, p_detail);
END;
