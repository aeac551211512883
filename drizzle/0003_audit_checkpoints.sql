CREATE TABLE "audit_checkpoints" (
	"tenant_id" uuid PRIMARY KEY NOT NULL,
	"first_seq" bigint NOT NULL,
	"prev_hash" text NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ADD CONSTRAINT "audit_checkpoints_tenant_id_tenants_id_fk" FOREIGN KEY ("tenant_id") REFERENCES "public"."tenants"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_tenant_actor_idx" ON "audit_events" USING btree ("tenant_id","actor_id","seq");--> statement-breakpoint
CREATE INDEX "audit_events_tenant_resource_idx" ON "audit_events" USING btree ("tenant_id","resource_type","resource_id","seq");