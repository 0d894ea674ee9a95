#include "arcflow/json/json_record_scanner.h"

#include <algorithm>
#include <cstring>

#include "arcflow/json/json_token.h"

namespace arcflow::json {

namespace od = simdjson::ondemand;
using simdjson::error_code;

namespace {

constexpr size_t kPadding = simdjson::SIMDJSON_PADDING;
// The stream's stage-1 window: large enough to amortise the pass, small enough that the input
// and its structural index stay in cache until the documents are decoded, and to bound the
// work redone after an error. Lines longer than this widen it.
constexpr size_t kDefaultWindow = size_t{256} << 10;
constexpr size_t kMinChunkBytes = 4096;
// The largest line or document read: simdjson parses at most 4 GiB and a batch's string column
// holds at most 2 GiB.
constexpr size_t kMaxBufferBytes = size_t{2} << 30;
// After this many syntax errors inside documents, the rest of a file is reported as one
// malformed record rather than re-parsed once per error.
constexpr int kMaxDocumentRestarts = 64;
// Lines a sink may decline in a region before the region goes back to the stream, when they
// are also more than one in kFastMissRatio of the lines offered.
constexpr int64_t kMaxFastMisses = 16;
constexpr int64_t kFastMissRatio = 8;

bool AllWhitespace(std::string_view text) {
  return std::all_of(text.begin(), text.end(), IsJsonWhitespace);
}

// False once the parser has given up on a document after an error (its iterator is then
// detached from the parser and must not be moved again).
bool IsAlive(od::document_reference document) {
  return static_cast<od::document&>(document).is_alive();
}

bool ContainsNewline(std::string_view text) {
  return !text.empty() && std::memchr(text.data(), '\n', text.size()) != nullptr;
}

// Scans the first JSON value of `line` for brackets, outside strings. Returns the offset just
// past the value when it ends on the line, or npos when it is still open at the line's end.
size_t FindValueEnd(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && IsJsonWhitespace(line[i])) ++i;
  if (i == line.size()) return std::string_view::npos;
  int64_t depth = 0;
  bool in_string = false;
  for (; i < line.size(); ++i) {
    char c = line[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
        if (depth == 0) return i + 1;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      if (--depth <= 0) return i + 1;
    } else if (depth == 0 && (IsJsonWhitespace(c) || c == ',' || c == ':')) {
      return i;  // The end of a scalar.
    }
  }
  return depth == 0 && !in_string ? line.size() : std::string_view::npos;
}

}  // namespace

JsonRecordScanner::JsonRecordScanner(std::unique_ptr<io::SequentialFile> file, JsonFraming framing,
                                     int64_t chunk_bytes, int64_t size_hint)
    : file_(std::move(file)),
      requested_framing_(framing),
      chunk_bytes_(
          std::max<size_t>(static_cast<size_t>(std::max<int64_t>(chunk_bytes, 0)), kMinChunkBytes)),
      window_(kDefaultWindow) {
#ifdef SIMDJSON_THREADS_ENABLED
  // One core per reader: no background stage-1 thread.
  parser_.threaded = false;
#endif
  if (size_hint >= 0 && static_cast<uint64_t>(size_hint) < 2 * chunk_bytes_) {
    // One more byte than the file, so that the end of the file shows without a regrowth.
    chunk_bytes_ = std::max(static_cast<size_t>(size_hint) + 1, kMinChunkBytes);
  }
}

JsonRecordScanner::~JsonRecordScanner() = default;

