CREATE TABLE `metric_shop_hourly` (
	`shop_id` text NOT NULL,
	`hour_start` integer NOT NULL,
	`received` integer NOT NULL,
	`answered` integer NOT NULL,
	`answered_within_3min` integer NOT NULL,
	PRIMARY KEY(`shop_id`, `hour_start`),
	FOREIGN KEY (`shop_id`) REFERENCES `shops`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
-- Backfill from the hourly rollup that already exists, so an upgraded database reads the same heatmap
INSERT INTO `metric_shop_hourly` SELECT `shop_id`, `hour_start`, sum(`received`), sum(`answered`), sum(`answered_within_3min`) FROM `metric_hourly` GROUP BY `shop_id`, `hour_start`;
