#pragma once

// Generated JSON records shared by the benchmarks: ten typed fields with a nested struct and
// an array, as JSON lines or inside a pretty-printed `{"_meta": ..., "data": [...]}` envelope.

#include <cstdint>
#include <cstdio>
#include <fstream>
#include <random>
#include <string>

namespace arcflow::bench {

inline const char* const kRecordDdl =
    "id BIGINT, user STRING, amount DECIMAL(10,2), qty INT, active BOOLEAN, ts TIMESTAMP, "
    "city STRING, score DOUBLE, addr STRUCT<zip: STRING, street: STRING>, tags ARRAY<STRING>";

// One record of ten typed fields, with a nested struct and an array; `indent` > 0 pretty-prints
// it at that depth.
inline std::string JsonRecord(std::mt19937_64& random, int64_t id, int indent) {
  static const char* const kCities[] = {"Berlin", "Paris", "Lisbon", "Oslo", "Tokyo"};
  std::string pad = indent > 0 ? "\n" + std::string(static_cast<size_t>(indent) + 2, ' ') : "";
  std::string sep = indent > 0 ? ": " : ":";
  std::string end = indent > 0 ? "\n" + std::string(static_cast<size_t>(indent), ' ') : "";
  auto field = [&](const std::string& name, const std::string& value, bool last = false) {
    return pad + "\"" + name + "\"" + sep + value + (last ? "" : ",");
  };
  uint64_t r = random();
  char amount[32];
  std::snprintf(amount, sizeof(amount), "%llu.%02llu", static_cast<unsigned long long>(r % 100000),
                static_cast<unsigned long long>((r >> 20) % 100));
  char ts[64];
  std::snprintf(ts, sizeof(ts), "\"2024-%02d-%02dT%02d:%02d:%02d.%06dZ\"",
                static_cast<int>(1 + r % 12), static_cast<int>(1 + (r >> 8) % 28),
                static_cast<int>((r >> 16) % 24), static_cast<int>((r >> 24) % 60),
                static_cast<int>((r >> 32) % 60), static_cast<int>((r >> 40) % 1000000));
  std::string record = "{";
  record += field("id", std::to_string(id));
  record += field("user", "\"user_" + std::to_string(r % 1000000) + "\"");
  record += field("amount", amount);
  record += field("qty", std::to_string(r % 50));
  record += field("active", r % 2 ? "true" : "false");
  record += field("ts", ts);
  record += field("city", std::string("\"") + kCities[r % 5] + "\"");
  record += field("score", std::to_string(static_cast<double>(r % 10000) / 7.0));
  record +=
      field("addr", "{\"zip\"" + sep + "\"" + std::to_string(10000 + r % 89999) + "\", \"street\"" +
                        sep + "\"Main Street " + std::to_string(r % 300) + "\"}");
  record +=
      field("tags", "[\"t" + std::to_string(r % 7) + "\", \"t" + std::to_string(r % 11) + "\"]",
            /*last=*/true);
  record += end + "}";
  return record;
}

// The Spark DDL of an envelope file holding such records.
inline const char* const kEnvelopeDdl =
    "_meta STRUCT<source: STRING, count: BIGINT, generated: TIMESTAMP>, "
    "data ARRAY<STRUCT<id: BIGINT, user: STRING, amount: DECIMAL(10,2), qty: INT, "
    "active: BOOLEAN, ts: TIMESTAMP, city: STRING, score: DOUBLE, "
    "addr: STRUCT<zip: STRING, street: STRING>, tags: ARRAY<STRING>>>";

// Writes `records` records as JSON lines.
inline void WriteJsonLines(const std::string& path, std::mt19937_64& random, int records) {
  std::ofstream out(path, std::ios::binary);
  for (int i = 0; i < records; ++i) out << JsonRecord(random, i, 0) << '\n';
}

// Writes a pretty-printed envelope whose `data` array holds `elements` records.
inline void WriteEnvelope(const std::string& path, std::mt19937_64& random, int elements) {
  std::ofstream out(path, std::ios::binary);
  out << "{\n  \"_meta\": {\n    \"source\": \"orders-api\",\n    \"count\": " << elements
      << ",\n    \"generated\": \"2024-01-02T03:04:05Z\"\n  },\n  \"data\": [\n";
  for (int i = 0; i < elements; ++i) {
    out << "    " << JsonRecord(random, i, 4) << (i + 1 < elements ? ",\n" : "\n");
  }
  out << "  ]\n}\n";
}

}  // namespace arcflow::bench
