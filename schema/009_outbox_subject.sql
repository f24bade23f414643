-- The outbox serves every capability: a row names its subject (a type and
-- an id) instead of a filing, events are named by the capability that
-- emits them, and each subject's sequence lives in the outbox's own table
-- rather than in the filing table.

CREATE TABLE notify_sequence (
	subject		VARCHAR(16) CHARACTER SET ascii NOT NULL,
	subject_id	BIGINT UNSIGNED NOT NULL,
	last		INT UNSIGNED NOT NULL,
	PRIMARY KEY (subject, subject_id)
) ENGINE=InnoDB;

INSERT INTO notify_sequence (subject, subject_id, last)
    SELECT 'filing', id, event_seq FROM filing WHERE event_seq > 0;
INSERT INTO notify_sequence (subject, subject_id, last)
    SELECT 'audit', 0, MAX(seq) FROM notification WHERE subject = 'audit'
    HAVING MAX(seq) IS NOT NULL;

ALTER TABLE notification
    CHANGE filing_id subject_id BIGINT UNSIGNED NOT NULL,
    MODIFY subject VARCHAR(16) CHARACTER SET ascii NOT NULL,
    MODIFY event VARCHAR(32) CHARACTER SET ascii NOT NULL;

ALTER TABLE filing DROP COLUMN event_seq;
