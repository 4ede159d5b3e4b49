CREATE INDEX "users_inbox_pending_id_idx" ON "users"."inbox" USING btree ("id") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "merchants_inbox_pending_id_idx" ON "merchants"."inbox" USING btree ("id") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "ledger_inbox_pending_id_idx" ON "ledger"."inbox" USING btree ("id") WHERE status = 'PENDING';--> statement-breakpoint
CREATE INDEX "green_inbox_pending_id_idx" ON "green"."inbox" USING btree ("id") WHERE status = 'PENDING';