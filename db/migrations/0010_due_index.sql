CREATE INDEX `requests_due_idx` ON `requests` (`status`, min(`respond_by`, coalesce(`platform_deadline`, `respond_by`)), `id`);
