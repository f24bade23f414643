-- The public statistics count what was done about verified tip-offs
-- (rectification, revocation, referral) per month; a purged case's
-- outcomes keep counting here, as its other counts do in tipoff_purged.

CREATE TABLE tipoff_outcome_purged (
	-- The month of the outcome, Beijing time, as YYYY-MM.
	month		CHAR(7) CHARACTER SET ascii NOT NULL,
	category	VARCHAR(32) CHARACTER SET ascii NOT NULL,
	kind		VARCHAR(16) CHARACTER SET ascii NOT NULL,
	n		INT UNSIGNED NOT NULL,
	PRIMARY KEY (month, category, kind)
) ENGINE=InnoDB;
