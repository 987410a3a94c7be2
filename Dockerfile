# syntax=docker/dockerfile:1
# One image for both process types: the web (default CMD) and the worker
# (`command: ["node", "--import", "tsx", "workers/main.ts"]`). See README "Production".
# Not built on the development machines (no Docker there): kept simple and checked by review.

ARG NODE_VERSION=20

# --- deps: every dependency, for the build ---
FROM node:${NODE_VERSION}-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- build: the Remix client and server bundles into build/ ---
FROM deps AS build
COPY . .
RUN npm run build

# --- prod-deps: runtime dependencies only (tsx runs the server sources) ---
FROM node:${NODE_VERSION}-bookworm-slim AS prod-deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- runtime ---
FROM node:${NODE_VERSION}-bookworm-slim AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/.data
WORKDIR /app
COPY --from=prod-deps --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/build ./build
# The server-side sources tsx loads at run time (the Remix bundle is in build/).
COPY --chown=node:node package.json tsconfig.json server.ts ./
COPY --chown=node:node app ./app
COPY --chown=node:node db ./db
COPY --chown=node:node emails ./emails
COPY --chown=node:node search ./search
COPY --chown=node:node workers ./workers
RUN mkdir -p /app/.data && chown node:node /app/.data
# Non-root: the node user of the official image.
USER node
EXPOSE 3000
# Healthy = the process answers and reaches PostgreSQL (a web process stays healthy while the
# workers are down; /healthz's own status reports those too). No curl in slim images: node's fetch.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/healthz').then(r=>r.json()).then(h=>process.exit(h.db==='up'?0:1),()=>process.exit(1))"]
# node directly (not npm), so SIGTERM reaches the server and its graceful shutdown.
CMD ["node", "--import", "tsx", "server.ts", "web"]
