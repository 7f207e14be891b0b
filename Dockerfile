# Parley in a container: `docker build -t parley .` then
#   docker run -p 127.0.0.1:8787:8787 -v parley-data:/data parley
# The runtime image holds the build, the runtime dependencies and nothing else, and runs as the unprivileged
# `node` user. Its install step is deploy/install-production.sh, which CI runs the same way (deploy/check-production.sh).

FROM node:20-bookworm-slim AS toolchain
# The SQLite driver compiles where no prebuilt binary fits.
RUN apt-get update \
  && apt-get install -y --no-install-recommends python3 make g++ \
  && rm -rf /var/lib/apt/lists/*

FROM toolchain AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY . .
RUN npm run build

FROM toolchain AS runtime-deps
WORKDIR /app
COPY package.json package-lock.json deploy/install-production.sh ./
COPY --from=build /src/dist ./dist
RUN sh install-production.sh . && rm install-production.sh

FROM node:20-bookworm-slim
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=8787 \
    DATABASE_URL=file:/data/parley.db
WORKDIR /app
COPY --from=runtime-deps --chown=node:node /app ./
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8787
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:' + process.env.PORT + '/api/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"
CMD ["node", "dist/server/node.js"]
