ALTER TABLE "merchants"."earn_rules" ADD COLUMN "category_points_per_yuan" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "merchants"."earn_rules" ADD COLUMN "points_valid_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."earn_rules" ADD COLUMN "category_points_per_yuan" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."earn_rules" ADD COLUMN "points_valid_days" integer DEFAULT 365 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."product_copies" ADD COLUMN "category" text;--> statement-breakpoint
ALTER TABLE "merchants"."earn_rules" ADD CONSTRAINT "earn_rules_category_rates_check" CHECK (jsonb_typeof("merchants"."earn_rules"."category_points_per_yuan") = 'object');--> statement-breakpoint
ALTER TABLE "merchants"."earn_rules" ADD CONSTRAINT "earn_rules_points_valid_days_check" CHECK ("merchants"."earn_rules"."points_valid_days" BETWEEN 90 AND 1830);