CREATE TABLE `presence` (
	`user_id` text NOT NULL,
	`instance_id` text NOT NULL,
	`streams` integer NOT NULL,
	`last_seen_at` integer NOT NULL,
	PRIMARY KEY(`user_id`, `instance_id`),
	FOREIGN KEY (`user_id`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `presence_seen_idx` ON `presence` (`last_seen_at`);--> statement-breakpoint
ALTER TABLE `shops` ADD `auto_assign_since` integer;--> statement-breakpoint
CREATE INDEX `audit_received_idx` ON `audit_log` (`at`) WHERE "audit_log"."action" = 'received';