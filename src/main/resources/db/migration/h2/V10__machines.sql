-- Team mode (ADR 22): several machines share one history. A run and a stack lock name the machine whose
-- process holds them; only that machine can tell whether the process still lives. NULL: this machine
-- (rows written before machines were recorded, all by the one machine of an embedded history).
ALTER TABLE run ADD COLUMN machine VARCHAR(255);
ALTER TABLE stack_lock ADD COLUMN machine VARCHAR(255);
