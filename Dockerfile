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
# saasctl ships beside the server, for operators: `docker compose exec app /app/saasctl tenants list`.
RUN bun run build && bun run build:saasctl && mkdir -p /out/data

# Runtime stage: glibc and CA certificates only, no shell, no package manager; runs as uid 65532.
FROM gcr.io/distroless/cc-debian12:nonroot
WORKDIR /app
COPY --from=build /src/dist/saas-server /app/saas-server
COPY --from=build /src/dist/saasctl /app/saasctl
COPY --from=build --chown=65532:65532 /out/data /app/data
USER 65532:65532
ENV NODE_ENV=production
EXPOSE 8080
# Distroless has no shell or curl: the server binary probes itself. `saas-server healthcheck` asks
# GET /health/ready on 127.0.0.1:$PORT (3 s timeout) and exits 0 when ready, 1 otherwise.
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 CMD ["/app/saas-server", "healthcheck"]
ENTRYPOINT ["/app/saas-server"]
