/**
 * The floor of the load benchmark: a bare Elysia route answering what GET /api/v1/users/me answers,
 * with no authentication and no I/O. Every endpoint's throughput is reported as a share of this one.
 */
import { Elysia } from "elysia";

const me = {
  id: "0190d1f4-5b2a-7000-8000-000000000001",
  tenantId: "0190d1f4-5b2a-7000-8000-000000000002",
  email: "member-0001@bench.example.com",
  firstName: null,
  lastName: null,
  role: "member",
  isActive: true,
  emailVerified: true,
  lastLoginAt: "2026-11-27T00:00:00.000Z",
  createdAt: "2026-11-27T00:00:00.000Z",
  updatedAt: "2026-11-27T00:00:00.000Z",
};

const port = Number(process.env.PORT ?? 18081);
new Elysia().get("/me", () => me).listen({ hostname: "127.0.0.1", port });
process.stdout.write(`floor listening on ${port}\n`);
