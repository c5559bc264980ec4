CREATE TABLE `counter_offers` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`request_id` text NOT NULL,
	`kind` text NOT NULL,
	`amount_fen` integer,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `counter_offers_request_idx` ON `counter_offers` (`request_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `platform_proposals` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`request_id` text NOT NULL,
	`platform_proposal_id` text NOT NULL,
	`proposed_at` integer NOT NULL,
	`expires_at` integer,
	`invalid_reason` text,
	`outcome` text,
	`resolved_at` integer,
	`recorded_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`request_id`) REFERENCES `requests`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `platform_proposals_shop_platform_uq` ON `platform_proposals` (`shop_id`,`platform_proposal_id`);--> statement-breakpoint
CREATE INDEX `platform_proposals_request_idx` ON `platform_proposals` (`request_id`,`proposed_at`);--> statement-breakpoint
ALTER TABLE `orders` ADD `warranty_days` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `seller_promise_days` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `entry_opened_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `entry_times_opened` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `shops` ADD `agents_may_open_entry` integer DEFAULT false NOT NULL;