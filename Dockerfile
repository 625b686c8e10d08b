# opencar in a container: the same steps as the packed-install test (npm pack, then
# scripts/install-and-start.sh install into an empty folder, and `... start` to run it).

# Build: the package from this checkout, installed into /opt/opencar (compilers only here, for
# better-sqlite3 when no prebuilt binary can be downloaded).
FROM node:20-bookworm-slim AS build
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN npm ci --no-audit --no-fund && npm pack --pack-destination /pack
RUN bash scripts/install-and-start.sh install "$(ls /pack/opencar-*.tgz)" /opt/opencar

# Run: the installation only.
FROM node:20-bookworm-slim
COPY --from=build /opt/opencar /opt/opencar
COPY scripts/install-and-start.sh /usr/local/bin/opencar-install-and-start
RUN mkdir -p /var/lib/opencar && chown node:node /var/lib/opencar
ENV HOST=0.0.0.0 PORT=3000 OPENCAR_DATA_DIR=/var/lib/opencar DATABASE_URL=sqlite:/var/lib/opencar/opencar.db
VOLUME /var/lib/opencar
EXPOSE 3000
USER node
ENV PATH=/opt/opencar/node_modules/.bin:$PATH
CMD ["opencar-install-and-start", "start", "/opt/opencar"]