Result<bool> JsonRecordScanner::Scan(JsonRecordSink* sink) {
  if (finished_) return true;
  if (!started_) {
    ARCFLOW_RETURN_NOT_OK(Start());
    started_ = true;
    if (framing_ == JsonFraming::kLines) StartRegion(sink);
  }
  while (!sink->Full()) {
    if (framing_ == JsonFraming::kDocument) {
      ARCFLOW_ASSIGN_OR_RETURN(bool more, ScanDocumentRecord(sink));
      if (!more) {
        finished_ = true;
        return true;
      }
      continue;
    }
    if (slow_lane_) {
      ARCFLOW_RETURN_NOT_OK(ScanSlowLine(sink));
    } else if (fast_region_ && !stream_active_ && position_ < region_end_) {
      ARCFLOW_RETURN_NOT_OK(ScanFastLine(sink));
    } else if (stream_active_ || position_ < region_end_) {
      ARCFLOW_RETURN_NOT_OK(ScanLineRecord(sink));
    } else if (end_of_file_ && region_end_ == data_end_) {
      finished_ = true;
      return true;
    } else {
      ARCFLOW_RETURN_NOT_OK(NextRegion());
      StartRegion(sink);
    }
  }
  return false;
}

// ---- Reading.

Status JsonRecordScanner::ReadMore(size_t min_free) {
  if (capacity_ - data_end_ < min_free || !buffer_) {
    size_t new_capacity = std::max(capacity_ * 2, data_end_ + min_free);
    new_capacity = std::max(new_capacity, chunk_bytes_);
    if (new_capacity > kMaxBufferBytes) {
      if (data_end_ + min_free > kMaxBufferBytes) {
        return Status::Invalid(
            "json: {} holds a line or document longer than {} bytes (from byte {}); it cannot "
            "be read",
            path(), kMaxBufferBytes, buffer_file_offset_);
      }
      new_capacity = kMaxBufferBytes;
    }
    // Left uninitialised: only the bytes read are ever looked at (and the padding, set below).
    std::unique_ptr<char[]> grown(new (std::nothrow) char[new_capacity + kPadding]);
    if (!grown) {
      return Status::OutOfMemory("json: cannot allocate {} bytes to read {}", new_capacity, path());
    }
    if (data_end_ > 0) std::memcpy(grown.get(), buffer_.get(), data_end_);
    buffer_ = std::move(grown);
    capacity_ = new_capacity;
  }
  while (data_end_ < capacity_ && !end_of_file_) {
    ARCFLOW_ASSIGN_OR_RETURN(
        int64_t count,
        file_->Read(std::span<uint8_t>(reinterpret_cast<uint8_t*>(buffer_.get() + data_end_),
                                       capacity_ - data_end_)));
    if (count <= 0) {
      end_of_file_ = true;
    } else {
      data_end_ += static_cast<size_t>(count);
      bytes_read_ += count;
    }
  }
  // simdjson may read the padding; give it defined bytes.
  std::memset(buffer_.get() + data_end_, ' ', kPadding);
  return Status::OK();
}

Status JsonRecordScanner::NextRegion() {
  if (position_ > 0) {
    // Keep only the partial line after the region just parsed.
    LocationOf(position_);
    std::memmove(buffer_.get(), buffer_.get() + position_, data_end_ - position_);
    data_end_ -= position_;
    buffer_file_offset_ += static_cast<int64_t>(position_);
    line_cursor_ = 0;
    position_ = 0;
  }
  region_end_ = 0;
  while (true) {
    ARCFLOW_RETURN_NOT_OK(ReadMore(1));
    const void* last_newline = memrchr(buffer_.get(), '\n', data_end_);
    if (last_newline != nullptr) {
      region_end_ = static_cast<size_t>(static_cast<const char*>(last_newline) - buffer_.get()) + 1;
      return Status::OK();
    }
    if (end_of_file_) {
      region_end_ = data_end_;
      return Status::OK();
    }
    // A line longer than the buffer: ReadMore grows it on the next round.
  }
}

Status JsonRecordScanner::ReadWholeFile() {
  while (!end_of_file_) {
    ARCFLOW_RETURN_NOT_OK(ReadMore(1));
  }
  region_end_ = data_end_;
  return Status::OK();
}

