ALTER TABLE "merchants"."rewards" DROP CONSTRAINT "rewards_stock_check";--> statement-breakpoint
ALTER TABLE "merchants"."rewards" ALTER COLUMN "stock" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "merchants"."rewards" ADD COLUMN "confirmed_redemptions" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX "rewards_popularity_idx" ON "merchants"."rewards" USING btree ("confirmed_redemptions","id");--> statement-breakpoint
ALTER TABLE "merchants"."rewards" ADD CONSTRAINT "rewards_confirmed_redemptions_check" CHECK ("merchants"."rewards"."confirmed_redemptions" >= 0);--> statement-breakpoint
ALTER TABLE "merchants"."rewards" ADD CONSTRAINT "rewards_stock_check" CHECK ("merchants"."rewards"."stock" IS NULL OR "merchants"."rewards"."stock" >= 0);--> statement-breakpoint
-- Redemptions confirmed before the counter existed count too.
UPDATE "merchants"."rewards" r SET "confirmed_redemptions" = c.n
FROM (SELECT "reward_id", count(*)::int AS n FROM "merchants"."stock_reservations" WHERE "status" = 'CONFIRMED' GROUP BY "reward_id") c
WHERE c."reward_id" = r."id";
