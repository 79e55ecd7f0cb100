# syntax=docker/dockerfile:1
# One Dockerfile for every image of the shop, so they are all built the same way:
#   docker build --target service -t funshop/order .      (order, cart, payment, customer: the
#                                                          manifests choose the entry point)
#   docker build --target envoy   -t funshop/envoy .
#   docker build --target storefront -t funshop/storefront .  (the browser app and its file server)
# The build stage compiles the whole workspace once; the runtime stage keeps the compiled output
# and production dependencies only, and runs as a non-root user.
# The bases are build arguments: where the official images cannot be pulled, `npm run images`
# makes local equivalents and passes them in (scripts/images.sh).
ARG NODE_IMAGE=node:20-bookworm-slim
ARG ENVOY_IMAGE=envoyproxy/envoy:v1.34-latest

FROM ${NODE_IMAGE} AS build
WORKDIR /src
COPY package.json package-lock.json .npmrc ./
COPY proto/package.json proto/
COPY platform/package.json platform/
COPY services/order/package.json services/order/
COPY services/cart/package.json services/cart/
COPY services/payment/package.json services/payment/
COPY services/customer/package.json services/customer/
COPY storefront/package.json storefront/
COPY tools/package.json tools/
COPY tests/package.json tests/
RUN npm ci --no-audit --no-fund
COPY . .
RUN bash scripts/codegen.sh && npx tsc -b proto platform services/order services/cart services/payment services/customer storefront \
 && npx tsc -p storefront/web/tsconfig.json && (cd storefront && npx vite build --config web/vite.config.mts) \
 && mkdir -p /docs && cp proto/openapi/funshop.swagger.json /docs/openapi.json && cp envoy/docs/index.html /docs/ \
 && cp node_modules/swagger-ui-dist/swagger-ui.css node_modules/swagger-ui-dist/swagger-ui-bundle.js /docs/ \
 && npm prune --omit=dev \
 && find . -name '*.ts' -not -path './node_modules/*' -delete

# What every Node.js image of the shop runs on: production dependencies, the contracts, the platform.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build --chown=root:root /src/package.json ./
COPY --from=build --chown=root:root /src/node_modules node_modules
COPY --from=build --chown=root:root /src/proto proto
COPY --from=build --chown=root:root /src/platform platform

FROM runtime AS service
COPY --from=build --chown=root:root /src/services services
# Payment receipts: a fresh volume mounted here (Docker Compose's) takes this owner.
RUN mkdir -p /var/lib/funshop/receipts && chown 10001:10001 /var/lib/funshop/receipts
USER 10001:10001
EXPOSE 50051 50052 50053 50054 9464 9465 9466 9467

FROM ${ENVOY_IMAGE} AS envoy
COPY --from=build /src/proto/gen/funshop.binpb /usr/local/share/funshop/funshop.binpb
# The API's OpenAPI document and Swagger UI, served at /openapi.json and /docs/.
COPY --from=build /docs /usr/local/share/funshop/docs
USER 10001:10001

# The storefront: its server and the built app, with the platform's logger. Not the tools
# workspace: the development sign-in's signing code is not in this image, so no setting can turn
# it on in a cluster.
FROM runtime AS storefront
COPY --from=build --chown=root:root /src/storefront/package.json storefront/
COPY --from=build --chown=root:root /src/storefront/dist storefront/dist
USER 10001:10001
EXPOSE 8082
