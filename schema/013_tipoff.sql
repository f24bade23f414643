-- The tip-off channel (Art. 9), phase 1: the reporter's side.  What the
-- reporter wrote (the platform named, what happened, when, the contact
-- details), the messages and the acknowledgement are sealed with the data
-- key; nothing here holds a client address, a user agent or a receipt
-- code in clear.  The regulators' side (phase 2) fills the columns that
-- phase 1 leaves at their defaults: status, assignment, duplicates,
-- decision times.

-- Proof-of-work challenges, in the database so that every app host
-- accepts a challenge any of them gave.  A row is spent (used_at) by the
-- first submission that names it, right or wrong; old rows are deleted as
-- new ones are made.
CREATE TABLE tipoff_challenge (
	id		CHAR(22) CHARACTER SET ascii NOT NULL PRIMARY KEY,
	salt		BINARY(16) NOT NULL,
	difficulty	TINYINT UNSIGNED NOT NULL,
	expires_at	DATETIME(6) NOT NULL,
	used_at		DATETIME(6) NULL,
	KEY tipoff_challenge_expires (expires_at)
) ENGINE=InnoDB;

CREATE TABLE tipoff (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	reference	VARCHAR(24) CHARACTER SET ascii NOT NULL,
	-- Argon2id of the receipt code under a key derived from the data
	-- key, with a fixed salt: deterministic, so it is looked up here.
	receipt_hash	BINARY(32) NOT NULL,
	channel		ENUM('web', 'phone', 'email') NOT NULL DEFAULT 'web',
	status		ENUM('new', 'in_review', 'verified', 'unfounded',
			    'closed') NOT NULL DEFAULT 'new',
	category	VARCHAR(32) CHARACTER SET ascii NOT NULL,
	-- The filing named by its number (checked to exist), or NULL for
	-- a platform that is not on the register.
	filing_id	BIGINT UNSIGNED NULL,
	-- Sealed JSON: the submission as accepted (platform, description,
	-- occurred_on, contact).
	content		MEDIUMTEXT NOT NULL,
	submission_sha256 CHAR(64) CHARACTER SET ascii NOT NULL,
	-- Sealed: the signed acknowledgement (it names the platform).
	acknowledgement	MEDIUMTEXT NOT NULL,
	received_at	DATETIME(6) NOT NULL,
	updated_at	DATETIME(6) NOT NULL,
	-- Phase 2: the regulators' work on the case.
	assigned_to	BIGINT UNSIGNED NULL,
	duplicate_of	BIGINT UNSIGNED NULL,
	first_answer_at	DATETIME(6) NULL,
	decided_at	DATETIME(6) NULL,
	UNIQUE KEY tipoff_reference (reference),
	UNIQUE KEY tipoff_receipt (receipt_hash),
	KEY tipoff_status (status, received_at),
	KEY tipoff_filing (filing_id),
	CONSTRAINT tipoff_filing_fk FOREIGN KEY (filing_id)
	    REFERENCES filing (id),
	CONSTRAINT tipoff_assigned_fk FOREIGN KEY (assigned_to)
	    REFERENCES account (id),
	CONSTRAINT tipoff_duplicate_fk FOREIGN KEY (duplicate_of)
	    REFERENCES tipoff (id)
) ENGINE=InnoDB;

-- Messages between the reporter and the regulators; body sealed.
CREATE TABLE tipoff_message (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tipoff_id	BIGINT UNSIGNED NOT NULL,
	author		ENUM('reporter', 'regulator') NOT NULL,
	account_id	BIGINT UNSIGNED NULL,
	body		MEDIUMTEXT NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	KEY tipoff_message_case (tipoff_id, id),
	CONSTRAINT tipoff_message_fk FOREIGN KEY (tipoff_id)
	    REFERENCES tipoff (id) ON DELETE CASCADE,
	CONSTRAINT tipoff_message_account_fk FOREIGN KEY (account_id)
	    REFERENCES account (id)
) ENGINE=InnoDB;

-- Reporter sessions, apart from staff sessions: only the token's SHA-256.
CREATE TABLE tipoff_session (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,
	tipoff_id	BIGINT UNSIGNED NOT NULL,
	csrf		CHAR(43) CHARACTER SET ascii NOT NULL,
	expires_at	DATETIME(6) NOT NULL,
	KEY tipoff_session_expires (expires_at),
	CONSTRAINT tipoff_session_fk FOREIGN KEY (tipoff_id)
	    REFERENCES tipoff (id) ON DELETE CASCADE
) ENGINE=InnoDB;

-- A reporter has no account: their evidence is uploaded by nobody.
ALTER TABLE attachment MODIFY uploaded_by BIGINT UNSIGNED NULL;
