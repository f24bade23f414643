-- One table for every rate limit (src/ratelimit): failed logins per login,
-- per address and per device cookie, registrations per address, and what
-- later capabilities count.  Keys are keyed hashes.  The two tables it
-- replaces held only counts of the last day; they start again empty.

CREATE TABLE rate_event (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	key_hash	BINARY(32) NOT NULL,
	at		DATETIME(6) NOT NULL,
	KEY rate_event_key (key_hash, at),
	KEY rate_event_at (at)
) ENGINE=InnoDB;

DROP TABLE login_failure;
DROP TABLE register_attempt;