Status JsonRecordScanner::Start() {
  ARCFLOW_RETURN_NOT_OK(NextRegion());
  std::string_view head = View(0, std::min<size_t>(data_end_, 4));
  if (head.substr(0, 3) == "\xEF\xBB\xBF") {
    position_ = 3;  // The UTF-8 byte order mark.
  } else if (head.substr(0, 2) == "\xFE\xFF" || head.substr(0, 2) == "\xFF\xFE" ||
             head == std::string_view("\0\0\xFE\xFF", 4)) {
    return Status::NotImplemented(
        "json: {} starts with a UTF-16 or UTF-32 byte order mark; only UTF-8 is supported", path());
  }
  DecideFraming();
  if (framing_ == JsonFraming::kDocument) ARCFLOW_RETURN_NOT_OK(ReadWholeFile());
  return Status::OK();
}

void JsonRecordScanner::DecideFraming() {
  framing_ = requested_framing_;
  if (framing_ != JsonFraming::kAuto) return;
  framing_ = JsonFraming::kLines;
  std::string_view region = View(position_, region_end_);
  size_t first = 0;
  while (first < region.size() && IsJsonWhitespace(region[first])) ++first;
  if (first == region.size() || (region[first] != '{' && region[first] != '[')) return;
  size_t first_end = region.find('\n', first);
  if (first_end == std::string_view::npos) first_end = region.size();
  std::string_view first_line = region.substr(first, first_end - first);
  if (FindValueEnd(first_line) != std::string_view::npos) return;
  // The first value continues on the next line. A JSON lines file whose first line is broken
  // looks the same, so look at the second line too: a complete object or array of its own there
  // means lines (unless the first line is a lone bracket opening a document).
  size_t second = first_end;
  while (second < region.size() && IsJsonWhitespace(region[second])) ++second;
  if (second < region.size() && TrimWhitespace(first_line).size() > 1 &&
      (region[second] == '{' || region[second] == '[')) {
    size_t second_end = region.find('\n', second);
    if (second_end == std::string_view::npos) second_end = region.size();
    std::string_view second_line = TrimWhitespace(region.substr(second, second_end - second));
    if (FindValueEnd(second_line) == second_line.size()) return;
  }
  framing_ = JsonFraming::kDocument;
}

RecordLocation JsonRecordScanner::LocationOf(size_t position) {
  const char* data = buffer_.get();
  if (position >= line_cursor_) {
    line_number_ += std::count(data + line_cursor_, data + position, '\n');
  } else {
    line_number_ -= std::count(data + position, data + line_cursor_, '\n');
  }
  line_cursor_ = position;
  return {line_number_, buffer_file_offset_ + static_cast<int64_t>(position)};
}

// ---- JSON lines.

void JsonRecordScanner::StartRegion(JsonRecordSink* sink) {
  fast_region_ = sink->DecodesLines();
  fast_lines_ = 0;
  fast_misses_ = 0;
}

Status JsonRecordScanner::ScanFastLine(JsonRecordSink* sink) {
  const char* data = buffer_.get();
  // Blank lines and the whitespace before the record.
  size_t start = position_;
  while (start < region_end_ && IsJsonWhitespace(data[start])) ++start;
  if (start == region_end_) {
    position_ = region_end_;
    return Status::OK();
  }
  const size_t length = sink->DecodeLine(View(start, region_end_));
  if (length == 0) {
    // The parser reads the line alone, and says what is wrong with it if anything is. Many such
    // lines send the rest of the region to the stream, which reads them faster.
    ++fast_misses_;
    if (fast_misses_ > kMaxFastMisses && fast_misses_ * kFastMissRatio > fast_lines_) {
      fast_region_ = false;
    }
    EnterSlowLane(position_, /*window_error=*/false);
    return Status::OK();
  }
  ++fast_lines_;
  // Only whitespace follows the record on its line.
  const size_t end = start + length;
  size_t next = end;
  while (next < region_end_ && data[next] != '\n') ++next;
  position_ = next < region_end_ ? next + 1 : region_end_;
  RecordLocation location = LocationOf(start);
  // The record holds no line end: the line count may skip over it.
  line_cursor_ = end;
  return sink->Settle(View(start, end), location);
}

