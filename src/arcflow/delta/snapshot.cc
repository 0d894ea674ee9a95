#include "arcflow/delta/snapshot.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <deque>
#include <map>
#include <set>
#include <unordered_map>

#include "arcflow/columnar/schema_json.h"
#include "arcflow/delta/checkpoint_reader.h"
#include "arcflow/delta/log_paths.h"
#include "arcflow/delta/table_properties.h"

namespace arcflow::delta {

namespace {

bool InCommitTimestampsEnabled(const Metadata& metadata) {
  std::optional<std::string> value = metadata.Configuration("delta.enableInCommitTimestamps");
  return value.has_value() && *value == "true";
}

// One complete checkpoint found by listing: all parts of a multi-part checkpoint, or one
// classic or V2 checkpoint file.
struct CheckpointCandidate {
  int64_t version = 0;
  std::vector<const LogFile*> files;
};

// The listed log of a table, grouped by kind. The whole `_delta_log/` is listed once (the
// file systems have no listing that starts at a name), which finds the newest checkpoint as
// well as the commits after it, so `_last_checkpoint` is not read: it could only point at a
// checkpoint the listing already shows, or at a stale or missing one.
struct ListedLog {
  std::vector<LogFile> files;
  std::map<int64_t, const LogFile*> commits;
  // Log compaction files by first version, each version's widest first. Files that cover a
  // single version are left out: they stand in for one commit, which saves nothing.
  std::map<int64_t, std::vector<const LogFile*>> compactions;
  // Complete checkpoints, ascending by version (several may share one version).
  std::vector<CheckpointCandidate> checkpoints;
  int64_t latest_version = -1;
  int64_t earliest_version = -1;  // Earliest version the log can reconstruct.
};

Result<ListedLog> ListTableLog(io::FileSystem& fs, const std::string& table_root) {
  ListedLog log;
  Result<std::vector<LogFile>> listed = ListLog(fs, table_root);
  if (!listed.ok()) {
    if (listed.status().IsNotFound()) {
      return Status::NotFound("delta: no Delta table at '{}' (no _delta_log directory)",
                              table_root);
    }
    return listed.status().WithContext("while listing the Delta log of " + table_root);
  }
  log.files = std::move(*listed);
  std::map<std::pair<int64_t, int32_t>, std::vector<const LogFile*>> multi_part;
  for (const LogFile& file : log.files) {
    switch (file.name.kind) {
      case LogFileKind::kCommit:
        log.commits[file.name.version] = &file;
        break;
      case LogFileKind::kCheckpoint:
      case LogFileKind::kV2Checkpoint:
        log.checkpoints.push_back(CheckpointCandidate{file.name.version, {&file}});
        break;
      case LogFileKind::kMultiPartCheckpoint:
        multi_part[{file.name.version, file.name.num_parts}].push_back(&file);
        break;
      case LogFileKind::kCompaction:
        if (file.name.end_version > file.name.version) {
          log.compactions[file.name.version].push_back(&file);
        }
        break;
      default:
        break;
    }
  }
  for (auto& [start, files] : log.compactions) {
    std::stable_sort(files.begin(), files.end(), [](const LogFile* a, const LogFile* b) {
      return a->name.end_version > b->name.end_version;
    });
  }
  for (auto& [key, parts] : multi_part) {
    // A multi-part checkpoint is usable only when every part is there, exactly once.
    std::sort(parts.begin(), parts.end(),
              [](const LogFile* a, const LogFile* b) { return a->name.part < b->name.part; });
    bool complete = static_cast<int32_t>(parts.size()) == key.second;
    for (size_t i = 0; complete && i < parts.size(); ++i) {
      complete = parts[i]->name.part == static_cast<int32_t>(i + 1);
    }
    if (complete) log.checkpoints.push_back(CheckpointCandidate{key.first, parts});
  }
  std::stable_sort(log.checkpoints.begin(), log.checkpoints.end(),
                   [](const CheckpointCandidate& a, const CheckpointCandidate& b) {
                     return a.version < b.version;
                   });
  if (!log.commits.empty()) log.latest_version = log.commits.rbegin()->first;
  if (!log.checkpoints.empty()) {
    log.latest_version = std::max(log.latest_version, log.checkpoints.back().version);
  }
  if (log.latest_version < 0) {
    return Status::NotFound(
        "delta: no Delta table at '{}' (_delta_log has no commit or checkpoint file)", table_root);
  }
  if (log.commits.count(0) > 0) {
    log.earliest_version = 0;
  } else {
    // Without commit 0 the log starts at its first checkpoint, or at the end of a compaction
    // file that starts at version 0 (its commits cleaned up), whichever is earlier.
    std::optional<int64_t> earliest;
    if (!log.checkpoints.empty()) earliest = log.checkpoints.front().version;
    if (auto it = log.compactions.find(0); it != log.compactions.end()) {
      int64_t narrowest_end = it->second.back()->name.end_version;
      if (narrowest_end <= log.latest_version) {
        earliest = std::min(earliest.value_or(narrowest_end), narrowest_end);
      }
    }
    log.earliest_version = earliest.has_value() ? *earliest : log.commits.begin()->first;
  }
  return log;
}

// Keys a logical file by its canonical path, so that "file:/a", "file:///a" and "/a" (and
// escaped and unescaped spellings) name the same file, and by its deletion vector. Files under
// the table root are keyed by their path relative to it, which keeps the common case (a plain
// relative path) free of path resolution.
class FileKeyer {
 public:
  explicit FileKeyer(const std::string& table_root)
      : table_root_(&table_root), root_prefix_(io::JoinPath(table_root, "x")) {
    // The prefix of every path under the root as ResolveDataFilePath spells it.
    root_prefix_.pop_back();
  }

