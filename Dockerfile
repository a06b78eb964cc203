# Multi-stage image of the service: build with the Swift toolchain, run on a slim Debian with only the
# runtime libraries. One image for both executables: `api` (the entry point) and `worker` (run it with
# --entrypoint /app/worker). See docker-compose.yml for the whole stack (PostgreSQL, Redis, migrations,
# API, workers).

# ---- Build ----------------------------------------------------------------------------------------
FROM swift:6.3-bookworm AS build
RUN apt-get update \
    && apt-get install -y --no-install-recommends pkg-config libpq-dev libsqlite3-dev libargon2-dev libhiredis-dev libcurl4-openssl-dev \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /build
# Resolve dependencies first, so that source changes do not fetch them again.
COPY Package.swift ./
RUN swift package resolve
COPY Sources ./Sources
COPY Tests ./Tests
COPY scripts/build-release ./scripts/
RUN scripts/build-release api --static-swift-stdlib \
    && scripts/build-release worker --static-swift-stdlib \
    && mkdir -p /staging \
    && cp "$(swift build -c release --show-bin-path)/api" "$(swift build -c release --show-bin-path)/worker" /staging/
COPY Migrations /staging/Migrations

# ---- Run ------------------------------------------------------------------------------------------
FROM debian:bookworm-slim AS run
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpq5 libsqlite3-0 libargon2-1 libhiredis0.14 libcurl4 ca-certificates curl tzdata \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system --gid 10001 tern \
    && useradd --system --uid 10001 --gid tern --create-home --home-dir /app --shell /usr/sbin/nologin tern
WORKDIR /app
COPY --from=build --chown=tern:tern /staging /app
# Where attachments go (a volume in docker-compose.yml, which takes this folder's owner).
RUN mkdir -p /app/data/uploads && chown -R tern:tern /app/data
USER tern
# An image is for deployment: production rules apply (SECRET_KEY required, no dev-only routes)
# unless ENVIRONMENT says otherwise.
ENV ENVIRONMENT=production HOST=0.0.0.0 PORT=8000 MIGRATIONS_DIR=/app/Migrations
EXPOSE 8000
HEALTHCHECK --interval=10s --timeout=5s --retries=5 \
    CMD curl -fsS http://localhost:8000/api/v1/utils/health-check/ || exit 1
ENTRYPOINT ["/app/api"]
CMD ["serve", "--host", "0.0.0.0", "--port", "8000"]
