-- Attachments serve every capability: a file belongs to an owner, a
-- subject type and an id ('filing', 5; later a tip-off), instead of a
-- filing.  The owner decides who may touch its files and which kinds it
-- takes (src/domain/attachment.c for filings), so kind is text checked by
-- the owner rather than an ENUM of the filing's kinds.  The foreign key
-- to filing goes, since an owner may be any subject and a key can name
-- one table only; the application keeps the link (no filing is ever
-- deleted, and a file is reached only through its owner's operations).

ALTER TABLE attachment DROP FOREIGN KEY attachment_filing_fk;

ALTER TABLE attachment
    ADD owner_type VARCHAR(16) CHARACTER SET ascii NOT NULL DEFAULT 'filing'
	AFTER id,
    CHANGE filing_id owner_id BIGINT UNSIGNED NOT NULL,
    MODIFY kind VARCHAR(32) CHARACTER SET ascii NOT NULL,
    DROP KEY attachment_filing,
    ADD KEY attachment_owner (owner_type, owner_id);
