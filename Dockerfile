# reflect-controller image: build with Node 20, run the single bundled file on distroless Node 20 as a non-root user.
# docker build -t ghcr.io/kube-reflect/kube-reflect:0.1.0 .

FROM node:20-bookworm AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM gcr.io/distroless/nodejs20-debian12:nonroot
LABEL org.opencontainers.image.title="kube-reflect" \
      org.opencontainers.image.description="Mirror Secrets, ConfigMaps and any namespaced object into many namespaces" \
      org.opencontainers.image.licenses="Apache-2.0" \
      org.opencontainers.image.source="https://github.com/kube-reflect/kube-reflect"
# The bundle inlines every dependency: nothing else from the build stage is needed.
COPY --from=build --chown=65532:65532 /src/dist/bin/reflect-controller /app/reflect-controller
ENV MALLOC_ARENA_MAX=2
USER 65532:65532
EXPOSE 8080 8081
ENTRYPOINT ["/nodejs/bin/node", "/app/reflect-controller"]