  std::string Key(std::string_view path,
                  const std::optional<DeletionVectorDescriptor>& deletion_vector) const {
    std::string key;
    if (!path.empty() && path[0] != '/' && path.find_first_of("%:") == std::string_view::npos) {
      key.assign(path);
    } else {
      key = ResolveDataFilePath(*table_root_, path);
      if (key.size() > root_prefix_.size() &&
          key.compare(0, root_prefix_.size(), root_prefix_) == 0) {
        key.erase(0, root_prefix_.size());
      }
    }
    if (deletion_vector.has_value()) {
      key.push_back('\0');
      key.append(deletion_vector->UniqueId());
    }
    return key;
  }

 private:
  const std::string* table_root_;
  std::string root_prefix_;
};

// The replayed state of a table, built by applying actions in log order.
class Replay {
 public:
  explicit Replay(const std::string& table_root) : keys_(table_root) {}

  void Apply(Action&& action, bool is_target_version) {
    std::visit(
        [&](auto&& value) {
          using T = std::decay_t<decltype(value)>;
          if constexpr (std::is_same_v<T, AddFile>) {
            std::string key = FileKey(value.path, value.deletion_vector);
            if (!tombstones_.empty()) tombstones_.erase(key);
            auto [it, inserted] = file_index_.try_emplace(std::move(key), files_.size());
            if (inserted) {
              files_.push_back(std::move(value));
              live_.push_back(true);
            } else {
              files_[it->second] = std::move(value);
              live_[it->second] = true;
            }
          } else if constexpr (std::is_same_v<T, RemoveFile>) {
            std::string key = FileKey(value.path, value.deletion_vector);
            if (auto it = file_index_.find(key); it != file_index_.end()) live_[it->second] = false;
            tombstones_.insert_or_assign(std::move(key), std::move(value));
          } else if constexpr (std::is_same_v<T, Protocol>) {
            protocol_ = std::move(value);
          } else if constexpr (std::is_same_v<T, Metadata>) {
            metadata_ = std::move(value);
          } else if constexpr (std::is_same_v<T, Transaction>) {
            std::string app_id = value.app_id;
            transactions_.insert_or_assign(std::move(app_id), std::move(value));
          } else if constexpr (std::is_same_v<T, DomainMetadata>) {
            std::string domain = value.domain;
            domains_.insert_or_assign(std::move(domain), std::move(value));
          } else if constexpr (std::is_same_v<T, CommitInfo>) {
            if (is_target_version) target_in_commit_timestamp_ = value.in_commit_timestamp;
          }
          // cdc, checkpointMetadata and sidecar actions do not change the table state.
        },
        std::move(action));
  }

  const std::optional<Protocol>& protocol() const { return protocol_; }
  const std::optional<Metadata>& metadata() const { return metadata_; }
  std::optional<int64_t> target_in_commit_timestamp() const { return target_in_commit_timestamp_; }

  // Makes room for `count` more files, e.g. before applying a checkpoint's actions.
  void Reserve(size_t count) {
    file_index_.reserve(file_index_.size() + count);
    files_.reserve(files_.size() + count);
    live_.reserve(live_.size() + count);
  }

