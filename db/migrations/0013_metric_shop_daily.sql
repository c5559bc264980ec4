CREATE TABLE `metric_shop_daily` (
	`shop_id` text NOT NULL,
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
	PRIMARY KEY(`shop_id`, `day_start`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
INSERT INTO `metric_shop_daily` SELECT `d`.`shop_id`, `d`.`day_start`, sum(`received`), sum(`received_in_scoring_hours`), sum(`answered`), sum(`answered_within_3min`), sum(`answered_within_3min_in_scoring_hours`), sum(`approved`), sum(`rejected`), sum(`rejected_without_reason_or_evidence`), sum(`auto_answered`), sum(`intervention`), sum(`refund_fen`), sum(`return_freight_fen`), sum(`response_ms_total`), (SELECT json_group_array(`total`) FROM (SELECT sum(`bucket`.`value`) AS `total` FROM `metric_daily` AS `same`, json_each(`same`.`response_histogram`) AS `bucket` WHERE `same`.`shop_id` = `d`.`shop_id` AND `same`.`day_start` = `d`.`day_start` GROUP BY `bucket`.`key` ORDER BY `bucket`.`key`)) FROM `metric_daily` AS `d` GROUP BY `d`.`shop_id`, `d`.`day_start`;
