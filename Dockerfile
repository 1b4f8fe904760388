# syntax=docker/dockerfile:1
# copydesk image: one image for every role (worker, watch, dashboard, status, ...); the
# command picks the role. Build: `docker build -t copydesk .`

# ---- build: compile TypeScript with the dev dependencies ----
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY jobs ./jobs
# tsc emits the JSON files the code imports; data files read from disk at run time (rule
# lists, models) are copied next to the compiled code too, so dist/ is self-contained.
RUN npm run build \
 && find src jobs -type f ! -name '*.ts' ! -path 'src/deploy/*' -exec cp --parents {} dist/ \;

# ---- runtime: production dependencies and compiled code only ----
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    COPYDESK_INBOX=/data/inbox \
    COPYDESK_OUT=/data/out \
    COPYDESK_STATE_DIR=/tmp/copydesk \
    COPYDESK_START_REDIS=false
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: nothing at run time needs a native build (msgpackr falls back to JS).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force \
 && mkdir -p /data/inbox /data/out \
 && chown -R node:node /data
COPY --from=build /app/dist ./dist
# The node image's unprivileged user (uid 1000); compose can override it to match the
# owner of the bind-mounted inbox.
USER node
# Exec form: node is PID 1's child under `init: true` (or PID 1 itself) and receives
# SIGTERM directly, so workers finish their active jobs within the shutdown bound.
ENTRYPOINT ["node", "dist/jobs/cli.js"]
CMD ["--help"]
