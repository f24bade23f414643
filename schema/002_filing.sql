-- Filings, their history, receipts, filing-number sequences and the
-- public register.  Personal fields inside `form` are sealed (AES-GCM).

CREATE TABLE filing (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	owner_id	BIGINT UNSIGNED NOT NULL,
	status		ENUM('draft','submitted','correction_requested','filed',
			    'rejected','deregistered','revoked') NOT NULL,
	version		INT UNSIGNED NOT NULL DEFAULT 1,
	form		LONGTEXT NOT NULL CHECK (JSON_VALID(form)),
	receipts	INT UNSIGNED NOT NULL DEFAULT 0,
	received_at	DATETIME(6) NULL,
	receipt_date	DATE NULL,
	deadline	DATE NULL,
	online_date	DATE NULL,
	decision	LONGTEXT NULL CHECK (decision IS NULL OR JSON_VALID(decision)),
	filing_number	VARCHAR(48) NULL,
	filed_on	DATE NULL,
	ended_on	DATE NULL,
	created_at	DATETIME(6) NOT NULL,
	updated_at	DATETIME(6) NOT NULL,
	UNIQUE KEY filing_number (filing_number),
	KEY filing_owner (owner_id),
	KEY filing_queue (status, deadline),
	CONSTRAINT filing_owner_fk FOREIGN KEY (owner_id) REFERENCES account (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Every event in a filing's life, for the operator and the regulators.
CREATE TABLE filing_history (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	filing_id	BIGINT UNSIGNED NOT NULL,
	at		DATETIME(6) NOT NULL,
	actor_id	BIGINT UNSIGNED NULL,
	event		VARCHAR(32) CHARACTER SET ascii NOT NULL,
	detail		LONGTEXT NULL CHECK (detail IS NULL OR JSON_VALID(detail)),
	KEY filing_history_filing (filing_id, id),
	CONSTRAINT filing_history_fk FOREIGN KEY (filing_id) REFERENCES filing (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- The log of received submissions (regulation 2021, art. 5: kept at
-- least six months).
CREATE TABLE receipt (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	filing_id	BIGINT UNSIGNED NOT NULL,
	kind		ENUM('application','resubmission','change',
			    'deregistration') NOT NULL,
	received_at	DATETIME(6) NOT NULL,
	receipt_date	DATE NOT NULL,
	deadline	DATE NULL,
	account_id	BIGINT UNSIGNED NOT NULL,
	KEY receipt_at (received_at),
	KEY receipt_filing (filing_id)
) ENGINE=InnoDB;

-- One row per year; the row lock makes two approvals take two numbers.
CREATE TABLE filing_sequence (
	year		SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
	last		INT UNSIGNED NOT NULL
) ENGINE=InnoDB;

-- The public register: only what SPEC §5 lets the public see.
CREATE TABLE registry (
	filing_id	BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	filing_number	VARCHAR(48) NOT NULL,
	platform_name	VARCHAR(128) NOT NULL,
	homepage_host	VARCHAR(255) NOT NULL,
	sponsor_name	VARCHAR(128) NOT NULL,
	status		ENUM('filed','deregistered','revoked') NOT NULL,
	record		LONGTEXT NOT NULL CHECK (JSON_VALID(record)),
	filed_on	DATE NOT NULL,
	updated_at	DATETIME(6) NOT NULL,
	UNIQUE KEY registry_number (filing_number),
	KEY registry_name (platform_name),
	CONSTRAINT registry_fk FOREIGN KEY (filing_id) REFERENCES filing (id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;