  std::vector<AddFile> TakeFiles() {
    // Sort pointers, then move each file once: AddFile is large, and moving it through a sort
    // would dominate the replay of a big table.
    std::vector<AddFile*> order;
    order.reserve(files_.size());
    for (size_t i = 0; i < files_.size(); ++i) {
      if (live_[i]) order.push_back(&files_[i]);
    }
    std::sort(order.begin(), order.end(), [](const AddFile* a, const AddFile* b) {
      int compared = a->path.compare(b->path);
      if (compared != 0) return compared < 0;
      std::string id_a = a->deletion_vector ? a->deletion_vector->UniqueId() : std::string();
      std::string id_b = b->deletion_vector ? b->deletion_vector->UniqueId() : std::string();
      return id_a < id_b;
    });
    std::vector<AddFile> files;
    files.reserve(order.size());
    for (AddFile* add : order) files.push_back(std::move(*add));
    return files;
  }

  // Tombstones deleted after `cutoff_ms` (those without a deletion time count as deleted at
  // the epoch, as Spark treats them).
  std::vector<RemoveFile> TakeTombstones(int64_t cutoff_ms) {
    std::vector<RemoveFile> tombstones;
    for (auto& [key, remove] : tombstones_) {
      if (remove.deletion_timestamp.value_or(0) > cutoff_ms) {
        tombstones.push_back(std::move(remove));
      }
    }
    std::sort(tombstones.begin(), tombstones.end(),
              [](const RemoveFile& a, const RemoveFile& b) { return a.path < b.path; });
    return tombstones;
  }

  std::vector<Transaction> TakeTransactions() {
    std::vector<Transaction> transactions;
    for (auto& [app_id, txn] : transactions_) transactions.push_back(std::move(txn));
    return transactions;
  }

  std::vector<DomainMetadata> TakeDomainMetadata() {
    std::vector<DomainMetadata> domains;
    for (auto& [name, domain] : domains_) {
      if (!domain.removed) domains.push_back(std::move(domain));
    }
    return domains;
  }

 private:
  std::string FileKey(std::string_view path,
                      const std::optional<DeletionVectorDescriptor>& deletion_vector) const {
    return keys_.Key(path, deletion_vector);
  }

  FileKeyer keys_;
  std::optional<Protocol> protocol_;
  std::optional<Metadata> metadata_;
  // Files in the order first added; file_index_ maps a file key to its slot, live_ says whether
  // the slot's file is active (a remove clears it, a later add of the same key sets it again).
  std::vector<AddFile> files_;
  std::vector<bool> live_;
  std::unordered_map<std::string, size_t> file_index_;
  std::unordered_map<std::string, RemoveFile> tombstones_;
  std::map<std::string, Transaction> transactions_;
  std::map<std::string, DomainMetadata> domains_;
  std::optional<int64_t> target_in_commit_timestamp_;
};

Result<std::vector<Action>> ReadCommitFile(io::FileSystem& fs, const std::string& path) {
  ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<const Buffer> content, fs.ReadFile(path));
  std::string_view text(reinterpret_cast<const char*>(content->data()),
                        static_cast<size_t>(content->size()));
  return ParseCommit(text, path);
}

// The in-commit timestamp of a commit: the commitInfo that the protocol requires to be the
// first action of every commit once the feature is on.
Result<std::optional<int64_t>> ReadInCommitTimestamp(io::FileSystem& fs, const std::string& path) {
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommitFile(fs, path));
  for (const Action& action : actions) {
    if (const auto* info = std::get_if<CommitInfo>(&action)) return info->in_commit_timestamp;
  }
  return std::optional<int64_t>();
}

std::string VersionRange(const ListedLog& log) {
  return fmt::format("{}..{}", log.earliest_version, log.latest_version);
}

// One file replayed after the checkpoint: a commit, or a log compaction file standing in for
// the commits of its range.
struct ReplayStep {
  const LogFile* file = nullptr;
  bool compaction = false;
};

