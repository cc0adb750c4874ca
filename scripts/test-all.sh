#!/usr/bin/env bash
# The whole test suite on a fresh Debian/Ubuntu machine with Node.js >= 20.9: installs the system packages the tests
# use, starts PostgreSQL and Redis when they are down, installs the npm dependencies, builds and runs every test.
# `npm run test:all` and .ci/run call this script. Needs root or sudo for apt-get (only when something is missing).
set -euo pipefail
cd "$(dirname "$0")/.."
export ONNXRUNTIME_NODE_INSTALL=skip   # its install script fetches CUDA files; CPU inference needs nothing
start=$(date +%s)

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO=(sudo); else SUDO=(false); fi
fi
as_postgres() { if [ "$(id -un)" = postgres ]; then "$@"; elif [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else sudo -u postgres "$@"; fi; }

echo "== Node.js"
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<9)) { console.error(`zakocr needs Node.js >= 20.9, this is ${process.version}`); process.exit(1) }'
node --version

echo "== system packages"
need=()
command -v kcat >/dev/null || need+=(kcat)                                # librdkafka mock cluster for the Kafka tests
command -v zbarimg >/dev/null || need+=(zbar-tools)                       # baseline in barcode comparisons
command -v tesseract >/dev/null || need+=(tesseract-ocr)                  # baseline in benchmarks
{ command -v tesseract >/dev/null && tesseract --list-langs 2>/dev/null | grep -qx ben; } || need+=(tesseract-ocr-ben)
command -v pg_ctlcluster >/dev/null || need+=(postgresql)                 # the PostgreSQL sink, catalog and review tests
command -v redis-server >/dev/null || need+=(redis-server)                # queue and cache (scale-out)
command -v script >/dev/null || need+=(bsdutils)                          # a pseudo-terminal for the progress tests
command -v chromium >/dev/null || need+=(chromium)                        # the serve upload page's end-to-end test
if [ ${#need[@]} -gt 0 ]; then
  echo "installing: ${need[*]}"
  if [ "${SUDO[0]:-}" = false ]; then echo "not root and no sudo: install ${need[*]} first" >&2; exit 1; fi
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
  "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
fi

echo "== PostgreSQL"
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  "${SUDO[@]}" pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | sort -V | tail -1)" main start
  for _ in $(seq 1 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi
pg_isready -h 127.0.0.1 -p 5432
# The tests connect as postgres over TCP (test/helpers/pg-db.ts). A fresh install asks for a password there: give the
# postgres role one and hand it to the tests, instead of loosening pg_hba.conf.
if [ -z "${ZAKOCR_TEST_PG_ADMIN:-}" ] && ! PGCONNECT_TIMEOUT=5 psql -w -q -h 127.0.0.1 -U postgres -d postgres -c 'select 1' >/dev/null 2>&1; then
  as_postgres psql -q -c "ALTER USER postgres PASSWORD 'zakocr-test'" >/dev/null
  export ZAKOCR_TEST_PG_ADMIN='postgres://postgres:zakocr-test@127.0.0.1:5432/postgres'
  echo "postgres role password set for the tests (ZAKOCR_TEST_PG_ADMIN)"
fi

echo "== Redis"
if ! redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1; then
  redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no >/dev/null
  for _ in $(seq 1 20); do redis-cli -h 127.0.0.1 -p 6379 ping >/dev/null 2>&1 && break; sleep 0.5; done
fi
redis-cli -h 127.0.0.1 -p 6379 ping

echo "== npm ci + build"
npm ci --no-audit --no-fund
npm run build

echo "== tests"
npm test
echo "== all tests done in $(( $(date +%s) - start ))s"
