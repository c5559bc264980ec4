ALTER TABLE `requests` ADD `claimed_by` text REFERENCES user(id);--> statement-breakpoint
ALTER TABLE `requests` ADD `claimed_at` integer;--> statement-breakpoint
CREATE INDEX `requests_claimed_idx` ON `requests` (`claimed_by`,`status`);--> statement-breakpoint
ALTER TABLE `shops` ADD `auto_assign` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `shops` ADD `assign_cap` integer DEFAULT 5 NOT NULL;