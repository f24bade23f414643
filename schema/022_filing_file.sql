-- An approval's writes after it has taken the year's filing number, in one
-- round trip (issue 12).  The number's row lock lasts to the commit and
-- every approval waits for it: with 8 reviewers about five of them wait
-- at any moment, so approvals per second are one over the time from the
-- number to the commit.  Six statements sent one by one made six round
-- trips of that time.  The caller (src/filing/filing_store.c,
-- filing_store_filed) builds everything first: the public record, the
-- ministries' signed and sealed documents, the history entry.  What each
-- statement writes is what the separate store functions write for every
-- other event (filing_store.c sql_file and sql_history_at,
-- registry_store.c sql_bump and sql_put, notify_store.c SQL_INSERT).
-- Invoker's rights: the application runs it with its own grants
-- (schema/grants.sql).
CREATE PROCEDURE filing_file (
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
