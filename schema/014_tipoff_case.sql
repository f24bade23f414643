-- The tip-off channel, phase 2a: the regulators' side.  Internal notes
-- are kept apart from the messages to the reporter (tipoff_message), so
-- that no query the reporter's routes make can reach one; their body is
-- sealed like the messages'.  A closed case says why.
CREATE TABLE tipoff_note (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	tipoff_id	BIGINT UNSIGNED NOT NULL,
	account_id	BIGINT UNSIGNED NOT NULL,
	body		MEDIUMTEXT NOT NULL,
	created_at	DATETIME(6) NOT NULL,
	KEY tipoff_note_case (tipoff_id, id),
	CONSTRAINT tipoff_note_fk FOREIGN KEY (tipoff_id)
	    REFERENCES tipoff (id) ON DELETE CASCADE,
	CONSTRAINT tipoff_note_account_fk FOREIGN KEY (account_id)
	    REFERENCES account (id)
) ENGINE=InnoDB;

ALTER TABLE tipoff
    ADD close_reason ENUM('duplicate', 'spam', 'out_of_scope') NULL
	AFTER decided_at;
