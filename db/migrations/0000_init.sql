CREATE SCHEMA "users";
--> statement-breakpoint
CREATE SCHEMA "merchants";
--> statement-breakpoint
CREATE SCHEMA "ledger";
--> statement-breakpoint
CREATE SCHEMA "green";
--> statement-breakpoint
CREATE TABLE "users"."households" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"owner_id" uuid NOT NULL,
	"max_members" integer DEFAULT 6 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users"."users" (
	"id" uuid PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"phone_encrypted" text,
	"age_band" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"household_id" uuid,
	"registered_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_age_band_check" CHECK ("users"."users"."age_band" IN ('UNDER_18', '18_59', '60_PLUS')),
	CONSTRAINT "users_status_check" CHECK ("users"."users"."status" IN ('ACTIVE', 'FROZEN', 'ERASED'))
);
--> statement-breakpoint
CREATE TABLE "users"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "users_outbox_event_id_key" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "users"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchants"."earn_rules" (
	"merchant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"points_per_yuan" integer NOT NULL,
	"pending_days" integer NOT NULL,
	"per_order_cap" integer,
	"effective_from" timestamp with time zone NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "earn_rules_merchant_version_key" UNIQUE("merchant_id","version")
);
--> statement-breakpoint
CREATE TABLE "merchants"."merchants" (
	"id" uuid PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"category" text NOT NULL,
	"status" text DEFAULT 'ACTIVE' NOT NULL,
	"settlement_minor_per_100_points" integer NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchants"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "merchants_outbox_event_id_key" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "merchants"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchants"."products" (
	"sku" text PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"name" text NOT NULL,
	"price_minor" integer NOT NULL,
	"category" text NOT NULL,
	CONSTRAINT "products_price_check" CHECK ("merchants"."products"."price_minor" >= 0)
);
--> statement-breakpoint
CREATE TABLE "merchants"."rewards" (
	"id" uuid PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"title" text NOT NULL,
	"kind" text NOT NULL,
	"points_cost" integer NOT NULL,
	"sale_points_cost" integer,
	"sale_starts_at" timestamp with time zone,
	"sale_ends_at" timestamp with time zone,
	"stock" integer NOT NULL,
	"valid_from" timestamp with time zone NOT NULL,
	"valid_until" timestamp with time zone,
	"terms" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "rewards_kind_check" CHECK ("merchants"."rewards"."kind" IN ('GOODS', 'SERVICE', 'VOUCHER', 'TICKET')),
	CONSTRAINT "rewards_points_cost_check" CHECK ("merchants"."rewards"."points_cost" > 0),
	CONSTRAINT "rewards_stock_check" CHECK ("merchants"."rewards"."stock" >= 0)
);
--> statement-breakpoint
CREATE TABLE "ledger"."accounts" (
	"id" uuid PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"owner_id" text NOT NULL,
	"asset" text NOT NULL,
	"balance" bigint DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "accounts_kind_owner_asset_key" UNIQUE("kind","owner_id","asset"),
	CONSTRAINT "accounts_asset_check" CHECK ("ledger"."accounts"."asset" IN ('POINTS', 'GREEN_POINTS'))
);
--> statement-breakpoint
CREATE TABLE "ledger"."earn_rules" (
	"merchant_id" uuid NOT NULL,
	"version" integer NOT NULL,
	"points_per_yuan" integer NOT NULL,
	"pending_days" integer NOT NULL,
	"per_order_cap" integer,
	"effective_from" timestamp with time zone NOT NULL,
	CONSTRAINT "earn_rules_pk" PRIMARY KEY("merchant_id","version")
);
--> statement-breakpoint
CREATE TABLE "ledger"."green_skus" (
	"sku" text PRIMARY KEY NOT NULL,
	"green_points_per_unit" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "ledger_outbox_event_id_key" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "ledger"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger"."lots" (
	"id" uuid PRIMARY KEY NOT NULL,
	"account_id" uuid NOT NULL,
	"transaction_id" uuid NOT NULL,
	"asset" text NOT NULL,
	"amount" bigint NOT NULL,
	"remaining" bigint NOT NULL,
	"available_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	CONSTRAINT "lots_remaining_check" CHECK ("ledger"."lots"."remaining" >= 0 AND "ledger"."lots"."remaining" <= "ledger"."lots"."amount")
);
--> statement-breakpoint
CREATE TABLE "ledger"."postings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"transaction_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"asset" text NOT NULL,
	"amount" bigint NOT NULL,
	CONSTRAINT "postings_amount_nonzero_check" CHECK ("ledger"."postings"."amount" <> 0)
);
--> statement-breakpoint
CREATE TABLE "ledger"."purchase_lines" (
	"purchase_id" uuid NOT NULL,
	"line_no" integer NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"unit_price_minor" bigint NOT NULL,
	"green_points" bigint NOT NULL,
	CONSTRAINT "purchase_lines_pk" PRIMARY KEY("purchase_id","line_no")
);
--> statement-breakpoint
CREATE TABLE "ledger"."purchases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"transaction_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"earn_rule_version" integer NOT NULL,
	"tier" text NOT NULL,
	"points" bigint NOT NULL,
	"green_points" bigint NOT NULL,
	"status" text DEFAULT 'RECORDED' NOT NULL,
	"request_hash" text NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "purchases_amount_check" CHECK ("ledger"."purchases"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger"."transactions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"user_id" uuid,
	"merchant_id" uuid,
	"description" text NOT NULL,
	"metadata" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "transactions_idempotency_key" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "green"."emission_factors" (
	"key" text NOT NULL,
	"version" integer NOT NULL,
	"name" text NOT NULL,
	"value" numeric(18, 6) NOT NULL,
	"unit" text NOT NULL,
	"source" text NOT NULL,
	"source_url" text,
	"year" integer NOT NULL,
	"published_on" date,
	CONSTRAINT "emission_factors_pk" PRIMARY KEY("key","version")
);
--> statement-breakpoint
CREATE TABLE "green"."outbox" (
	"position" bigserial PRIMARY KEY NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone DEFAULT now() NOT NULL,
	"published_at" timestamp with time zone,
	CONSTRAINT "green_outbox_event_id_key" UNIQUE("event_id")
);
--> statement-breakpoint
CREATE TABLE "green"."processed_events" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"type" text NOT NULL,
	"processed_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "green"."green_profiles" (
	"sku" text PRIMARY KEY NOT NULL,
	"category" text NOT NULL,
	"certification" text,
	"co2e_grams_per_unit" integer NOT NULL,
	"water_litres_per_unit" integer DEFAULT 0 NOT NULL,
	"plastic_grams_per_unit" integer DEFAULT 0 NOT NULL,
	"green_points_per_unit" integer NOT NULL,
	"basis" text NOT NULL,
	"factor_key" text,
	"factor_version" integer,
	CONSTRAINT "green_profiles_points_check" CHECK ("green"."green_profiles"."green_points_per_unit" >= 0)
);
--> statement-breakpoint
CREATE TABLE "green"."impact_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"source_ref" text NOT NULL,
	"user_id" uuid NOT NULL,
	"merchant_id" uuid,
	"sku" text,
	"category" text NOT NULL,
	"quantity" integer NOT NULL,
	"co2e_grams" bigint NOT NULL,
	"water_litres" bigint NOT NULL,
	"plastic_grams" bigint NOT NULL,
	"green_points" bigint NOT NULL,
	"factor_key" text,
	"factor_version" integer,
	"occurred_at" timestamp with time zone NOT NULL,
	CONSTRAINT "impact_records_source_ref_key" UNIQUE("source_ref")
);
--> statement-breakpoint
ALTER TABLE "users"."users" ADD CONSTRAINT "users_household_fk" FOREIGN KEY ("household_id") REFERENCES "users"."households"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants"."earn_rules" ADD CONSTRAINT "earn_rules_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "merchants"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants"."products" ADD CONSTRAINT "products_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "merchants"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "merchants"."rewards" ADD CONSTRAINT "rewards_merchant_id_merchants_id_fk" FOREIGN KEY ("merchant_id") REFERENCES "merchants"."merchants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."lots" ADD CONSTRAINT "lots_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "ledger"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."lots" ADD CONSTRAINT "lots_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."postings" ADD CONSTRAINT "postings_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."postings" ADD CONSTRAINT "postings_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "ledger"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."purchase_lines" ADD CONSTRAINT "purchase_lines_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "ledger"."purchases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."purchases" ADD CONSTRAINT "purchases_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_household_idx" ON "users"."users" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "users_outbox_unpublished_idx" ON "users"."outbox" USING btree ("position") WHERE published_at IS NULL;--> statement-breakpoint
CREATE INDEX "merchants_category_idx" ON "merchants"."merchants" USING btree ("category","id");--> statement-breakpoint
CREATE INDEX "merchants_outbox_unpublished_idx" ON "merchants"."outbox" USING btree ("position") WHERE published_at IS NULL;--> statement-breakpoint
CREATE INDEX "products_merchant_idx" ON "merchants"."products" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "rewards_merchant_idx" ON "merchants"."rewards" USING btree ("merchant_id");--> statement-breakpoint
CREATE INDEX "rewards_catalog_idx" ON "merchants"."rewards" USING btree ("points_cost","id");--> statement-breakpoint
CREATE INDEX "ledger_outbox_unpublished_idx" ON "ledger"."outbox" USING btree ("position") WHERE published_at IS NULL;--> statement-breakpoint
CREATE INDEX "lots_account_expiry_idx" ON "ledger"."lots" USING btree ("account_id","expires_at");--> statement-breakpoint
CREATE INDEX "postings_transaction_idx" ON "ledger"."postings" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "postings_account_idx" ON "ledger"."postings" USING btree ("account_id");--> statement-breakpoint
CREATE INDEX "purchases_user_occurred_idx" ON "ledger"."purchases" USING btree ("user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "transactions_user_created_idx" ON "ledger"."transactions" USING btree ("user_id","created_at","id");--> statement-breakpoint
CREATE INDEX "green_outbox_unpublished_idx" ON "green"."outbox" USING btree ("position") WHERE published_at IS NULL;--> statement-breakpoint
CREATE INDEX "impact_records_user_occurred_idx" ON "green"."impact_records" USING btree ("user_id","occurred_at");--> statement-breakpoint
CREATE INDEX "impact_records_merchant_occurred_idx" ON "green"."impact_records" USING btree ("merchant_id","occurred_at");--> statement-breakpoint
CREATE INDEX "impact_records_occurred_idx" ON "green"."impact_records" USING btree ("occurred_at");