-- The write path off the hot rows (issue 12).  A request no longer locks
-- audit_head or a recipient's position counter until its commit:
--
-- * its audit record is one INSERT into audit_queue; a sealer (vcpnotifyd,
--   vcpctl) moves committed records into audit_log, numbering, linking and
--   keying them in the order it reads them, and moves the head;
-- * its events are inserted without a feed position; a sequencer (the feed
--   route, vcpnotifyd) gives committed rows the next positions, so a
--   position is only ever handed out after its row has committed.
--
-- Both take their turn with a write on the row they move (turn + 1),
-- which InnoDB's row lock orders on one node and Galera's certification
-- between nodes; neither relies on a lock read.

CREATE TABLE audit_queue (
	id		BIGINT UNSIGNED NOT NULL AUTO_INCREMENT PRIMARY KEY,
	at		DATETIME(6) NOT NULL,
	actor_id	BIGINT UNSIGNED NULL,
	actor_role	VARCHAR(16) CHARACTER SET ascii NULL,
	action		VARCHAR(64) CHARACTER SET ascii NOT NULL,
	object		VARCHAR(128) CHARACTER SET ascii NOT NULL,
	outcome		VARCHAR(64) CHARACTER SET ascii NOT NULL,
	status		SMALLINT UNSIGNED NOT NULL,
	client		VARCHAR(64) CHARACTER SET ascii NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

ALTER TABLE audit_head ADD COLUMN turn BIGINT UNSIGNED NOT NULL DEFAULT 0;

ALTER TABLE notify_position ADD COLUMN turn BIGINT UNSIGNED NOT NULL DEFAULT 0;

ALTER TABLE notification MODIFY position BIGINT UNSIGNED NULL;

-- vcpnotifyd reads back the rows its batch's lease names.
ALTER TABLE notification ADD KEY notification_lease (lease_owner);
