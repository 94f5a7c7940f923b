# One image for both processes: `node dist/src/server.js` (API) and `node dist/src/worker.js` (worker).
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts ./scripts
COPY bench ./bench
RUN npx tsc -p tsconfig.build.json && node dist/scripts/bundle-workflows.js

FROM node:20-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm install --omit=dev --no-audit --no-fund
COPY --from=build /app/dist ./dist
COPY examples ./examples
USER node
EXPOSE 8080
CMD ["node", "dist/src/server.js"]
