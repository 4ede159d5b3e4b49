CREATE INDEX "users_inbox_personal_idx" ON "users"."inbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
CREATE INDEX "users_outbox_personal_idx" ON "users"."outbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
CREATE INDEX "merchants_inbox_personal_idx" ON "merchants"."inbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
CREATE INDEX "merchants_outbox_personal_idx" ON "merchants"."outbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
CREATE INDEX "ledger_inbox_personal_idx" ON "ledger"."inbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
CREATE INDEX "ledger_outbox_personal_idx" ON "ledger"."outbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
CREATE INDEX "green_inbox_personal_idx" ON "green"."inbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
CREATE INDEX "green_outbox_personal_idx" ON "green"."outbox" USING btree ("aggregate") WHERE payload ? 'ageBand';--> statement-breakpoint
-- Deleting an account now erases the age band from the person's stored events (the users outbox;
-- the ledger's inbox and dead letters when it applies UserDeleted). Accounts deleted before that
-- still have it there: erase it as their deletion would have, keeping the rows and their ids.
UPDATE "users"."outbox" o SET "payload" = o."payload" - 'ageBand'
FROM "users"."users" u
WHERE u."status" = 'ERASED' AND o."aggregate" = 'user:' || u."id" AND o."payload" ? 'ageBand';--> statement-breakpoint
UPDATE "ledger"."inbox" i SET "payload" = i."payload" - 'ageBand'
FROM "users"."users" u
WHERE u."status" = 'ERASED' AND i."aggregate" = 'user:' || u."id" AND i."payload" ? 'ageBand';--> statement-breakpoint
UPDATE "ledger"."dead_letters" d SET "payload" = d."payload" - 'ageBand'
FROM "users"."users" u
WHERE u."status" = 'ERASED' AND d."payload"->>'userId' = u."id"::text AND d."payload" ? 'ageBand';
