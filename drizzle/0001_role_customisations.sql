CREATE TABLE "role_customisations" (
	"tenant_id" uuid NOT NULL,
	"role" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "role_customisations_pkey" PRIMARY KEY("tenant_id","role"),
	CONSTRAINT "role_customisations_role_check" CHECK ("role_customisations"."role" in ('guest', 'member', 'admin', 'super_admin'))
);
--> statement-breakpoint
ALTER TABLE "role_customisations" ADD CONSTRAINT "role_customisations_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
-- Roles that already have rows were customised: keep them so.
INSERT INTO "role_customisations" ("tenant_id", "role") SELECT DISTINCT "tenant_id", "role" FROM "role_permissions";--> statement-breakpoint
ALTER TABLE "role_permissions" ADD CONSTRAINT "role_permissions_customisation_fk" FOREIGN KEY ("tenant_id","role") REFERENCES "public"."role_customisations"("tenant_id","role") ON DELETE cascade ON UPDATE no action;