-- The pull feed pages by a position that follows commit order.  The
-- AUTO_INCREMENT id is taken at insert: two transactions that insert ids
-- 10 and 11 and commit in the order 11, 10 let a reader that asked in
-- between move its cursor past 10 for ever (and on a Galera cluster ids
-- interleave across nodes).  A position is taken from the recipient's
-- counter row with UPDATE … last = last + 1 in the inserting
-- transaction; the row lock is held to the commit, so a later
-- transaction only gets a higher position once the earlier one has
-- committed (or rolled back, taking its number with it).
--
-- Rows written before keep their id as position: that is id order, and
-- the cursors receivers hold today stay valid.  Each counter starts at
-- its recipient's highest position.

CREATE TABLE notify_position (
	recipient	ENUM('mps','cac') NOT NULL PRIMARY KEY,
	last		BIGINT UNSIGNED NOT NULL
) ENGINE=InnoDB;

ALTER TABLE notification
    ADD COLUMN position BIGINT UNSIGNED NULL AFTER recipient;

UPDATE notification SET position = id;

ALTER TABLE notification
    MODIFY position BIGINT UNSIGNED NOT NULL,
    DROP KEY notification_feed,
    ADD UNIQUE KEY notification_feed (recipient, position);

INSERT INTO notify_position (recipient, last)
    SELECT 'mps', COALESCE(MAX(position), 0) FROM notification
    WHERE recipient = 'mps';
INSERT INTO notify_position (recipient, last)
    SELECT 'cac', COALESCE(MAX(position), 0) FROM notification
    WHERE recipient = 'cac';
