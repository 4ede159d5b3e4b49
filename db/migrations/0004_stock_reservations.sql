CREATE TABLE "merchants"."stock_reservations" (
	"redemption_id" uuid PRIMARY KEY NOT NULL,
	"reward_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"status" text DEFAULT 'RESERVED' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "stock_reservations_quantity_check" CHECK ("merchants"."stock_reservations"."quantity" BETWEEN 1 AND 100),
	CONSTRAINT "stock_reservations_status_check" CHECK ("merchants"."stock_reservations"."status" IN ('RESERVED', 'RELEASED', 'CONFIRMED'))
);
--> statement-breakpoint
ALTER TABLE "merchants"."stock_reservations" ADD CONSTRAINT "stock_reservations_reward_id_rewards_id_fk" FOREIGN KEY ("reward_id") REFERENCES "merchants"."rewards"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "stock_reservations_reward_idx" ON "merchants"."stock_reservations" USING btree ("reward_id");