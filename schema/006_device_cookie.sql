-- Registrations per client address, to bound how fast anyone can create
-- accounts or probe which logins exist (409 login_taken).  Keyed like
-- login_failure: key_hash is an HMAC under a key derived from the data
-- key, so the table holds no address, and a copy of it cannot be
-- reversed by hashing every IPv4 address.
--
-- Device-cookie lockouts need no table of their own: a failure with a
-- device cookie is a login_failure row keyed by that cookie's nonce.
CREATE TABLE register_attempt (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	key_hash	BINARY(32) NOT NULL,
	at		DATETIME(6) NOT NULL,
	KEY register_attempt_key (key_hash, at),
	KEY register_attempt_at (at)
) ENGINE=InnoDB;
