# Image for the pre-charge orchestrator: one image, three commands (see docker-compose.yml):
#   node dist/api/main.js | node dist/worker/main.js | node dist/db/cli.js migrate

# ---- build: full dependency tree, compile TypeScript to dist/ ----
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
RUN npm run build

# ---- runtime: production dependencies and compiled output only ----
FROM node:20.19-bookworm-slim AS runtime
ENV NODE_ENV=production
# The report charts' text is drawn with DejaVu Sans (activities/reports/charts.ts); the slim image has no fonts.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev && npm cache clean --force
COPY --from=build /app/dist ./dist
# The web front end reads its templates and its small enhancement script from source.
COPY --from=build /app/web/views ./web/views
COPY --from=build /app/web/assets/js ./web/assets/js
# The only directory the app may write to; the code itself stays root-owned and read-only.
RUN mkdir -p /app/var && chown node:node /app/var
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
