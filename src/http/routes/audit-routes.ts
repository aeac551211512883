import { Elysia, t } from "elysia";
import type { Logger } from "../../core/ports/logger";
import type { ExportAuditLog } from "../../core/usecases/audit/export-audit-log";
import type { ReadAuditLog } from "../../core/usecases/audit/read-audit-log";
import type { VerifyAuditChain } from "../../core/usecases/audit/verify-audit-chain";
import { ndjsonStream, presentAuditEvent } from "../audit-presenter";
import { AuditExportQuery, AuditLogQuery, AuditVerifyQuery, auditModels } from "../audit-schemas";
import type { AuthPlugin } from "../plugins/auth";
import { models, problems } from "../schemas";

export interface AuditRoutesDeps {
  auth: AuthPlugin;
  readAuditLog: ReadAuditLog;
  verifyAuditChain: VerifyAuditChain;
  exportAuditLog: ExportAuditLog;
  logger: Logger;
  describeError: (error: unknown) => string;
}

const scoping =
  "Your tenant's log, with audit:read. Platform admins (platform:audit) may name another tenant with " +
  "`tenantId`; that read is itself recorded in the tenant read. Anyone else naming another tenant gets 403.";
const instant = (value: string | undefined) => (value === undefined ? undefined : new Date(value));

export function auditRoutes(deps: AuditRoutesDeps) {
  const { auth, readAuditLog, verifyAuditChain, exportAuditLog } = deps;
  return new Elysia({ prefix: "/api/v1/audit", tags: ["audit"] })
    .use(models)
    .use(auditModels)
    .use(auth)
    .guard({ auth: true })
    .get(
      "/logs",
      async ({ acting, query }) => {
        const { from, to, ...rest } = query;
        const page = await readAuditLog(acting, { ...rest, from: instant(from), to: instant(to) });
        return { items: page.items.map(presentAuditEvent), nextCursor: page.nextCursor };
      },
      {
        query: AuditLogQuery,
        response: { 200: "AuditEventList", ...problems(401, 403, 404, 422) },
        detail: {
          summary: "The audit log, newest first",
          description: `Filters combine; \`action\` is exact or a prefix (\`auth.*\`). Cursor pages of \`limit\` (50, at most 200). ${scoping}`,
        },
      },
    )
    .get("/verify", async ({ acting, query }) => verifyAuditChain(acting, { tenantId: query.tenantId }), {
      query: AuditVerifyQuery,
      response: { 200: "AuditVerification", ...problems(401, 403, 404, 422) },
      detail: {
        summary: "Verify the tenant's hash chain",
        description: `Walks the chain from its start (or its retention checkpoint) and reports the first event that breaks it. ${scoping}`,
      },
    })
    .get(
      "/export",
      async ({ acting, query }) => {
        const target = query.tenantId ?? acting.tenant.id;
        const batches = await exportAuditLog(acting, {
          tenantId: query.tenantId,
          from: instant(query.from),
          to: instant(query.to),
        });
        const { requestId } = acting.origin;
        const body = ndjsonStream(batches, (error) =>
          deps.logger.error("audit.export_failed", { requestId, cause: deps.describeError(error) }),
        );
        return new Response(body, {
          headers: {
            "content-type": "application/x-ndjson",
            "content-disposition": `attachment; filename="audit-${target}.ndjson"`,
          },
        });
      },
      {
        query: AuditExportQuery,
        // Not validated (a Response is sent as it is): it documents the 200 in the OpenAPI document.
        response: {
          200: t.String({ contentMediaType: "application/x-ndjson", description: "one AuditEvent per line" }),
          ...problems(401, 403, 404, 422),
        },
        detail: {
          summary: "Export the audit log as NDJSON",
          description: `Oldest first (chain order), one event per line, with seq and hashes so the export can be verified on its own; streamed batch by batch. ${scoping}`,
        },
      },
    );
}
