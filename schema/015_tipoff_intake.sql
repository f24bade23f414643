-- The tip-off channel, phase 2b: statistics that outlive retention.
-- Purging a closed case (vcpctl tipoffs purge) would otherwise take it
-- out of the public statistics of the months it was received and
-- decided; its counts are added here first.  Counts only: no text, no
-- platform, nothing that names anyone.
CREATE TABLE tipoff_purged (
	-- Months in Beijing time, as YYYY-MM.
	received_month	CHAR(7) CHARACTER SET ascii NOT NULL,
	decided_month	CHAR(7) CHARACTER SET ascii NOT NULL,
	category	VARCHAR(32) CHARACTER SET ascii NOT NULL,
	channel		ENUM('web', 'phone', 'email') NOT NULL,
	status		VARCHAR(16) CHARACTER SET ascii NOT NULL,
	n		INT UNSIGNED NOT NULL,
	PRIMARY KEY (received_month, decided_month, category, channel, status)
) ENGINE=InnoDB;
