-- Accounts, sessions, login throttling, the audit chain and the calendar.
-- All times are UTC (every connection sets time_zone = '+00:00').

CREATE TABLE account (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	login		VARCHAR(64) CHARACTER SET ascii COLLATE ascii_bin NOT NULL,
	role		ENUM('operator','reviewer','supervisor','admin',
			    'observer_mps','observer_cac') NOT NULL,
	display_name	VARCHAR(64) NOT NULL,
	password_hash	VARCHAR(255) CHARACTER SET ascii NOT NULL,
	status		ENUM('active','disabled') NOT NULL DEFAULT 'active',
	created_at	DATETIME(6) NOT NULL,
	updated_at	DATETIME(6) NOT NULL,
	UNIQUE KEY account_login (login)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Only the SHA-256 of a session token is stored: a copy of this table
-- does not let anyone log in.
CREATE TABLE session (
	token_hash	BINARY(32) NOT NULL PRIMARY KEY,
	account_id	BIGINT UNSIGNED NOT NULL,
	csrf_token	CHAR(43) CHARACTER SET ascii NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	last_seen_at	DATETIME(6) NOT NULL,
	expires_at	DATETIME(6) NOT NULL,
	KEY session_account (account_id),
	KEY session_expires (expires_at),
	CONSTRAINT session_account_fk FOREIGN KEY (account_id)
	    REFERENCES account (id) ON DELETE CASCADE
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Failed logins, keyed by a hash of the login name or of the client
-- address, so the table holds no personal data in clear.
CREATE TABLE login_failure (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	key_hash	BINARY(32) NOT NULL,
	at		DATETIME(6) NOT NULL,
	KEY login_failure_key (key_hash, at)
) ENGINE=InnoDB;

-- The audit log is a hash chain: each row's hash covers its content and
-- the previous row's hash.  audit_head serialises appends and remembers
-- the tip, so that deleting the newest rows is detected too.
CREATE TABLE audit_log (
	id		BIGINT UNSIGNED NOT NULL PRIMARY KEY,
	at		DATETIME(6) NOT NULL,
	actor_id	BIGINT UNSIGNED NULL,
	actor_role	VARCHAR(16) CHARACTER SET ascii NULL,
	action		VARCHAR(64) CHARACTER SET ascii NOT NULL,
	object		VARCHAR(128) CHARACTER SET ascii NOT NULL,
	outcome		VARCHAR(64) CHARACTER SET ascii NOT NULL,
	status		SMALLINT UNSIGNED NOT NULL,
	client		VARCHAR(64) CHARACTER SET ascii NOT NULL,
	prev_hash	BINARY(32) NOT NULL,
	hash		BINARY(32) NOT NULL,
	KEY audit_at (at),
	KEY audit_object (object)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE audit_head (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	last_id		BIGINT UNSIGNED NOT NULL,
	last_hash	BINARY(32) NOT NULL
) ENGINE=InnoDB;

INSERT INTO audit_head (id, last_id, last_hash) VALUES (1, 0, REPEAT(X'00', 32));

-- Holiday notices.  A year is answerable only once its notice is loaded.
CREATE TABLE calendar_year (
	year		SMALLINT UNSIGNED NOT NULL PRIMARY KEY,
	loaded_at	DATETIME(6) NOT NULL,
	source_sha256	CHAR(64) CHARACTER SET ascii NOT NULL
) ENGINE=InnoDB;

CREATE TABLE calendar_day (
	day		DATE NOT NULL PRIMARY KEY,
	kind		ENUM('holiday','workday') NOT NULL,
	year		SMALLINT UNSIGNED NOT NULL,
	name		VARCHAR(64) NOT NULL DEFAULT '',
	KEY calendar_day_year (year)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_unicode_ci;

-- Bumped on every load, so workers notice a new notice cheaply.
CREATE TABLE calendar_meta (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY,
	version		BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

INSERT INTO calendar_meta (id, version) VALUES (1, 0);
