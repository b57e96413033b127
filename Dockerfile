# syntax=docker/dockerfile:1
# The identity authority and the OpenID4VP verifier service, one image each:
#   docker build --target issuer   -t e2eid-issuer .
#   docker build --target verifier -t e2eid-verifier .
# Both run as the unprivileged `node` user and answer a healthcheck; see README "Deploying".

# --- build: install, compile (the root `prepare` script runs `tsc -b`), drop development dependencies ---
FROM node:20-bookworm-slim AS build
WORKDIR /src
# better-sqlite3 and cbor-extract fall back to node-gyp when no prebuilt binary fits the platform.
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json tsconfig.json tsconfig.base.json turbo.json ./
COPY shared shared
COPY issuer issuer
COPY wallet wallet
COPY verifier verifier
COPY cli cli
COPY e2e/package.json e2e/package.json
RUN npm ci --no-audit --no-fund \
 && npm prune --omit=dev --no-audit --no-fund

# --- runtime: compiled packages and production node_modules only ---
FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules node_modules
COPY --from=build /src/shared/package.json shared/package.json
COPY --from=build /src/shared/dist shared/dist
COPY --from=build /src/issuer/package.json issuer/package.json
COPY --from=build /src/issuer/dist issuer/dist
COPY --from=build /src/wallet/package.json wallet/package.json
COPY --from=build /src/wallet/dist wallet/dist
COPY --from=build /src/verifier/package.json verifier/package.json
COPY --from=build /src/verifier/dist verifier/dist
COPY --from=build /src/cli/package.json cli/package.json
COPY --from=build /src/cli/dist cli/dist
COPY --from=build /src/cli/bin cli/bin
USER node
ENTRYPOINT ["node", "/app/cli/bin/e2eid.js"]

# --- the OpenID4VP verifier service (config file: mount it and pass --config) ---
FROM runtime AS verifier
EXPOSE 8081
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8081/').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["verifier", "serve", "--host", "0.0.0.0", "--port", "8081"]

# --- the identity authority (last, so a plain `docker build .` gives the issuer) ---
FROM runtime AS issuer
# State (SQLite database, admin token file) lives in /data unless --db names PostgreSQL.
ENV E2EID_HOME=/data
USER root
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s --start-period=10s \
  CMD ["node", "-e", "fetch('http://127.0.0.1:8080/.well-known/openid-credential-issuer').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# The public identifier is required off loopback: set E2EID_ISSUER_URL (https) or pass --issuer-url.
CMD ["issuer", "serve", "--host", "0.0.0.0", "--port", "8080"]
