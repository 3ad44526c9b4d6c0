# pagefleet: the CLI (ingest, status, plan, mock-api) as an image.
#   docker build -t pagefleet:0.1.0 .          (docker-compose.yml builds it as pagefleet:${PAGEFLEET_VERSION})
#   docker run --rm pagefleet:0.1.0 ingest /jobs/job.yaml --executors 4 --executor-index 0
# Node 20 to match package.json's engines and the pinned AWS SDK (its releases after early 2027 need Node 22).

# ---- build: every dependency, compile TypeScript, then drop the dev dependencies ----
FROM node:20.20.2-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/
# tsconfig also includes test/ and bench/; the build context leaves them out (.dockerignore).
# `npm run build`: tsc, then the one-file bundle an executor starts from (scripts/bundle.mjs)
RUN npm run build \
 && npm prune --omit=dev --no-audit --no-fund

# ---- runtime: Node, the compiled CLI and its production dependencies, as a non-root user ----
FROM node:20.20.2-bookworm-slim
ENV NODE_ENV=production \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY --from=build /src/package.json /src/package-lock.json ./
COPY --from=build /src/node_modules ./node_modules
COPY --from=build /src/dist/src ./dist/src
COPY --from=build /src/dist/bundle ./dist/bundle
# `pagefleet` on PATH, as package.json's "bin" would install it: the bundle, which starts in half the CPU
RUN chmod 0755 /app/dist/bundle/main.js \
 && ln -s /app/dist/bundle/main.js /usr/local/bin/pagefleet
# the node user (uid 1000) of the official image; the code stays root-owned and read-only to it
USER node
ENTRYPOINT ["pagefleet"]
CMD ["--help"]
