-- The public register's version (issue 12).  Every worker of every app
-- host answers the register from a snapshot in its memory and looks at
-- this row at most once a second: every publishing transaction bumps it
-- (registry_changed), so a worker that sees a new number rebuilds.
-- A row every host reads, not process memory: hosts share the database.
CREATE TABLE registry_meta (
	id		TINYINT UNSIGNED NOT NULL PRIMARY KEY CHECK (id = 1),
	version		BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;
INSERT INTO registry_meta (id, version) VALUES (1, 1);

-- The Atom feed reads the newest public events of each kind: with this
-- key it reads at most its page of each, whatever else the history holds.
ALTER TABLE filing_history ADD KEY filing_history_event (event, id);
