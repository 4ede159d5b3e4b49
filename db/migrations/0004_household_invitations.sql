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
ALTER TABLE "users"."household_invitations" ADD CONSTRAINT "household_invitations_household_fk" FOREIGN KEY ("household_id") REFERENCES "users"."households"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "users"."household_invitations" ADD CONSTRAINT "household_invitations_invitee_fk" FOREIGN KEY ("invitee_id") REFERENCES "users"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "household_invitations_pending_key" ON "users"."household_invitations" USING btree ("household_id","invitee_id") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "household_invitations_invitee_idx" ON "users"."household_invitations" USING btree ("invitee_id");