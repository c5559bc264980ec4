CREATE TABLE `metric_daily` (
	`shop_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`platform` text NOT NULL,
	`kind` text NOT NULL,
	`day_start` integer NOT NULL,
	`received` integer NOT NULL,
	`received_in_scoring_hours` integer NOT NULL,
	`answered` integer NOT NULL,
	`answered_within_3min` integer NOT NULL,
	`answered_within_3min_in_scoring_hours` integer NOT NULL,
	`approved` integer NOT NULL,
	`rejected` integer NOT NULL,
	`rejected_without_reason_or_evidence` integer NOT NULL,
	`auto_answered` integer NOT NULL,
	`intervention` integer NOT NULL,
	`refund_fen` integer NOT NULL,
	`return_freight_fen` integer NOT NULL,
	`response_ms_total` integer NOT NULL,
	`response_histogram` text NOT NULL,
	PRIMARY KEY(`shop_id`, `day_start`, `agent_id`, `platform`, `kind`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metric_daily_agent_idx` ON `metric_daily` (`agent_id`,`day_start`);--> statement-breakpoint
CREATE TABLE `metric_hourly` (
	`shop_id` text NOT NULL,
	`agent_id` text NOT NULL,
	`platform` text NOT NULL,
	`kind` text NOT NULL,
	`hour_start` integer NOT NULL,
	`received` integer NOT NULL,
	`received_in_scoring_hours` integer NOT NULL,
	`answered` integer NOT NULL,
	`answered_within_3min` integer NOT NULL,
	`answered_within_3min_in_scoring_hours` integer NOT NULL,
	`approved` integer NOT NULL,
	`rejected` integer NOT NULL,
	`rejected_without_reason_or_evidence` integer NOT NULL,
	`auto_answered` integer NOT NULL,
	`intervention` integer NOT NULL,
	`refund_fen` integer NOT NULL,
	`return_freight_fen` integer NOT NULL,
	`response_ms_total` integer NOT NULL,
	`response_histogram` text NOT NULL,
	PRIMARY KEY(`shop_id`, `hour_start`, `agent_id`, `platform`, `kind`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metric_hourly_agent_idx` ON `metric_hourly` (`agent_id`,`hour_start`);--> statement-breakpoint
CREATE INDEX `requests_shop_received_idx` ON `requests` (`shop_id`,`received_at`);