# syntax=docker/dockerfile:1
FROM node:20-bookworm-slim AS build
WORKDIR /app
# better-sqlite3 builds from source where no prebuilt binary fits.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
# Dependencies in their own layer: rebuilt only when package.json or the lock file change, not on
# every source edit. Scripts wait until the sources are there (`prepare` is the build).
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund && npm rebuild better-sqlite3
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    PORT=4000
WORKDIR /app
COPY --from=build --chown=node:node /app/package.json /app/package-lock.json ./
COPY --from=build --chown=node:node /app/node_modules ./node_modules
COPY --from=build --chown=node:node /app/bin ./bin
COPY --from=build --chown=node:node /app/dist ./dist
COPY --from=build --chown=node:node /app/schema ./schema
COPY --from=build --chown=node:node /app/dashboard/dist ./dashboard/dist
# The embedded SQLite database (when DATABASE_URL is unset) lives in /app/data: mount a volume there.
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 4000
# /readyz answers 200 only when the database does; Docker marks the container unhealthy otherwise.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4000) + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# A heap ceiling and a growing factor of 2: src/config/node-flags.ts says why (the same flags as npm start).
CMD ["node", "--max-old-space-size=192", "--heap-growing-percent=100", "dist/src/server/main.js"]
