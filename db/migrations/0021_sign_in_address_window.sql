CREATE TABLE `sign_in_address_window` (
	`address_key` text PRIMARY KEY NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`started_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sign_in_address_window_started_idx` ON `sign_in_address_window` (`started_at`);