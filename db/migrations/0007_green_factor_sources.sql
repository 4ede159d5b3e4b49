ALTER TABLE "green"."green_profile_versions" ADD COLUMN "factor_refs" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "green"."green_profiles" ADD COLUMN "factor_refs" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "green"."impact_records" ADD COLUMN "profile_version" integer;--> statement-breakpoint
ALTER TABLE "green"."emission_factors" ADD CONSTRAINT "emission_factors_source_check" CHECK (length(btrim("green"."emission_factors"."source")) >= 10);--> statement-breakpoint
ALTER TABLE "green"."emission_factors" ADD CONSTRAINT "emission_factors_unit_check" CHECK (length(btrim("green"."emission_factors"."unit")) > 0);--> statement-breakpoint
ALTER TABLE "green"."emission_factors" ADD CONSTRAINT "emission_factors_year_check" CHECK ("green"."emission_factors"."year" BETWEEN 1990 AND 2100);--> statement-breakpoint
ALTER TABLE "green"."emission_factors" ADD CONSTRAINT "emission_factors_value_check" CHECK ("green"."emission_factors"."value" > 0);