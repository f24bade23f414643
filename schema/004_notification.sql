-- The outbox of filing events for the Ministry of Public Security (mps)
-- and the Cyberspace Administration (cac): written in the same
-- transaction as the state change, one row per recipient, delivered by
-- vcpnotifyd.  Payloads are sealed (they carry personal data).

ALTER TABLE filing ADD COLUMN event_seq INT UNSIGNED NOT NULL DEFAULT 0;

CREATE TABLE notification (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	event_id	CHAR(36) CHARACTER SET ascii NOT NULL,
	recipient	ENUM('mps','cac') NOT NULL,
	filing_id	BIGINT UNSIGNED NOT NULL,
	seq		INT UNSIGNED NOT NULL,
	event		ENUM('filed','changed','deregistered','revoked') NOT NULL,
	payload		LONGTEXT CHARACTER SET ascii NOT NULL,
	status		ENUM('pending','delivered') NOT NULL DEFAULT 'pending',
	attempts	INT UNSIGNED NOT NULL DEFAULT 0,
	last_error	VARCHAR(255) NULL,
	next_try_at	DATETIME(6) NOT NULL,
	lease_owner	VARCHAR(64) CHARACTER SET ascii NULL,
	lease_until	DATETIME(6) NULL,
	delivered_at	DATETIME(6) NULL,
	delivered_by	VARCHAR(64) CHARACTER SET ascii NULL,
	created_at	DATETIME(6) NOT NULL,
	UNIQUE KEY notification_event (event_id, recipient),
	UNIQUE KEY notification_order (filing_id, recipient, seq),
	KEY notification_due (status, next_try_at),
	KEY notification_feed (recipient, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
