CREATE TABLE `auto_rule_sets` (
	`shop_id` text PRIMARY KEY NOT NULL,
	`auto_open_entry` integer DEFAULT false NOT NULL,
	`rules` text NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`updated_by`) REFERENCES `user`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `orders_shop_buyer_idx` ON `orders` (`shop_id`,`buyer_id`);