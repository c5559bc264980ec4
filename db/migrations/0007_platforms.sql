CREATE TABLE `platform_apps` (
	`shop_id` text PRIMARY KEY NOT NULL,
	`protocol` text NOT NULL,
	`app_key` text NOT NULL,
	`app_secret` text NOT NULL,
	`platform_shop_id` text NOT NULL,
	`api_base_url` text NOT NULL,
	`access_token` text,
	`consumer_enabled` integer DEFAULT false NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `platform_apps_platform_shop_uq` ON `platform_apps` (`protocol`,`platform_shop_id`);--> statement-breakpoint
CREATE TABLE `platform_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`shop_id` text NOT NULL,
	`message_id` text NOT NULL,
	`topic` text NOT NULL,
	`platform_request_id` text,
	`event_ids` text NOT NULL,
	`note` text,
	`raw_body` text NOT NULL,
	`received_at` integer NOT NULL,
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `platform_messages_shop_message_uq` ON `platform_messages` (`shop_id`,`message_id`);--> statement-breakpoint
CREATE INDEX `platform_messages_request_idx` ON `platform_messages` (`shop_id`,`platform_request_id`);--> statement-breakpoint
CREATE TABLE `platform_refunds` (
	`shop_id` text NOT NULL,
	`platform_request_id` text NOT NULL,
	`native` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `platform_request_id`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE no action
);
