-- A destination this machine never prunes or rewrites, unless it is the named owner machine.
ALTER TABLE destination ADD COLUMN append_only BOOLEAN DEFAULT FALSE NOT NULL;
ALTER TABLE destination ADD COLUMN owner VARCHAR(255);
