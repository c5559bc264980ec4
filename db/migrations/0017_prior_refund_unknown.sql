-- An order whose earlier after-sales the platform did not tell was stored as prior_refund 'none' with the fact
-- listed in unknown_facts; 'unknown' is now its own value (docs/platforms/order-facts.md), so the backtest and the
-- rules read such older rows as unknown too.
UPDATE `orders` SET `prior_refund` = 'unknown'
WHERE `prior_refund` = 'none' AND EXISTS (SELECT 1 FROM json_each(`orders`.`unknown_facts`) WHERE `value` = 'prior_refund');
