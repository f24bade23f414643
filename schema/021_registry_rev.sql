-- Each record of the register carries the register's version its last
-- publish set (issue 12), so that a worker whose snapshot is at version v
-- reads only the records with rev > v instead of the whole register,
-- which at 100,000 records took about a second, every second, in each
-- worker while approvals went on.  A publish takes the version's row lock
-- (registry_store_bump) before it writes its record and holds it to its
-- commit, so versions are given in commit order: once version v is seen,
-- every record with rev <= v is there to be read.
--
-- epoch is for whatever changes the register other than a publish (a
-- repair by hand, a restore, the tests): bump it with the version and
-- every worker rebuilds its snapshot whole.
ALTER TABLE registry ADD COLUMN rev BIGINT UNSIGNED NOT NULL DEFAULT 0,
    ADD KEY registry_rev (rev);
ALTER TABLE registry_meta ADD COLUMN epoch BIGINT UNSIGNED NOT NULL
    DEFAULT 0;
