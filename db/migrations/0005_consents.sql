CREATE TABLE "users"."consents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"granted" boolean NOT NULL,
	"notice_version" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "consents_kind_check" CHECK ("users"."consents"."kind" IN ('MARKETING', 'PARTNER_SHARING', 'ANALYTICS'))
);
--> statement-breakpoint
ALTER TABLE "users"."consents" ADD CONSTRAINT "consents_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_user_kind_idx" ON "users"."consents" USING btree ("user_id","kind","id");