// Chooses the files that replay versions (from, to] on top of a checkpoint at `from` (or of
// nothing, for -1): commits, and log compaction files that lie wholly inside the range and are
// not in `rejected`. Of all the ways to cover the range it takes one with the fewest files, so
// a wider compaction file wins over a narrower one or over the commits it covers, and files
// never overlap. Time travel to a version inside a compaction file's range thus never uses it.
// Corruption naming the first version nothing covers (and why a compaction file that would
// have covered it was rejected). The search visits only listed files, so a hostile version
// number far beyond the others costs nothing.
Result<std::vector<ReplayStep>> PlanReplay(const ListedLog& log, int64_t from, int64_t to,
                                           const std::map<std::string, Status>& rejected,
                                           const std::string& table_root) {
  // Breadth-first over "the next version to apply": the first path to reach a position has
  // the fewest files; compaction files are tried widest first, then the commit.
  struct Reached {
    int64_t previous = 0;
    ReplayStep step;
  };
  const int64_t goal = to + 1;
  std::map<int64_t, Reached> reached;
  reached.emplace(from + 1, Reached{});
  std::deque<int64_t> queue = {from + 1};
  while (!queue.empty() && reached.count(goal) == 0) {
    int64_t position = queue.front();
    queue.pop_front();
    auto visit = [&](int64_t next, ReplayStep step) {
      if (next <= goal && reached.try_emplace(next, Reached{position, step}).second) {
        queue.push_back(next);
      }
    };
    if (auto it = log.compactions.find(position); it != log.compactions.end()) {
      for (const LogFile* file : it->second) {
        if (file->name.end_version <= to && rejected.count(file->info.path) == 0) {
          visit(file->name.end_version + 1, ReplayStep{file, true});
        }
      }
    }
    if (auto it = log.commits.find(position); it != log.commits.end()) {
      visit(position + 1, ReplayStep{it->second, false});
    }
  }
  if (reached.count(goal) == 0) {
    // Every version below the furthest position reached is covered; that one is not.
    int64_t missing = reached.rbegin()->first;
    std::string why_not;
    for (const auto& [path, status] : rejected) {
      std::optional<LogFileName> name = ParseLogFileName(io::BaseName(path));
      if (name.has_value() && name->version <= missing && missing <= name->end_version) {
        why_not += fmt::format("; log compaction file {} covers it but was not used: {}", path,
                               status.message());
      }
    }
    return Status::Corruption(
        "delta: commit file for version {} is missing from the log, so version {} cannot be "
        "reconstructed (table={}, expected {}){}; restore the file or load an older version",
        missing, to, table_root, io::JoinPath(LogDirectory(table_root), CommitFileName(missing)),
        why_not);
  }
  std::vector<ReplayStep> steps;
  for (int64_t position = goal; position != from + 1;) {
    const Reached& step = reached.at(position);
    steps.push_back(step.step);
    position = step.previous;
  }
  std::reverse(steps.begin(), steps.end());
  return steps;
}

// Reads a log compaction file and checks that it holds what PROTOCOL.md says it must: the
// actions of its commits after Action Reconciliation, so no commitInfo and at most one action
// for each logical file, application id, domain, protocol and metadata. Reconciled actions
// mean the same in any order; a file with two actions for one of them was not reconciled, and
// which one wins would depend on an order the protocol does not define, so such a file is
// Corruption (and the caller replays the commits instead).
Result<std::vector<Action>> ReadCompactionFile(io::FileSystem& fs, const std::string& path,
                                               const FileKeyer& keys) {
  ARCFLOW_ASSIGN_OR_RETURN(std::vector<Action> actions, ReadCommitFile(fs, path));
  std::set<std::string> files;
  std::set<std::string> app_ids;
  std::set<std::string> domains;
  int protocols = 0;
  int metadata = 0;
  for (const Action& action : actions) {
    std::string repeated;
    if (const auto* add = std::get_if<AddFile>(&action)) {
      if (!files.insert(keys.Key(add->path, add->deletion_vector)).second) {
        repeated = "file " + add->path;
      }
    } else if (const auto* remove = std::get_if<RemoveFile>(&action)) {
      if (!files.insert(keys.Key(remove->path, remove->deletion_vector)).second) {
        repeated = "file " + remove->path;
      }
    } else if (const auto* txn = std::get_if<Transaction>(&action)) {
      if (!app_ids.insert(txn->app_id).second) repeated = "txn of application " + txn->app_id;
    } else if (const auto* domain = std::get_if<DomainMetadata>(&action)) {
      if (!domains.insert(domain->domain).second) repeated = "domain " + domain->domain;
    } else if (std::holds_alternative<Protocol>(action)) {
      if (++protocols > 1) repeated = "protocol";
    } else if (std::holds_alternative<Metadata>(action)) {
      if (++metadata > 1) repeated = "metaData";
    } else if (std::holds_alternative<CommitInfo>(action) ||
               std::holds_alternative<CheckpointMetadata>(action) ||
               std::holds_alternative<Sidecar>(action)) {
      return Status::Corruption(
          "delta: log compaction file holds a {} action, which reconciled actions never "
          "include (file={})",
          std::holds_alternative<CommitInfo>(action) ? "commitInfo"
          : std::holds_alternative<Sidecar>(action)  ? "sidecar"
                                                     : "checkpointMetadata",
          path);
    }
    if (!repeated.empty()) {
      return Status::Corruption(
          "delta: log compaction file is not reconciled: it has more than one action for {} "
          "(file={})",
          repeated, path);
    }
  }
  return actions;
}

}  // namespace

