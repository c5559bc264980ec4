-- better-auth's updatedAt was stored in created_at (the schema named both columns "created_at"). Each table gets its
-- own updated_at, set by the code from now on (SQLite cannot add a column with a computed default to a table with
-- rows); existing rows start from their created_at, the best value there is.
ALTER TABLE `account` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `account` SET `updated_at` = `created_at`;--> statement-breakpoint
ALTER TABLE `session` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `session` SET `updated_at` = `created_at`;--> statement-breakpoint
ALTER TABLE `user` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `user` SET `updated_at` = `created_at`;--> statement-breakpoint
ALTER TABLE `verification` ADD `updated_at` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
UPDATE `verification` SET `updated_at` = `created_at`;
