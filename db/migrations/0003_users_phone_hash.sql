ALTER TABLE "users"."users" ADD COLUMN "phone_hash" text;--> statement-breakpoint
CREATE UNIQUE INDEX "users_phone_hash_key" ON "users"."users" USING btree ("phone_hash");