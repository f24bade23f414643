-- A receiver's permanent refusal (HTTP 4xx other than 408 and 429) ends a
-- row's tries: it becomes 'rejected', keeps the receiver's answer, and
-- holds back its filing's later events for that recipient until a
-- supervisor sends it again.  The answer body (at most 1 KiB, made
-- printable) is sealed like the payload, since a receiver may quote what
-- it refused.  notification_age lets /healthz find old pending rows
-- without reading the whole backlog.

ALTER TABLE notification
	MODIFY status ENUM('pending','delivered','rejected') NOT NULL
	    DEFAULT 'pending',
	ADD COLUMN answer_status SMALLINT UNSIGNED NULL AFTER last_error,
	ADD COLUMN answer_body TEXT CHARACTER SET ascii NULL
	    AFTER answer_status,
	ADD COLUMN rejected_at DATETIME(6) NULL AFTER answer_body,
	ADD KEY notification_age (status, created_at);
