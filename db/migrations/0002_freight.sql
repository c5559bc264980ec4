CREATE TABLE `freight_scenarios` (
	`id` text PRIMARY KEY NOT NULL,
	`shop_id` text NOT NULL,
	`name` text NOT NULL,
	`parameters` text NOT NULL,
	`window_days` integer NOT NULL,
	`created_by` text,
	`created_at` integer DEFAULT (cast(unixepoch('subsecond') * 1000 as integer)) NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`created_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `freight_scenarios_shop_idx` ON `freight_scenarios` (`shop_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `freight_settings` (
	`shop_id` text PRIMARY KEY NOT NULL,
	`settings` text NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `orders` ADD `shipped_at` integer;--> statement-breakpoint
CREATE INDEX `orders_shop_shipped_idx` ON `orders` (`shop_id`,`shipped_at`);--> statement-breakpoint
ALTER TABLE `shops` ADD `ship_from_province` text;