void JsonRecordScanner::StartStream(size_t window) {
  expected_next_ = position_;
  error_code error = parser_
                         .iterate_many(buffer_.get() + position_, region_end_ - position_,
                                       std::max(window, size_t{4096}))
                         .get(stream_);
  if (error != simdjson::SUCCESS) {
    // The parser could not set itself up for the window: take the lines one at a time.
    stream_active_ = false;
    EnterSlowLane(position_ + window_, /*window_error=*/true);
    return;
  }
  stream_it_ = stream_.begin();
  stream_active_ = true;
}

void JsonRecordScanner::EnterSlowLane(size_t until, bool window_error) {
  stream_active_ = false;
  slow_lane_ = true;
  slow_line_done_ = false;
  // A window-wide error may come from any line in the window; anything else from the first.
  slow_until_ = window_error ? until : position_;
}

Result<size_t> JsonRecordScanner::DocumentEnd(od::document_reference document, size_t start,
                                              DecodeOutcome outcome) {
  const char* next = nullptr;
  if (outcome == DecodeOutcome::kDecoded &&
      document.current_location().get(next) == simdjson::SUCCESS && next > buffer_.get() + start) {
    // A decoded document has been consumed: the parser stands on what follows it.
    return static_cast<size_t>(next - buffer_.get());
  }
  // A rejected document, or the last of its window: skip over it.
  if (!IsAlive(document)) return Status::Invalid("the parser gave up on the document");
  document.rewind();
  std::string_view raw;
  error_code error = document.raw_json().get(raw);
  if (error != simdjson::SUCCESS) return Status::Invalid("{}", simdjson::error_message(error));
  size_t end = start + raw.size();
  if (end >= region_end_) {
    // The last document of the stream reaches up to bytes stage 1 left unparsed (an incomplete
    // value after it); those are not part of it.
    size_t truncated = stream_.truncated_bytes();
    if (truncated > 0 && truncated <= raw.size()) end -= truncated;
  }
  return end;
}

Status JsonRecordScanner::ScanLineRecord(JsonRecordSink* sink) {
  if (!stream_active_) {
    StartStream(window_);
    if (!stream_active_) return Status::OK();
  }
  if (!(stream_it_ != stream_.end())) {
    stream_active_ = false;
    // Bytes the stream did not hand out (an incomplete last value) are checked line by line.
    position_ = expected_next_;
    if (AllWhitespace(View(expected_next_, region_end_))) {
      position_ = region_end_;
    } else {
      EnterSlowLane(region_end_, /*window_error=*/true);
    }
    return Status::OK();
  }
  auto document_result = *stream_it_;
  error_code error = document_result.error();
  if (error != simdjson::SUCCESS) {
    position_ = expected_next_;
    if (error == simdjson::CAPACITY) {
      // A line longer than the window: parse it alone, then widen the window for its kind.
      const void* newline = std::memchr(buffer_.get() + position_, '\n', region_end_ - position_);
      size_t line_end = newline != nullptr
                            ? static_cast<size_t>(static_cast<const char*>(newline) - buffer_.get())
                            : region_end_;
      window_ = std::max(window_, (line_end - position_) * 2);
      EnterSlowLane(position_, /*window_error=*/false);
    } else {
      EnterSlowLane(position_ + window_, /*window_error=*/true);
    }
    return Status::OK();
  }
  od::document_reference document = document_result.value_unsafe();
  // Any trouble with how a document sits in the stream sends its line to the slow lane, which
  // parses it alone and reports what is wrong with it.
  auto line_alone = [&] {
    position_ = expected_next_;
    EnterSlowLane(position_, /*window_error=*/false);
    return Status::OK();
  };
  const char* first = nullptr;
  if (document.current_location().get(first) != simdjson::SUCCESS) return line_alone();
  const size_t start = static_cast<size_t>(first - buffer_.get());
  if (start < expected_next_ || start >= region_end_ ||
      !AllWhitespace(View(expected_next_, start))) {
    return line_alone();
  }
  DecodeOutcome outcome = sink->Decode(document);
  if (outcome == DecodeOutcome::kParserBroken) {
    sink->Retract();
    return line_alone();
  }
  Result<size_t> end = DocumentEnd(document, start, outcome);
  if (!end.ok()) {
    sink->Retract();
    return line_alone();
  }
  std::string_view extent = View(start, *end);
  std::string_view content = TrimTrailingWhitespace(extent);
  // The document must be one line: no line end inside it, and one after it (or the region's
  // end) before the next document begins.
  bool one_line = !content.empty() && !ContainsNewline(content) &&
                  (*end >= region_end_ || ContainsNewline(extent.substr(content.size())));
  if (!one_line) {
    sink->Retract();
    return line_alone();
  }
  expected_next_ = *end;
  RecordLocation location = LocationOf(start);
  // The content holds no line end: the line count may skip over it.
  line_cursor_ = start + content.size();
  ARCFLOW_RETURN_NOT_OK(sink->Settle(content, location));
  ++stream_it_;
  return Status::OK();
}

