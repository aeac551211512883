-- Row-level security: the second wall behind the repositories' tenant filters. Every transaction of
-- the application sets app.tenant_id (the tenant it acts for) or app.platform (the named purpose of
-- work that spans tenants) with set_config(..., true), under a role that does not own the tables.
-- FORCE binds the tables' owner too, unless it is a superuser or has BYPASSRLS. The policies are for
-- PUBLIC because the application's role is a setting (DB_APP_ROLE); it is created and granted by the
-- migrator in code. With neither setting, no tenant row is visible.
CREATE FUNCTION app_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT nullif(current_setting('app.tenant_id', true), '')::uuid $$;
--> statement-breakpoint
CREATE FUNCTION app_platform() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE
  AS $$ SELECT coalesce(current_setting('app.platform', true), '') <> '' $$;
--> statement-breakpoint
-- The tenant that owns a presented secret, from its hash: how a request that carries only a secret
-- (a refresh token, a one-time link, an API key, an MFA challenge) learns its tenant before it may
-- read anything. It returns the tenant id and nothing else. It runs as the tables' owner, which the
-- forced policies bind too (unless a superuser), so it reads as platform work while it looks.
CREATE FUNCTION app_tenant_of_secret(kind text, hash text) RETURNS uuid LANGUAGE plpgsql
  SECURITY DEFINER SET search_path = public, pg_temp
  AS $$
  DECLARE
    purpose text := coalesce(current_setting('app.platform', true), '');
    owner uuid;
  BEGIN
    PERFORM set_config('app.platform', 'secret lookup', true);
    CASE kind
      WHEN 'refresh_token' THEN SELECT tenant_id INTO owner FROM refresh_tokens WHERE token_hash = hash;
      WHEN 'one_time_token' THEN SELECT tenant_id INTO owner FROM one_time_tokens WHERE token_hash = hash;
      WHEN 'api_key' THEN SELECT tenant_id INTO owner FROM api_keys WHERE secret_hash = hash;
      WHEN 'mfa_challenge' THEN SELECT tenant_id INTO owner FROM mfa_challenges WHERE token_hash = hash;
      ELSE RAISE EXCEPTION 'unknown secret kind %', kind USING ERRCODE = '22023';
    END CASE;
    PERFORM set_config('app.platform', purpose, true);
    RETURN owner;
  END;
  $$;
--> statement-breakpoint
ALTER TABLE "api_keys" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "api_keys" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "api_keys" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "audit_chain_heads" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "audit_chain_heads" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "audit_chain_heads" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "audit_chain_heads" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "audit_checkpoints" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "audit_checkpoints" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "audit_checkpoints" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "audit_events" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "audit_events" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "audit_events" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "audit_events" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "flag_metrics" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "flag_metrics" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "flag_metrics" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "flag_metrics" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "mfa_challenges" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "mfa_challenges" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "mfa_challenges" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "mfa_challenges" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "one_time_tokens" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "one_time_tokens" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "one_time_tokens" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "one_time_tokens" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "refresh_tokens" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "refresh_tokens" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "refresh_tokens" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "refresh_tokens" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "role_customisations" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "role_customisations" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "role_customisations" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "role_customisations" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "role_permissions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "role_permissions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "role_permissions" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "role_permissions" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "sessions" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "sessions" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "sessions" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "sessions" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "user_mfa" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "user_mfa" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "user_mfa" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "user_mfa" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "users" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "users" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "users" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "webhook_attempts" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "webhook_attempts" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "webhook_attempts" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "webhook_attempts" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "webhook_endpoints" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "webhook_endpoints" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "webhook_endpoints" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "webhook_messages" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "webhook_messages" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "webhook_messages" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "webhook_messages" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
-- Flags and segments without a tenant are platform-wide: every tenant reads them, only platform work writes them.
--> statement-breakpoint
ALTER TABLE "feature_flags" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "feature_flags" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "feature_flags" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_wide_read ON "feature_flags" FOR SELECT USING (tenant_id IS NULL);
--> statement-breakpoint
CREATE POLICY platform_scope ON "feature_flags" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
ALTER TABLE "segments" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "segments" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY tenant_isolation ON "segments" USING (tenant_id = app_tenant()) WITH CHECK (tenant_id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_wide_read ON "segments" FOR SELECT USING (tenant_id IS NULL);
--> statement-breakpoint
CREATE POLICY platform_scope ON "segments" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
-- The tenant directory: anyone may read it (sign-in resolves a slug before anyone is known); a tenant
-- updates its own row; only platform work creates or deletes tenants.
--> statement-breakpoint
ALTER TABLE "tenants" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "tenants" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY directory_read ON "tenants" FOR SELECT USING (true);
--> statement-breakpoint
CREATE POLICY own_tenant_update ON "tenants" FOR UPDATE USING (id = app_tenant()) WITH CHECK (id = app_tenant());
--> statement-breakpoint
CREATE POLICY platform_scope ON "tenants" USING (app_platform()) WITH CHECK (app_platform());
--> statement-breakpoint
-- Background job bookkeeping belongs to no tenant.
--> statement-breakpoint
ALTER TABLE "job_runs" ENABLE ROW LEVEL SECURITY;
--> statement-breakpoint
ALTER TABLE "job_runs" FORCE ROW LEVEL SECURITY;
--> statement-breakpoint
CREATE POLICY platform_scope ON "job_runs" USING (app_platform()) WITH CHECK (app_platform());
