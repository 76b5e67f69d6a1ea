-- SSH hosts: the identity file's path (never the key) and the pinned host-key fingerprint (SHA256:...).
ALTER TABLE host ADD COLUMN identity_file VARCHAR(2048);
ALTER TABLE host ADD COLUMN host_key VARCHAR(128);
