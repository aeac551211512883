CREATE TABLE "flag_metrics" (
	"tenant_id" uuid NOT NULL,
	"flag_key" text NOT NULL,
	"hour" timestamp with time zone NOT NULL,
	"yes" bigint DEFAULT 0 NOT NULL,
	"no" bigint DEFAULT 0 NOT NULL,
	"variants" jsonb DEFAULT '{}'::jsonb NOT NULL,
	CONSTRAINT "flag_metrics_pkey" PRIMARY KEY("tenant_id","flag_key","hour")
);
--> statement-breakpoint
ALTER TABLE "flag_metrics" ADD CONSTRAINT "flag_metrics_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE cascade ON UPDATE no action;