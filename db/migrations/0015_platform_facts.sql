CREATE TABLE `platform_reject_reasons` (
	`shop_id` text NOT NULL,
	`kind` text NOT NULL,
	`reasons` text NOT NULL,
	`fetched_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `kind`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `refresh_token` text;--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `access_token_expires_at` integer;--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `refresh_token_expires_at` integer;--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `token_refreshed_at` integer;--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `last_message_at` integer;--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `last_answer_at` integer;--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `last_error` text;--> statement-breakpoint
ALTER TABLE `platform_apps` ADD `last_error_at` integer;--> statement-breakpoint
ALTER TABLE `orders` ADD `unknown_facts` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `orders` ADD `sub_order_id` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `platform_refusal` text;--> statement-breakpoint
ALTER TABLE `requests` ADD `platform_refused_at` integer;