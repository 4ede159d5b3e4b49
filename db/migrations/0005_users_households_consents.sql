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
CREATE TABLE "users"."household_invitations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"household_id" uuid NOT NULL,
	"invitee_id" uuid NOT NULL,
	"invited_by" uuid NOT NULL,
	"status" text DEFAULT 'PENDING' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"responded_at" timestamp with time zone,
	CONSTRAINT "household_invitations_status_check" CHECK ("users"."household_invitations"."status" IN ('PENDING', 'ACCEPTED', 'DECLINED', 'CANCELLED'))
);
--> statement-breakpoint
ALTER TABLE "users"."users" ALTER COLUMN "age_band" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "users"."users" ADD COLUMN "phone_hash" text;--> statement-breakpoint
ALTER TABLE "users"."consents" ADD CONSTRAINT "consents_user_fk" FOREIGN KEY ("user_id") REFERENCES "users"."users"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users"."household_invitations" ADD CONSTRAINT "household_invitations_household_fk" FOREIGN KEY ("household_id") REFERENCES "users"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users"."household_invitations" ADD CONSTRAINT "household_invitations_invitee_fk" FOREIGN KEY ("invitee_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "consents_user_kind_idx" ON "users"."consents" USING btree ("user_id","kind","id");--> statement-breakpoint
CREATE UNIQUE INDEX "household_invitations_pending_key" ON "users"."household_invitations" USING btree ("household_id","invitee_id") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "household_invitations_invitee_idx" ON "users"."household_invitations" USING btree ("invitee_id");--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_hash_key" ON "users"."users" USING btree ("phone_hash");