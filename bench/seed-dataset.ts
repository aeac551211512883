/**
 * The load benchmark's data set, written straight to the database in bulk: tenants, users (all
 * with one password, hashed once at the configured cost) and flags per tenant shaped like real
 * ones (3 strategies, 5 constraints, 2 variants). One more tenant, apart from the others, holds
 * `frontendFlags` flags and only its admin: the tenant the frontend API scenario reads.
 */

import type { Database } from "../src/adapters/db/database";
import { featureFlags, tenants, users } from "../src/adapters/db/schema";
import { uuidv7Ids } from "../src/adapters/system/uuidv7-ids";
import { sampleFlag } from "./sample-flag";

export interface DatasetSize {
  tenants: number;
  usersPerTenant: number;
  flagsPerTenant: number;
  frontendFlags: number;
}

export interface Dataset {
  password: string;
  tenants: { id: string; slug: string; admin: string; members: string[] }[];
  flagKeys: string[];
  frontend: { slug: string; admin: string };
}

const CHUNK = 1_000;

export async function seedDataset(db: Database, size: DatasetSize, bcryptCost: number): Promise<Dataset> {
  const password = "Bench-Password-2026";
  const passwordHash = await Bun.password.hash(password, { algorithm: "bcrypt", cost: bcryptCost });
  const ids = uuidv7Ids;
  const flagKeys = Array.from(
    { length: size.flagsPerTenant },
    (_, i) => `flag-${String(i).padStart(2, "0")}`,
  );
  const frontend = { id: ids.next(), slug: "bench-frontend" };
  const dataset: Dataset = {
    password,
    tenants: [],
    flagKeys,
    frontend: { slug: frontend.slug, admin: `admin@${frontend.slug}.example.com` },
  };
  const userRows: (typeof users.$inferInsert)[] = [];
  const flagRows: (typeof featureFlags.$inferInsert)[] = [];
  const flagRow = (tenantId: string, key: string) => {
    const { key: _, ...definition } = sampleFlag(key, ["free", "pro", "enterprise"]);
    return { id: ids.next(), tenantId, key, ...definition };
  };

  for (let t = 0; t < size.tenants; t++) {
    const tenant = { id: ids.next(), slug: `bench-${String(t).padStart(3, "0")}` };
    await db
      .insert(tenants)
      .values({ ...tenant, name: `Bench tenant ${t}`, plan: t % 3 === 0 ? "pro" : "free" });
    const emails: string[] = [];
    for (let u = 0; u < size.usersPerTenant; u++) {
      const email = `user-${String(u).padStart(4, "0")}@${tenant.slug}.example.com`;
      emails.push(email);
      userRows.push({
        id: ids.next(),
        tenantId: tenant.id,
        email,
        passwordHash,
        role: u === 0 ? "admin" : "member",
        emailVerifiedAt: new Date(),
      });
    }
    for (const key of flagKeys) flagRows.push(flagRow(tenant.id, key));
    dataset.tenants.push({ ...tenant, admin: emails[0]!, members: emails.slice(1) });
  }
  await db.insert(tenants).values({ ...frontend, name: "Bench frontend tenant", plan: "pro" });
  userRows.push({
    id: ids.next(),
    tenantId: frontend.id,
    email: dataset.frontend.admin,
    passwordHash,
    role: "admin",
    emailVerifiedAt: new Date(),
  });
  for (let f = 0; f < size.frontendFlags; f++) {
    flagRows.push(flagRow(frontend.id, `frontend-${String(f).padStart(2, "0")}`));
  }
  for (let i = 0; i < userRows.length; i += CHUNK)
    await db.insert(users).values(userRows.slice(i, i + CHUNK));
  for (let i = 0; i < flagRows.length; i += CHUNK) {
    await db.insert(featureFlags).values(flagRows.slice(i, i + CHUNK));
  }
  return dataset;
}