// Grants the loader access to the one field the public constructor does not take.
class SnapshotLoader {
 public:
  static void SetSchemaStatus(Snapshot& snapshot, Status status) {
    snapshot.schema_status_ = std::move(status);
  }
};

Snapshot::Snapshot(std::shared_ptr<io::FileSystem> fs, std::string table_root, LogSegment segment,
                   int64_t timestamp_ms, Protocol protocol, Metadata metadata,
                   std::shared_ptr<const Schema> schema, std::vector<AddFile> files,
                   std::vector<RemoveFile> tombstones, std::vector<Transaction> transactions,
                   std::vector<DomainMetadata> domain_metadata)
    : fs_(std::move(fs)),
      table_root_(std::move(table_root)),
      log_segment_(std::move(segment)),
      timestamp_ms_(timestamp_ms),
      protocol_(std::move(protocol)),
      metadata_(std::move(metadata)),
      schema_(std::move(schema)),
      files_(std::move(files)),
      tombstones_(std::move(tombstones)),
      transactions_(std::move(transactions)),
      domain_metadata_(std::move(domain_metadata)) {}

std::optional<int64_t> Snapshot::TransactionVersion(std::string_view app_id) const {
  auto it =
      std::lower_bound(transactions_.begin(), transactions_.end(), app_id,
                       [](const Transaction& txn, std::string_view id) { return txn.app_id < id; });
  if (it == transactions_.end() || it->app_id != app_id) return std::nullopt;
  return it->version;
}

namespace {

// Loads the table at exactly `version` from an already listed log.
Result<std::shared_ptr<const Snapshot>> LoadVersion(std::shared_ptr<io::FileSystem> fs,
                                                    std::string table_root, const ListedLog& log,
                                                    int64_t version);

// The snapshot of a finished replay at the version `segment` ends at. `known_schema`, when
// set, is the schema of `metadata` already parsed.
std::shared_ptr<const Snapshot> MakeSnapshot(std::shared_ptr<io::FileSystem> fs,
                                             std::string table_root, LogSegment segment,
                                             int64_t timestamp_ms, Protocol protocol,
                                             Metadata metadata, Replay& replay,
                                             std::shared_ptr<const Schema> known_schema) {
  // A reader does not fail on a malformed property; it keeps tombstones for the default time.
  const int64_t retention_ms =
      DeletedFileRetentionMs(metadata).ValueOr(kDefaultDeletedFileRetentionMs);

  std::shared_ptr<const Schema> schema = std::move(known_schema);
  Status parse_status;
  if (schema == nullptr) {
    Result<SchemaPtr> parsed = ParseStructTypeJson(metadata.schema_string);
    if (parsed.ok()) {
      schema = *parsed;
    } else {
      parse_status = parsed.status().WithContext(fmt::format(
          "while parsing the schema of table {} at version {}", table_root, segment.version));
    }
  }

  auto snapshot = std::make_shared<Snapshot>(
      std::move(fs), std::move(table_root), std::move(segment), timestamp_ms, std::move(protocol),
      std::move(metadata), std::move(schema), replay.TakeFiles(),
      replay.TakeTombstones(timestamp_ms - retention_ms), replay.TakeTransactions(),
      replay.TakeDomainMetadata());
  SnapshotLoader::SetSchemaStatus(*snapshot, std::move(parse_status));
  return snapshot;
}

}  // namespace

