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
WITH `buckets` AS (SELECT `shop_id`, `day_start`, `bucket`.`key` AS `position`, sum(`bucket`.`value`) AS `total` FROM `metric_daily`, json_each(`metric_daily`.`response_histogram`) AS `bucket` GROUP BY `shop_id`, `day_start`, `bucket`.`key`), `histograms` AS (SELECT `shop_id`, `day_start`, json_group_array(`total` ORDER BY `position`) AS `response_histogram` FROM `buckets` GROUP BY `shop_id`, `day_start`) INSERT INTO `metric_shop_daily` (`shop_id`, `day_start`, `received`, `received_in_scoring_hours`, `answered`, `answered_within_3min`, `answered_within_3min_in_scoring_hours`, `approved`, `rejected`, `rejected_without_reason_or_evidence`, `auto_answered`, `intervention`, `refund_fen`, `return_freight_fen`, `response_ms_total`, `response_histogram`) SELECT `sums`.*, `histograms`.`response_histogram` FROM (SELECT `shop_id`, `day_start`, sum(`received`) AS `received`, sum(`received_in_scoring_hours`) AS `received_in_scoring_hours`, sum(`answered`) AS `answered`, sum(`answered_within_3min`) AS `answered_within_3min`, sum(`answered_within_3min_in_scoring_hours`) AS `answered_within_3min_in_scoring_hours`, sum(`approved`) AS `approved`, sum(`rejected`) AS `rejected`, sum(`rejected_without_reason_or_evidence`) AS `rejected_without_reason_or_evidence`, sum(`auto_answered`) AS `auto_answered`, sum(`intervention`) AS `intervention`, sum(`refund_fen`) AS `refund_fen`, sum(`return_freight_fen`) AS `return_freight_fen`, sum(`response_ms_total`) AS `response_ms_total` FROM `metric_daily` GROUP BY `shop_id`, `day_start`) AS `sums` JOIN `histograms` USING (`shop_id`, `day_start`);
