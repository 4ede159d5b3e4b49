CREATE TABLE "merchants"."promotions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"multiplier_percent" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"tiers" text[] DEFAULT '{}'::text[] NOT NULL,
	"age_bands" text[] DEFAULT '{}'::text[] NOT NULL,
	"product_categories" text[] DEFAULT '{}'::text[] NOT NULL,
	"stackable" boolean DEFAULT false NOT NULL,
	"budget_points" integer NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "promotions_starts_after_published_check" CHECK ("merchants"."promotions"."starts_at" >= "merchants"."promotions"."published_at"),
	CONSTRAINT "promotions_window_check" CHECK ("merchants"."promotions"."ends_at" > "merchants"."promotions"."starts_at" AND "merchants"."promotions"."ends_at" <= "merchants"."promotions"."starts_at" + interval '366 days'),
	CONSTRAINT "promotions_multiplier_check" CHECK ("merchants"."promotions"."multiplier_percent" BETWEEN 101 AND 2000),
	CONSTRAINT "promotions_budget_check" CHECK ("merchants"."promotions"."budget_points" > 0),
	CONSTRAINT "promotions_tiers_check" CHECK ("merchants"."promotions"."tiers" <@ ARRAY['SEED', 'SPROUT', 'TREE', 'FOREST']::text[]),
	CONSTRAINT "promotions_age_bands_check" CHECK ("merchants"."promotions"."age_bands" <@ ARRAY['UNDER_18', '18_59', '60_PLUS']::text[])
);
--> statement-breakpoint
CREATE TABLE "ledger"."promotion_budgets" (
	"promotion_id" uuid PRIMARY KEY NOT NULL,
	"budget_points" bigint NOT NULL,
	"used_points" bigint DEFAULT 0 NOT NULL,
	CONSTRAINT "promotion_budgets_used_check" CHECK ("ledger"."promotion_budgets"."used_points" >= 0 AND "ledger"."promotion_budgets"."used_points" <= "ledger"."promotion_budgets"."budget_points")
);
--> statement-breakpoint
CREATE TABLE "ledger"."promotions" (
	"promotion_id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"multiplier_percent" integer NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"tiers" text[] NOT NULL,
	"age_bands" text[] NOT NULL,
	"product_categories" text[] NOT NULL,
	"stackable" boolean NOT NULL,
	"budget_points" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger"."purchases" ADD COLUMN "promotion_ids" uuid[] DEFAULT '{}'::uuid[] NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."user_copies" ADD COLUMN "age_band" text;--> statement-breakpoint
ALTER TABLE "merchants"."promotions" ADD CONSTRAINT "promotions_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "merchants"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "promotions_merchant_ends_idx" ON "merchants"."promotions" USING btree ("merchant_id","ends_at");--> statement-breakpoint
CREATE INDEX "promotions_ends_idx" ON "merchants"."promotions" USING btree ("ends_at");--> statement-breakpoint
CREATE INDEX "promotions_merchant_window_idx" ON "ledger"."promotions" USING btree ("merchant_id","starts_at");