Result<std::shared_ptr<const Snapshot>> Snapshot::Load(std::shared_ptr<io::FileSystem> fs,
                                                       std::string table_root,
                                                       const SnapshotOptions& options) {
  if (options.version.has_value() && options.timestamp_ms.has_value()) {
    return Status::Invalid("delta: give a version or a timestamp to time travel to, not both");
  }
  ARCFLOW_ASSIGN_OR_RETURN(ListedLog log, ListTableLog(*fs, table_root));
  int64_t version = log.latest_version;
  if (options.version.has_value()) {
    version = *options.version;
    if (version < log.earliest_version || version > log.latest_version) {
      return Status::Invalid(
          "delta: version {} of table '{}' is not available; the log can reconstruct versions {}",
          version, table_root, VersionRange(log));
    }
  }
  if (options.timestamp_ms.has_value()) {
    // Commit timestamps come from the latest metadata: in-commit timestamps from the version
    // that enabled them on, file modification times before it.
    ARCFLOW_ASSIGN_OR_RETURN(std::shared_ptr<const Snapshot> latest,
                             LoadVersion(fs, table_root, log, log.latest_version));
    std::optional<int64_t> ict_from_version;
    if (InCommitTimestampsEnabled(latest->metadata())) {
      ict_from_version = 0;
      std::optional<std::string> enablement =
          latest->metadata().Configuration("delta.inCommitTimestampEnablementVersion");
      if (enablement.has_value()) {
        int64_t parsed = 0;
        auto [end, error] =
            std::from_chars(enablement->data(), enablement->data() + enablement->size(), parsed);
        if (error == std::errc() && end == enablement->data() + enablement->size()) {
          ict_from_version = parsed;
        }
      }
    }
    // Candidates: the reconstructable versions that have a commit file, ascending.
    std::vector<std::pair<int64_t, const LogFile*>> candidates;
    for (const auto& [commit_version, file] : log.commits) {
      if (commit_version >= log.earliest_version) candidates.emplace_back(commit_version, file);
    }
    auto timestamp_of = [&](size_t index) -> Result<int64_t> {
      const auto& [commit_version, file] = candidates[index];
      if (ict_from_version.has_value() && commit_version >= *ict_from_version) {
        ARCFLOW_ASSIGN_OR_RETURN(std::optional<int64_t> ict,
                                 ReadInCommitTimestamp(*fs, file->info.path));
        if (!ict.has_value()) {
          return Status::Corruption(
              "delta: commit lacks the inCommitTimestamp that the table's "
              "delta.enableInCommitTimestamps requires (file={})",
              file->info.path);
        }
        return *ict;
      }
      return file->info.modification_time_ms;
    };
    if (candidates.empty()) {
      return Status::Invalid("delta: table '{}' has no commit files to time travel by timestamp",
                             table_root);
    }
    // Find the last candidate whose timestamp <= target. Timestamps are monotonic in the ICT
    // range (the protocol requires it), so that range is binary-searched; modification times
    // are not guaranteed monotonic and are scanned.
    int64_t target = *options.timestamp_ms;
    std::optional<size_t> found;
    size_t ict_start = candidates.size();
    if (ict_from_version.has_value()) {
      ict_start = static_cast<size_t>(
          std::lower_bound(candidates.begin(), candidates.end(), *ict_from_version,
                           [](const auto& candidate, int64_t v) { return candidate.first < v; }) -
          candidates.begin());
    }
    size_t low = ict_start;
    size_t high = candidates.size();
    while (low < high) {
      size_t middle = low + (high - low) / 2;
      ARCFLOW_ASSIGN_OR_RETURN(int64_t timestamp, timestamp_of(middle));
      if (timestamp <= target) {
        low = middle + 1;
      } else {
        high = middle;
      }
    }
    if (low > ict_start) found = low - 1;
    if (!found.has_value()) {
      for (size_t i = ict_start; i-- > 0;) {
        ARCFLOW_ASSIGN_OR_RETURN(int64_t timestamp, timestamp_of(i));
        if (timestamp <= target) {
          found = i;
          break;
        }
      }
    }
    if (!found.has_value()) {
      ARCFLOW_ASSIGN_OR_RETURN(int64_t earliest_timestamp, timestamp_of(0));
      return Status::Invalid(
          "delta: timestamp {} is before the earliest commit of table '{}' that the log still "
          "has (version {} at {}); available versions are {}",
          target, table_root, candidates.front().first, earliest_timestamp, VersionRange(log));
    }
    version = candidates[*found].first;
    if (version == log.latest_version) return latest;
  }
  return LoadVersion(std::move(fs), std::move(table_root), log, version);
}

