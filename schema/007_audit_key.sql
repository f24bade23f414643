-- The audit chain becomes keyed (HMAC-SHA-256 under audit_key_file), and
-- its head is pinned by a MAC; checkpoints of the head go to MPS and CAC
-- through the outbox as independent witnesses.  Also: replayed answers of
-- the idempotency store are sealed from now on, and the ones stored in
-- clear before are dropped (they only serve retries within a day).

ALTER TABLE audit_log ADD COLUMN key_id CHAR(8) CHARACTER SET ascii NULL;

ALTER TABLE audit_head
    ADD COLUMN first_keyed BIGINT UNSIGNED NULL,
    ADD COLUMN mac BINARY(32) NULL;

CREATE TABLE audit_checkpoint (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	audit_id	BIGINT UNSIGNED NOT NULL,
	hash		BINARY(32) NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	KEY audit_checkpoint_at (created_at)
) ENGINE=InnoDB;

-- The outbox carries events of more than filings: a subject says whose
-- event it is, and each subject keeps its own order.
ALTER TABLE notification
    ADD COLUMN subject ENUM('filing','audit') NOT NULL DEFAULT 'filing'
	AFTER recipient,
    MODIFY event ENUM('filed','changed','deregistered','revoked',
	'audit_checkpoint') NOT NULL,
    DROP KEY notification_order,
    ADD UNIQUE KEY notification_order (subject, filing_id, recipient, seq);

DELETE FROM idempotency;
