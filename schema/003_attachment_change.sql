-- Attachments, changes of filed platforms, and idempotent submissions.

CREATE TABLE attachment (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	filing_id	BIGINT UNSIGNED NOT NULL,
	kind		ENUM('mlps_certificate','commitment_letter','management',
			    'other') NOT NULL,
	media_type	VARCHAR(32) CHARACTER SET ascii NOT NULL,
	filename	VARCHAR(255) NOT NULL,
	size		INT UNSIGNED NOT NULL,
	sha256		CHAR(64) CHARACTER SET ascii NOT NULL,
	content		LONGBLOB NOT NULL,
	uploaded_by	BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	KEY attachment_filing (filing_id),
	CONSTRAINT attachment_filing_fk FOREIGN KEY (filing_id)
	    REFERENCES filing (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A change of a filed platform (Art. 6): the whole proposed form, the
-- fields that changed and the day they changed.  The filing and its
-- public record keep the old version until the change is approved.
CREATE TABLE filing_change (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	filing_id	BIGINT UNSIGNED NOT NULL,
	status		ENUM('submitted','correction_requested','approved',
			    'rejected') NOT NULL,
	form		LONGTEXT NOT NULL CHECK (JSON_VALID(form)),
	fields		LONGTEXT NOT NULL CHECK (JSON_VALID(fields)),
	changed_on	DATE NOT NULL,
	due_on		DATE NULL,
	late		TINYINT(1) NOT NULL DEFAULT 0,
	receipts	INT UNSIGNED NOT NULL DEFAULT 1,
	received_at	DATETIME(6) NOT NULL,
	receipt_date	DATE NOT NULL,
	deadline	DATE NULL,
	decision	LONGTEXT NULL CHECK (decision IS NULL OR JSON_VALID(decision)),
	decided_on	DATE NULL,
	created_at	DATETIME(6) NOT NULL,
	KEY change_filing (filing_id),
	KEY change_queue (status, deadline),
	CONSTRAINT change_filing_fk FOREIGN KEY (filing_id) REFERENCES filing (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- A retried submit with the same Idempotency-Key gets the first answer.
CREATE TABLE idempotency (
	account_id	BIGINT UNSIGNED NOT NULL,
	idem_key	VARCHAR(128) CHARACTER SET ascii NOT NULL,
	route		VARCHAR(64) CHARACTER SET ascii NOT NULL,
	status		SMALLINT UNSIGNED NOT NULL,
	response	LONGTEXT NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	PRIMARY KEY (account_id, idem_key),
	KEY idempotency_at (created_at)
) ENGINE=InnoDB;
