# Portico: the server (Node 20, compiled to JavaScript at build time) serving the built web app.
# Build:  docker build -t portico .
# Run:    docker run -p 4000:4000 -e DATABASE_URL=postgres://... portico
#         (see docker-compose.yml for PostgreSQL, Redis and a mail catcher alongside it)
FROM node:20-bookworm-slim

ENV CI=true \
    PNPM_HOME=/pnpm \
    PATH=/pnpm:$PATH
RUN npm install -g pnpm@10 --no-fund --no-audit

WORKDIR /app

# Dependencies first, so that source changes reuse this layer.
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches patches
COPY packages/server/package.json packages/server/
COPY packages/web/package.json packages/web/
COPY packages/e2e/package.json packages/e2e/
RUN pnpm install --frozen-lockfile --filter @portico/server --filter @portico/web

# Sources (the web app shows docs/nginx.conf on its Gateways page; the server reads the web
# app's trusted documents from trusted-documents.json), then the production builds: the web
# app (packages/web/dist, served by the server) and the server itself (packages/server/dist:
# JavaScript with source maps, compiled by SWC with the decorator metadata type-graphql and
# MikroORM read).
COPY tsconfig.base.json schema.graphql trusted-documents.json ./
COPY docs/nginx.conf docs/
COPY scripts/build.mjs scripts/
COPY packages/server packages/server
COPY packages/web packages/web
RUN node scripts/build.mjs

# Run as an unprivileged user; the embedded PostgreSQL (used only without DATABASE_URL)
# keeps its data in /app/packages/server/.data.
RUN mkdir -p packages/server/.data && chown -R node:node packages/server/.data
USER node
WORKDIR /app/packages/server

ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=4000
EXPOSE 4000
HEALTHCHECK --interval=10s --timeout=3s --start-period=30s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:4000/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Node runs as PID 1, with no pnpm in between: `docker stop`'s SIGTERM reaches the server.
# The flags are the start script's (packages/server/package.json; a test keeps them equal).
CMD ["node", "--enable-source-maps", "--max-semi-space-size=128", "dist/main.js"]
