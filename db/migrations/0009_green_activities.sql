CREATE TABLE "green"."activity_counters" (
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"period_kind" text NOT NULL,
	"period_start" date NOT NULL,
	"count" integer NOT NULL,
	CONSTRAINT "activity_counters_pk" PRIMARY KEY("user_id","kind","period_kind","period_start"),
	CONSTRAINT "activity_counters_period_check" CHECK ("green"."activity_counters"."period_kind" IN ('DAY', 'MONTH')),
	CONSTRAINT "activity_counters_count_check" CHECK ("green"."activity_counters"."count" >= 0)
);
--> statement-breakpoint
CREATE TABLE "green"."green_activities" (
	"id" uuid PRIMARY KEY NOT NULL,
	"idempotency_key" text NOT NULL,
	"request_hash" text NOT NULL,
	"user_id" uuid NOT NULL,
	"organiser_id" uuid,
	"kind" text NOT NULL,
	"reference" text,
	"green_points" integer NOT NULL,
	"occurred_at" timestamp with time zone NOT NULL,
	"recorded_at" timestamp with time zone NOT NULL,
	"status" text DEFAULT 'RECORDED' NOT NULL,
	"points_credited" integer DEFAULT 0 NOT NULL,
	"refusal_reason" text,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "green_activities_idempotency_key" UNIQUE("idempotency_key"),
	CONSTRAINT "green_activities_kind_check" CHECK ("green"."green_activities"."kind" IN ('SURVEY', 'TRAINING', 'RECYCLING_DROP_OFF', 'E_RECEIPT', 'PUBLIC_TRANSPORT')),
	CONSTRAINT "green_activities_status_check" CHECK ("green"."green_activities"."status" IN ('RECORDED', 'CREDITED', 'REFUSED')),
	CONSTRAINT "green_activities_points_check" CHECK ("green"."green_activities"."green_points" > 0 AND "green"."green_activities"."points_credited" >= 0 AND "green"."green_activities"."points_credited" <= "green"."green_activities"."green_points")
);
--> statement-breakpoint
CREATE INDEX "green_activities_user_occurred_idx" ON "green"."green_activities" USING btree ("user_id","occurred_at");