Status JsonRecordScanner::ScanSlowLine(JsonRecordSink* sink) {
  const size_t line_start = position_;
  const void* newline = std::memchr(buffer_.get() + line_start, '\n', region_end_ - line_start);
  size_t line_end = newline != nullptr
                        ? static_cast<size_t>(static_cast<const char*>(newline) - buffer_.get())
                        : region_end_;
  position_ = newline != nullptr ? line_end + 1 : region_end_;
  std::string_view text = TrimWhitespace(View(line_start, line_end));
  bool malformed = false;
  if (!text.empty()) {
    size_t start = static_cast<size_t>(text.data() - buffer_.get());
    RecordLocation location = LocationOf(start);
    od::document document;
    std::string_view raw;
    error_code error =
        parser_.iterate(text.data(), text.size(), capacity_ + kPadding - start).get(document);
    if (error == simdjson::SUCCESS) error = document.raw_json().get(raw);
    std::string reason;
    if (error != simdjson::SUCCESS) {
      reason = fmt::format("invalid JSON: {}", simdjson::error_message(error));
    } else if (TrimTrailingWhitespace(raw).size() != text.size()) {
      size_t extra = TrimTrailingWhitespace(raw).size();
      reason = fmt::format("invalid JSON: unexpected {} after the value (at byte {} of the line)",
                           Abbreviate(text.substr(extra), 20), extra);
    }
    if (!reason.empty()) {
      malformed = true;
      ARCFLOW_RETURN_NOT_OK(sink->OnMalformed(text, location, reason));
    } else {
      document.rewind();
      sink->Decode(od::document_reference(document));
      ARCFLOW_RETURN_NOT_OK(sink->Settle(text, location));
    }
    slow_line_done_ = true;
  }
  if (position_ >= region_end_ || malformed || (slow_line_done_ && position_ > slow_until_)) {
    slow_lane_ = false;
  }
  return Status::OK();
}

// ---- Documents.

Status JsonRecordScanner::ReportRest(JsonRecordSink* sink, size_t from, std::string_view reason) {
  stream_active_ = false;
  position_ = region_end_;
  std::string_view text = TrimWhitespace(View(std::min(from, region_end_), region_end_));
  if (text.empty()) return Status::OK();
  RecordLocation location = LocationOf(static_cast<size_t>(text.data() - buffer_.get()));
  return sink->OnMalformed(text, location, reason);
}