std::shared_ptr<const Snapshot> Snapshot::AfterCommit(const Snapshot& base,
                                                      std::vector<Action> actions,
                                                      std::string commit_path,
                                                      int64_t commit_modification_time_ms) {
  // The base's reconciled state stands in for the log up to its version: its files are live,
  // its tombstones removed, and each add erases a tombstone of the same file, so the order
  // among them does not matter.
  Replay replay(base.table_root());
  replay.Apply(base.protocol(), false);
  replay.Apply(base.metadata(), false);
  replay.Reserve(base.files().size());
  for (const RemoveFile& tombstone : base.tombstones()) replay.Apply(tombstone, false);
  for (const AddFile& file : base.files()) replay.Apply(file, false);
  for (const Transaction& transaction : base.transactions()) replay.Apply(transaction, false);
  for (const DomainMetadata& domain : base.domain_metadata()) replay.Apply(domain, false);
  for (Action& action : actions) replay.Apply(std::move(action), true);

  LogSegment segment = base.log_segment();
  segment.version = base.version() + 1;
  segment.commit_files.push_back(std::move(commit_path));
  Protocol protocol = *replay.protocol();
  Metadata metadata = *replay.metadata();
  int64_t timestamp_ms = commit_modification_time_ms;
  if (InCommitTimestampsEnabled(metadata) && replay.target_in_commit_timestamp().has_value()) {
    timestamp_ms = *replay.target_in_commit_timestamp();
  }
  std::shared_ptr<const Schema> schema;
  if (base.schema() != nullptr && metadata.schema_string == base.metadata().schema_string) {
    schema = base.schema();
  }
  return MakeSnapshot(base.file_system(), base.table_root(), std::move(segment), timestamp_ms,
                      std::move(protocol), std::move(metadata), replay, std::move(schema));
}

