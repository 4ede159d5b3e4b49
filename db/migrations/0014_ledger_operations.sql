CREATE TABLE "ledger"."audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor" text NOT NULL,
	"action" text NOT NULL,
	"user_id" uuid,
	"case_id" uuid,
	"reason" text NOT NULL,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger"."fraud_cases" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"status" text NOT NULL,
	"evidence" text NOT NULL,
	"reason" text NOT NULL,
	"frozen" boolean DEFAULT false NOT NULL,
	"opened_by" text NOT NULL,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "fraud_cases_status_check" CHECK ("ledger"."fraud_cases"."status" IN ('OPEN', 'CONFIRMED', 'DISMISSED')),
	CONSTRAINT "fraud_cases_evidence_check" CHECK (length("ledger"."fraud_cases"."evidence") > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger"."lot_allocations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"lot_id" uuid NOT NULL,
	"transaction_id" uuid NOT NULL,
	"amount" bigint NOT NULL,
	"reason" text NOT NULL,
	CONSTRAINT "lot_allocations_amount_check" CHECK ("ledger"."lot_allocations"."amount" > 0),
	CONSTRAINT "lot_allocations_reason_check" CHECK ("ledger"."lot_allocations"."reason" IN ('SPEND', 'HOLD', 'REFUND', 'EXPIRE', 'CLAWBACK', 'DEBT', 'TRANSFER'))
);
--> statement-breakpoint
CREATE TABLE "ledger"."operations" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"scope" text NOT NULL,
	"key" text NOT NULL,
	"request_hash" text NOT NULL,
	"actor" text NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"seq" bigint,
	"prev_hash" text,
	"hash" text,
	CONSTRAINT "operations_scope_key" UNIQUE("scope","key"),
	CONSTRAINT "operations_seq_key" UNIQUE("seq")
);
--> statement-breakpoint
CREATE TABLE "ledger"."redemptions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"user_id" uuid NOT NULL,
	"account_id" uuid NOT NULL,
	"reward_id" uuid NOT NULL,
	"merchant_id" uuid NOT NULL,
	"quantity" integer NOT NULL,
	"points" bigint NOT NULL,
	"status" text NOT NULL,
	"hold_transaction_id" uuid NOT NULL,
	"resolve_transaction_id" uuid,
	"cancel_transaction_id" uuid,
	"compensation_points" bigint DEFAULT 0 NOT NULL,
	"stock_state" text DEFAULT 'NONE' NOT NULL,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"resolved_at" timestamp with time zone,
	CONSTRAINT "redemptions_status_check" CHECK ("ledger"."redemptions"."status" IN ('HELD', 'POSTED', 'VOIDED', 'CANCELLED')),
	CONSTRAINT "redemptions_quantity_check" CHECK ("ledger"."redemptions"."quantity" BETWEEN 1 AND 100),
	CONSTRAINT "redemptions_points_check" CHECK ("ledger"."redemptions"."points" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger"."refunds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"purchase_id" uuid NOT NULL,
	"transaction_id" uuid NOT NULL,
	"amount_minor" bigint NOT NULL,
	"points" bigint NOT NULL,
	"green_points" bigint NOT NULL,
	"debt" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "refunds_amount_check" CHECK ("ledger"."refunds"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "ledger"."settlements" (
	"period" text NOT NULL,
	"party" text NOT NULL,
	"issued_points" bigint NOT NULL,
	"redeemed_points" bigint NOT NULL,
	"expired_points" bigint NOT NULL,
	"minor_per_100_points" integer NOT NULL,
	"net_minor" bigint NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "settlements_pk" PRIMARY KEY("period","party")
);
--> statement-breakpoint
ALTER TABLE "ledger"."accounts" ADD COLUMN "debt" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."purchase_lines" ADD COLUMN "refunded_quantity" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."purchases" ADD COLUMN "refunded_minor" bigint DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."transactions" ADD COLUMN "counterparty_id" uuid;--> statement-breakpoint
ALTER TABLE "ledger"."transactions" ADD COLUMN "operation_id" bigint;--> statement-breakpoint
ALTER TABLE "ledger"."lot_allocations" ADD CONSTRAINT "lot_allocations_lot_id_lots_id_fk" FOREIGN KEY ("lot_id") REFERENCES "ledger"."lots"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."lot_allocations" ADD CONSTRAINT "lot_allocations_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."redemptions" ADD CONSTRAINT "redemptions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "ledger"."accounts"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."redemptions" ADD CONSTRAINT "redemptions_hold_transaction_id_transactions_id_fk" FOREIGN KEY ("hold_transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."redemptions" ADD CONSTRAINT "redemptions_resolve_transaction_id_transactions_id_fk" FOREIGN KEY ("resolve_transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."redemptions" ADD CONSTRAINT "redemptions_cancel_transaction_id_transactions_id_fk" FOREIGN KEY ("cancel_transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."refunds" ADD CONSTRAINT "refunds_purchase_id_purchases_id_fk" FOREIGN KEY ("purchase_id") REFERENCES "ledger"."purchases"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ledger"."refunds" ADD CONSTRAINT "refunds_transaction_id_transactions_id_fk" FOREIGN KEY ("transaction_id") REFERENCES "ledger"."transactions"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_log_user_idx" ON "ledger"."audit_log" USING btree ("user_id","at");--> statement-breakpoint
CREATE INDEX "fraud_cases_user_idx" ON "ledger"."fraud_cases" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "lot_allocations_lot_idx" ON "ledger"."lot_allocations" USING btree ("lot_id");--> statement-breakpoint
CREATE INDEX "lot_allocations_transaction_idx" ON "ledger"."lot_allocations" USING btree ("transaction_id");--> statement-breakpoint
CREATE INDEX "operations_unsealed_idx" ON "ledger"."operations" USING btree ("id") WHERE "ledger"."operations"."seq" IS NULL;--> statement-breakpoint
CREATE INDEX "redemptions_user_idx" ON "ledger"."redemptions" USING btree ("user_id","created_at");--> statement-breakpoint
CREATE INDEX "redemptions_held_idx" ON "ledger"."redemptions" USING btree ("created_at") WHERE "ledger"."redemptions"."status" = 'HELD';--> statement-breakpoint
CREATE INDEX "refunds_purchase_idx" ON "ledger"."refunds" USING btree ("purchase_id");--> statement-breakpoint
ALTER TABLE "ledger"."transactions" ADD CONSTRAINT "transactions_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "ledger"."operations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "transactions_operation_idx" ON "ledger"."transactions" USING btree ("operation_id");--> statement-breakpoint
CREATE INDEX "transactions_counterparty_created_idx" ON "ledger"."transactions" USING btree ("counterparty_id","created_at","id") WHERE "ledger"."transactions"."counterparty_id" IS NOT NULL;--> statement-breakpoint
ALTER TABLE "ledger"."accounts" ADD CONSTRAINT "accounts_debt_check" CHECK ("ledger"."accounts"."debt" >= 0);--> statement-breakpoint
ALTER TABLE "ledger"."purchases" ADD CONSTRAINT "purchases_refunded_check" CHECK ("ledger"."purchases"."refunded_minor" >= 0 AND "ledger"."purchases"."refunded_minor" <= "ledger"."purchases"."amount_minor");--> statement-breakpoint
-- Posted history is append-only: a correction is a new reversing transaction, never an edit.
CREATE FUNCTION "ledger"."append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'ledger.% is append-only: % refused', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;--> statement-breakpoint
CREATE TRIGGER "postings_append_only" BEFORE UPDATE OR DELETE ON "ledger"."postings" FOR EACH ROW EXECUTE FUNCTION "ledger"."append_only"();--> statement-breakpoint
CREATE TRIGGER "transactions_append_only" BEFORE UPDATE OR DELETE ON "ledger"."transactions" FOR EACH ROW EXECUTE FUNCTION "ledger"."append_only"();--> statement-breakpoint
CREATE TRIGGER "lot_allocations_append_only" BEFORE UPDATE OR DELETE ON "ledger"."lot_allocations" FOR EACH ROW EXECUTE FUNCTION "ledger"."append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_log_append_only" BEFORE UPDATE OR DELETE ON "ledger"."audit_log" FOR EACH ROW EXECUTE FUNCTION "ledger"."append_only"();--> statement-breakpoint
-- An operation's result is set once, in the transaction that made it; it is sealed once (seq, prev_hash,
-- hash set from NULL); nothing else about it ever changes.
CREATE FUNCTION "ledger"."operations_seal_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.seq IS NOT NULL
     OR (OLD.result IS NOT NULL AND OLD.result IS DISTINCT FROM NEW.result)
     OR (OLD.id, OLD.scope, OLD.key, OLD.request_hash, OLD.actor, OLD.created_at)
        IS DISTINCT FROM (NEW.id, NEW.scope, NEW.key, NEW.request_hash, NEW.actor, NEW.created_at) THEN
    RAISE EXCEPTION 'ledger.operations is append-only: an entry is only ever sealed once' USING ERRCODE = 'insufficient_privilege';
  END IF;
  RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "operations_seal_only" BEFORE UPDATE OR DELETE ON "ledger"."operations" FOR EACH ROW EXECUTE FUNCTION "ledger"."operations_seal_only"();