Result<bool> JsonRecordScanner::ScanDocumentRecord(JsonRecordSink* sink) {
  if (!stream_active_) {
    if (position_ >= region_end_ || AllWhitespace(View(position_, region_end_))) return false;
    expected_next_ = position_;
    error_code error = parser_
                           .iterate_many(buffer_.get() + position_, region_end_ - position_,
                                         std::max(region_end_ - position_, size_t{4096}))
                           .get(stream_);
    if (error != simdjson::SUCCESS) {
      ARCFLOW_RETURN_NOT_OK(ReportRest(
          sink, position_, fmt::format("invalid JSON: {}", simdjson::error_message(error))));
      return false;
    }
    stream_it_ = stream_.begin();
    stream_active_ = true;
  }
  if (!(stream_it_ != stream_.end())) {
    ARCFLOW_RETURN_NOT_OK(
        ReportRest(sink, expected_next_, "invalid JSON: the last value is incomplete"));
    return false;
  }
  auto document_result = *stream_it_;
  error_code error = document_result.error();
  const char* first = nullptr;
  od::document_reference document;
  if (error == simdjson::SUCCESS) {
    document = document_result.value_unsafe();
    error = document.current_location().get(first);
  }
  if (error == simdjson::SUCCESS) {
    size_t first_position = static_cast<size_t>(first - buffer_.get());
    if (first_position < expected_next_ || first_position >= region_end_ ||
        !AllWhitespace(View(expected_next_, first_position))) {
      error = simdjson::TAPE_ERROR;
    }
  }
  if (error != simdjson::SUCCESS) {
    ARCFLOW_RETURN_NOT_OK(ReportRest(
        sink, expected_next_, fmt::format("invalid JSON: {}", simdjson::error_message(error))));
    return false;
  }
  const size_t start = static_cast<size_t>(first - buffer_.get());
  DecodeOutcome outcome = sink->Decode(document);
  size_t end;
  size_t truncated = 0;
  const char* next = nullptr;
  if (outcome == DecodeOutcome::kDecoded &&
      document.current_location().get(next) == simdjson::SUCCESS && next > first) {
    end = static_cast<size_t>(next - buffer_.get());
  } else if (outcome == DecodeOutcome::kDecoded) {
    // The last document: it runs to the end of the file, but for an incomplete value after it
    // that stage 1 left out.
    truncated = std::min(stream_.truncated_bytes(), region_end_ - start);
    end = region_end_ - truncated;
  } else {
    // A rejected document: its extent, for the corrupt-record text.
    std::string_view raw;
    if (!IsAlive(document) ||
        (document.rewind(), document.raw_json().get(raw) != simdjson::SUCCESS)) {
      // Too broken to tell where it ends: the rest of the file is the record.
      ARCFLOW_RETURN_NOT_OK(
          sink->Settle(TrimWhitespace(View(start, region_end_)), LocationOf(start)));
      stream_active_ = false;
      position_ = region_end_;
      return false;
    }
    end = start + raw.size();
    if (end >= region_end_) {
      truncated = std::min(stream_.truncated_bytes(), raw.size());
      end -= truncated;
    }
  }
  expected_next_ = end;
  ARCFLOW_RETURN_NOT_OK(sink->Settle(TrimTrailingWhitespace(View(start, end)), LocationOf(start)));
  if (truncated > 0) {
    ARCFLOW_RETURN_NOT_OK(ReportRest(sink, end, "invalid JSON: the last value is incomplete"));
    return false;
  }
  if (outcome == DecodeOutcome::kParserBroken) {
    // The iterator cannot go on: parse the rest of the file afresh.
    stream_active_ = false;
    position_ = end;
    if (++document_restarts_ > kMaxDocumentRestarts) {
      ARCFLOW_RETURN_NOT_OK(
          ReportRest(sink, end,
                     fmt::format("invalid JSON: not read after {} malformed documents in this file",
                                 kMaxDocumentRestarts)));
      return false;
    }
    return true;
  }
  ++stream_it_;
  return true;
}

}  // namespace arcflow::json
