CREATE TABLE "users"."dead_letters" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "users"."inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "users_inbox_event_id_key" UNIQUE("event_id"),
	CONSTRAINT "users_inbox_stream_position_key" UNIQUE("stream","position")
);
--> statement-breakpoint
CREATE TABLE "merchants"."dead_letters" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "merchants"."inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "merchants_inbox_event_id_key" UNIQUE("event_id"),
	CONSTRAINT "merchants_inbox_stream_position_key" UNIQUE("stream","position")
);
--> statement-breakpoint
CREATE TABLE "ledger"."green_sku_versions" (
	"sku" text NOT NULL,
	"version" integer NOT NULL,
	"green_points_per_unit" integer NOT NULL,
	"effective_from" timestamp with time zone NOT NULL,
	CONSTRAINT "green_sku_versions_pk" PRIMARY KEY("sku","version")
);
--> statement-breakpoint
CREATE TABLE "ledger"."dead_letters" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger"."inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "ledger_inbox_event_id_key" UNIQUE("event_id"),
	CONSTRAINT "ledger_inbox_stream_position_key" UNIQUE("stream","position")
);
--> statement-breakpoint
CREATE TABLE "ledger"."merchant_copies" (
	"merchant_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"settlement_minor_per_100_points" integer NOT NULL,
	"position" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger"."product_copies" (
	"sku" text PRIMARY KEY NOT NULL,
	"merchant_id" uuid NOT NULL,
	"price_minor" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger"."user_copies" (
	"user_id" uuid PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"household_id" uuid,
	"position" bigint NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "green"."dead_letters" (
	"event_id" uuid PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"type" text NOT NULL,
	"payload" jsonb NOT NULL,
	"reason" text NOT NULL,
	"attempts" integer NOT NULL,
	"dead_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "green"."inbox" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"stream" text NOT NULL,
	"position" bigint NOT NULL,
	"event_id" uuid NOT NULL,
	"type" text NOT NULL,
	"version" integer NOT NULL,
	"aggregate" text NOT NULL,
	"payload" jsonb NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_error" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"applied_at" timestamp with time zone,
	CONSTRAINT "green_inbox_event_id_key" UNIQUE("event_id"),
	CONSTRAINT "green_inbox_stream_position_key" UNIQUE("stream","position")
);
--> statement-breakpoint
CREATE TABLE "green"."green_profile_versions" (
	"sku" text NOT NULL,
	"version" integer NOT NULL,
	"category" text NOT NULL,
	"certification" text,
	"co2e_grams_per_unit" integer NOT NULL,
	"water_litres_per_unit" integer NOT NULL,
	"plastic_grams_per_unit" integer NOT NULL,
	"green_points_per_unit" integer NOT NULL,
	"basis" text NOT NULL,
	"factor_key" text,
	"factor_version" integer,
	"effective_from" timestamp with time zone NOT NULL,
	CONSTRAINT "green_profile_versions_pk" PRIMARY KEY("sku","version")
);
--> statement-breakpoint
ALTER TABLE "users"."outbox" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "users"."outbox" ADD COLUMN "aggregate" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "merchants"."outbox" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "merchants"."outbox" ADD COLUMN "aggregate" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."outbox" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."outbox" ADD COLUMN "aggregate" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "green"."outbox" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
ALTER TABLE "green"."outbox" ADD COLUMN "aggregate" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "green"."green_profiles" ADD COLUMN "version" integer DEFAULT 1 NOT NULL;--> statement-breakpoint
CREATE INDEX "users_dead_letters_dead_at_idx" ON "users"."dead_letters" USING btree ("dead_at");--> statement-breakpoint
CREATE INDEX "users_inbox_pending_idx" ON "users"."inbox" USING btree ("stream","aggregate","position") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "users_inbox_applied_at_idx" ON "users"."inbox" USING btree ("applied_at");--> statement-breakpoint
CREATE INDEX "merchants_dead_letters_dead_at_idx" ON "merchants"."dead_letters" USING btree ("dead_at");--> statement-breakpoint
CREATE INDEX "merchants_inbox_pending_idx" ON "merchants"."inbox" USING btree ("stream","aggregate","position") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "merchants_inbox_applied_at_idx" ON "merchants"."inbox" USING btree ("applied_at");--> statement-breakpoint
CREATE INDEX "ledger_dead_letters_dead_at_idx" ON "ledger"."dead_letters" USING btree ("dead_at");--> statement-breakpoint
CREATE INDEX "ledger_inbox_pending_idx" ON "ledger"."inbox" USING btree ("stream","aggregate","position") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "ledger_inbox_applied_at_idx" ON "ledger"."inbox" USING btree ("applied_at");--> statement-breakpoint
CREATE INDEX "user_copies_household_idx" ON "ledger"."user_copies" USING btree ("household_id");--> statement-breakpoint
CREATE INDEX "green_dead_letters_dead_at_idx" ON "green"."dead_letters" USING btree ("dead_at");--> statement-breakpoint
CREATE INDEX "green_inbox_pending_idx" ON "green"."inbox" USING btree ("stream","aggregate","position") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "green_inbox_applied_at_idx" ON "green"."inbox" USING btree ("applied_at");--> statement-breakpoint
CREATE INDEX "users_outbox_published_at_idx" ON "users"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "merchants_outbox_published_at_idx" ON "merchants"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "ledger_outbox_published_at_idx" ON "ledger"."outbox" USING btree ("published_at");--> statement-breakpoint
CREATE INDEX "green_outbox_published_at_idx" ON "green"."outbox" USING btree ("published_at");