-- The tip-off channel, phase 3: what a verified case led to.  A case may
-- have several outcomes (a rectification ordered, then a referral).  The
-- reasons are sealed: they may name people.  A purged case takes its
-- outcomes with it (ON DELETE CASCADE), so vcpctl tipoffs purge works.
CREATE TABLE tipoff_outcome (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tipoff_id	BIGINT UNSIGNED NOT NULL,
	kind		ENUM('rectification', 'revocation', 'referral')
			    NOT NULL,
	-- rectification: the day it is due; referral: the ministry;
	-- revocation: the filing revoked.
	due_on		DATE NULL,
	ministry	ENUM('mps', 'cac') NULL,
	filing_id	BIGINT UNSIGNED NULL,
	reasons		MEDIUMTEXT NOT NULL,
	account_id	BIGINT UNSIGNED NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	KEY tipoff_outcome_case (tipoff_id, id),
	CONSTRAINT tipoff_outcome_fk FOREIGN KEY (tipoff_id)
	    REFERENCES tipoff (id) ON DELETE CASCADE,
	CONSTRAINT tipoff_outcome_account_fk FOREIGN KEY (account_id)
	    REFERENCES account (id)
) ENGINE=InnoDB;
