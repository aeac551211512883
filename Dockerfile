# Build stage. oven/bun:1.4 is pinned to the minor line the project is developed and tested on
# (bun.lock format, `bun build --compile` behaviour); patch updates arrive on rebuild. It is the
# glibc (Debian) variant on purpose: the compiled binary embeds this Bun runtime, and an alpine
# (musl) build would not run on the glibc runtime image below.
FROM oven/bun:1.4 AS build
WORKDIR /src
COPY package.json bun.lock ./
RUN bun install --frozen-lockfile
COPY . .
# Migrations are embedded in the binary (src/adapters/db/embedded-migrations.ts); ./data is where the
# app writes its local mail outbox, so it must exist and belong to the non-root user.
RUN bun run build && mkdir -p /out/data

# Runtime stage: glibc and CA certificates only, no shell, no package manager; runs as uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /src/dist/saas-server /app/saas-server
COPY --from=build --chown=65532:65532 /out/data /app/data
USER 65532:65532
ENV NODE_ENV=production
EXPOSE 8080
# No HEALTHCHECK: distroless has no shell or curl. Compose/orchestrators probe GET /health/ready
# (readiness: database and cache) and GET /health (liveness) over HTTP instead.
ENTRYPOINT ["/app/saas-server"]