namespace {

Result<std::shared_ptr<const Snapshot>> LoadVersion(std::shared_ptr<io::FileSystem> fs,
                                                    std::string table_root, const ListedLog& log,
                                                    int64_t version) {
  // Try the newest complete checkpoint at or below the version; fall back to older ones (or
  // to replaying from version 0) when one cannot be read, since a torn or corrupt checkpoint
  // must not make an otherwise complete log unreadable.
  std::vector<const CheckpointCandidate*> candidates;
  for (const CheckpointCandidate& candidate : log.checkpoints) {
    if (candidate.version <= version) candidates.push_back(&candidate);
  }
  std::reverse(candidates.begin(), candidates.end());

  Status first_error;
  Replay replay(table_root);
  LogSegment segment;
  segment.version = version;
  bool replayed = false;
  const FileKeyer keys(table_root);
  // Compaction files read and found usable (their actions, moved out when applied), and those
  // not to use with the reason.
  std::map<std::string, std::vector<Action>> compacted;
  std::map<std::string, Status> rejected;
  // The compaction file the replay ended with, when it ends at `version`.
  const LogFile* last_compaction = nullptr;
  for (size_t attempt = 0; attempt <= candidates.size() && !replayed; ++attempt) {
    const CheckpointCandidate* checkpoint =
        attempt < candidates.size() ? candidates[attempt] : nullptr;
    int64_t start = checkpoint != nullptr ? checkpoint->version : -1;
    // Plan the replay after the checkpoint; a compaction file the plan picks that turns out
    // unreadable or not reconciled is rejected, and the range is planned again without it.
    Result<std::vector<ReplayStep>> steps = PlanReplay(log, start, version, rejected, table_root);
    while (steps.ok()) {
      bool all_usable = true;
      for (const ReplayStep& step : *steps) {
        const std::string& path = step.file->info.path;
        if (!step.compaction || compacted.count(path) > 0) continue;
        Result<std::vector<Action>> actions = ReadCompactionFile(*fs, path, keys);
        if (actions.ok()) {
          compacted.emplace(path, std::move(*actions));
        } else {
          rejected.emplace(path, actions.status());
          all_usable = false;
        }
      }
      if (all_usable) break;
      steps = PlanReplay(log, start, version, rejected, table_root);
    }
    if (!steps.ok()) {
      if (first_error.ok()) first_error = steps.status();
      continue;
    }
    replay = Replay(table_root);
    segment = LogSegment();
    segment.version = version;
    std::vector<Action> actions;
    if (checkpoint != nullptr) {
      segment.checkpoint_version = checkpoint->version;
      for (const LogFile* file : checkpoint->files) {
        segment.checkpoint_files.push_back(file->info.path);
      }
      Status status = ReadCheckpoint(fs, table_root, segment.checkpoint_files, &actions);
      if (!status.ok()) {
        if (first_error.ok()) first_error = status;
        continue;
      }
      replay.Reserve(actions.size());
      for (Action& action : actions) {
        replay.Apply(std::move(action), false);
      }
    }
    Status commits_status;
    for (const ReplayStep& step : *steps) {
      const std::string& path = step.file->info.path;
      if (step.compaction) {
        // Reconciled actions carry no commitInfo, so none is the target version's.
        segment.compaction_files.push_back(path);
        for (Action& action : compacted.at(path)) replay.Apply(std::move(action), false);
        last_compaction = step.file;
        continue;
      }
      segment.commit_files.push_back(path);
      Result<std::vector<Action>> commit = ReadCommitFile(*fs, path);
      if (!commit.ok()) {
        commits_status = commit.status();
        break;
      }
      for (Action& action : *commit) {
        replay.Apply(std::move(action), step.file->name.version == version);
      }
    }
    // A bad commit file is not fixed by starting from another checkpoint: report it.
    ARCFLOW_RETURN_NOT_OK(commits_status);
    replayed = true;
  }
  if (!replayed) return first_error;

  if (!replay.protocol().has_value()) {
    return Status::Corruption(
        "delta: the log has no protocol action at or before version {} (table={}); the log is "
        "incomplete",
        version, table_root);
  }
  if (!replay.metadata().has_value()) {
    return Status::Corruption(
        "delta: the log has no metaData action at or before version {} (table={}); the log is "
        "incomplete",
        version, table_root);
  }
  Protocol protocol = *replay.protocol();
  Metadata metadata = *replay.metadata();

  // The commit time: the in-commit timestamp when the table has them on at this version, else
  // the modification time of the commit file (or of the checkpoint or compaction file that
  // ends at the version, when the commit is gone).
  int64_t timestamp_ms = 0;
  auto commit = log.commits.find(version);
  std::optional<int64_t> in_commit_timestamp = replay.target_in_commit_timestamp();
  if (InCommitTimestampsEnabled(metadata) && !in_commit_timestamp.has_value() &&
      commit != log.commits.end()) {
    // A checkpoint or compaction file stood in for the target's commit: its commitInfo is only
    // in the commit file. An unreadable one falls back to the modification time below.
    in_commit_timestamp =
        ReadInCommitTimestamp(*fs, commit->second->info.path).ValueOr(std::optional<int64_t>());
  }
  if (InCommitTimestampsEnabled(metadata) && in_commit_timestamp.has_value()) {
    timestamp_ms = *in_commit_timestamp;
  } else if (commit != log.commits.end()) {
    timestamp_ms = commit->second->info.modification_time_ms;
  } else if (last_compaction != nullptr && last_compaction->name.end_version == version) {
    timestamp_ms = last_compaction->info.modification_time_ms;
  } else {
    for (const CheckpointCandidate& candidate : log.checkpoints) {
      if (candidate.version == version) {
        timestamp_ms = candidate.files.front()->info.modification_time_ms;
      }
    }
  }

  return MakeSnapshot(std::move(fs), std::move(table_root), std::move(segment), timestamp_ms,
                      std::move(protocol), std::move(metadata), replay, nullptr);
}

}  // namespace

Result<std::vector<HistoryEntry>> ReadHistory(std::shared_ptr<io::FileSystem> fs,
                                              const std::string& table_root,
                                              std::optional<int64_t> limit) {
  if (limit.has_value() && *limit < 0) {
    return Status::Invalid("delta: history limit must not be negative, got {}", *limit);
  }
  ARCFLOW_ASSIGN_OR_RETURN(ListedLog log, ListTableLog(*fs, table_root));
  std::vector<HistoryEntry> history;
  for (auto it = log.commits.rbegin(); it != log.commits.rend(); ++it) {
    if (limit.has_value() && static_cast<int64_t>(history.size()) >= *limit) break;
    HistoryEntry entry;
    entry.version = it->first;
    entry.timestamp_ms = it->second->info.modification_time_ms;
    ARCFLOW_ASSIGN_OR_RETURN(std::vector<Action> actions,
                             ReadCommitFile(*fs, it->second->info.path));
    for (Action& action : actions) {
      if (auto* info = std::get_if<CommitInfo>(&action)) {
        entry.commit_info = std::move(*info);
        if (entry.commit_info.in_commit_timestamp.has_value()) {
          entry.timestamp_ms = *entry.commit_info.in_commit_timestamp;
        }
        break;
      }
    }
    history.push_back(std::move(entry));
  }
  return history;
}

}  // namespace arcflow::delta
