#!/usr/bin/env bash
# The demo behind `make demo`: generates landing files like a medallion pipeline receives them
# (JSON lines, a pretty-printed {"_meta", "data"} envelope, a CSV export), then uses arcflow to
# inspect and convert them and to write them into a Delta table (append, then upsert), showing
# its history and contents. Usage: scripts/demo.sh path/to/arcflow
set -euo pipefail
arcflow=$(realpath "$1")
work=$(mktemp -d "${TMPDIR:-/tmp}/arcflow-demo.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/landing/orders" "$work/landing/customers" "$work/bronze" "$work/silver"

# Orders as JSON lines, one file per hour, with one malformed record.
for hour in 00 01 02; do
  for i in $(seq 1 400); do
    id=$((10#$hour * 1000 + i))
    printf '{"order_id": %d, "customer_id": %d, "amount": %d.%02d, "currency": "EUR", "ordered_at": "2026-11-22T%s:%02d:%02dZ", "items": [{"sku": "SKU-%d", "qty": %d}]}\n' \
      "$id" $((id % 50)) $((id % 300)) $((id % 100)) "$hour" $((i % 60)) $((i * 7 % 60)) $((id % 17)) $((i % 4 + 1))
  done > "$work/landing/orders/orders-$hour.json"
done
echo '{"order_id": "not-a-number", "amount": 1}' >> "$work/landing/orders/orders-02.json"

# Customers as a pretty-printed envelope document.
{
  printf '{\n  "_meta": {"source": "crm", "exported_at": "2026-11-22T06:00:00Z"},\n  "data": [\n'
  for i in $(seq 0 49); do
    sep=$([ "$i" -lt 49 ] && echo "," || echo "")
    printf '    {"customer_id": %d, "name": "Customer %d", "country": "%s"}%s\n' \
      "$i" "$i" "$(echo NO SE DK FI | cut -d' ' -f$((i % 4 + 1)))" "$sep"
  done
  printf '  ]\n}\n'
} > "$work/landing/customers/export.json"

step() { printf '\n\033[1m$ %s\033[0m\n' "$*"; }
run() { step "arcflow $*"; "$arcflow" "$@"; }

cd "$work"
run schema landing/orders
run cat 'landing/orders/*.json' --limit 3 --format table \
  --columns order_id,customer_id,amount,ordered_at
run cat landing/orders --schema 'order_id BIGINT, amount DECIMAL(10,2), _corrupt_record STRING' \
  --option mode=PERMISSIVE --format jsonl --limit 1201 | tail -n 2
run schema landing/customers/export.json
run cat landing/customers/export.json --columns _meta.source,_meta.exported_at
run convert landing/orders bronze/orders.csv \
  --schema 'order_id BIGINT, customer_id INT, amount DECIMAL(10,2), currency STRING, ordered_at TIMESTAMP' \
  --option mode=DROPMALFORMED --output-option header=true
step "head -n 3 bronze/orders.csv"
head -n 3 bronze/orders.csv
run cat bronze/orders.csv --option header=true --option inferSchema=true --limit 3 --format table
run convert landing/orders bronze/orders.parquet --compression zstd \
  --schema 'order_id BIGINT, customer_id INT, amount DECIMAL(10,2), currency STRING, ordered_at TIMESTAMP, items ARRAY<STRUCT<sku: STRING, qty: INT>>' \
  --option mode=DROPMALFORMED
run schema bronze/orders.parquet
run cat bronze/orders.parquet --limit 2
step "arcflow parquet-meta bronze/orders.parquet | head -n 12"
"$arcflow" parquet-meta bronze/orders.parquet | head -n 12

# The orders into a Delta table: the first two hours appended, then the third hour plus
# corrections of earlier orders upserted by order_id.
orders_schema='order_id BIGINT, customer_id INT, amount DECIMAL(10,2), currency STRING, ordered_at TIMESTAMP'
for i in $(seq 1 5); do
  id=$((i * 97))
  printf '{"order_id": %d, "customer_id": %d, "amount": 999.%02d, "currency": "EUR", "ordered_at": "2026-11-22T00:59:59Z"}\n' \
    "$id" $((id % 50)) "$i"
done > "$work/landing/orders/corrections.json"
run table write silver/orders 'landing/orders/orders-0[01].json' --schema "$orders_schema" \
  --partition-by currency
run table write silver/orders landing/orders/orders-02.json landing/orders/corrections.json \
  --schema "$orders_schema" --option mode=DROPMALFORMED --mode upsert --merge-keys order_id
run table history silver/orders
run table describe silver/orders
run table show silver/orders --where 'amount >= 999' --format table
run table show silver/orders --version 1 --where 'order_id = 97' --format table
echo
echo "demo: done"
