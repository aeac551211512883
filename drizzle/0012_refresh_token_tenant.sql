-- A refresh token carries its session's tenant, so row-level security can bind it like every other
-- tenant row. Existing tokens take the tenant of their session.
ALTER TABLE "refresh_tokens" ADD COLUMN "tenant_id" uuid;--> statement-breakpoint
UPDATE "refresh_tokens" AS r SET "tenant_id" = s."tenant_id" FROM "sessions" AS s WHERE s."id" = r."session_id";--> statement-breakpoint
ALTER TABLE "refresh_tokens" ALTER COLUMN "tenant_id" SET NOT NULL;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD CONSTRAINT "refresh_tokens_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;
