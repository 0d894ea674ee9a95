#pragma once

#include <simdjson.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "arcflow/base/result.h"
#include "arcflow/io/file_system.h"
#include "arcflow/json/json_read_options.h"

namespace arcflow::json {

// Where a record starts in its file.
struct RecordLocation {
  int64_t line = 0;    // 1-based.
  int64_t offset = 0;  // Bytes from the start of the file.
};

// What came of decoding a record.
enum class DecodeOutcome {
  kDecoded,   // Converted; pending Settle() or Retract().
  kRejected,  // Not convertible (a value of the wrong type); the parser may go on.
  // A syntax error reported by the parser, which leaves the document's iterator unusable.
  kParserBroken,
};

// Receives the records of a file from a JsonRecordScanner. Implemented by the reader (which
// turns them into rows) and by schema inference.
//
// A record is decoded first and settled after: the scanner learns where a document of a
// stream ends only by parsing it, and a document that turns out not to sit on a line of its
// own is taken back (Retract()) and read again line by line.
class JsonRecordSink {
 public:
  virtual ~JsonRecordSink() = default;
  // Decodes the record at `document` provisionally. A record that is not converted leaves
  // nothing behind.
  virtual DecodeOutcome Decode(simdjson::ondemand::document_reference document) = 0;
  // True when the sink can decode some records from their bytes alone (see DecodeLine()); the
  // scanner then offers it each line of JSON lines before parsing it.
  virtual bool DecodesLines() const { return false; }
  // Decodes the record at the start of `input` (its first byte; `input` runs on to the end of
  // the lines read, ends with a line end or is followed by whitespace, and has SIMDJSON_PADDING
  // readable bytes after it) when the record sits alone on its line and the sink can read it
  // without the parser. Returns the length of its text when it did: the record is then pending
  // Settle() as after a Decode() that returned kDecoded. 0 leaves nothing behind; the line is
  // then parsed and Decode()d.
  virtual size_t DecodeLine(std::string_view input) { return 0; }
  // Takes back what the last Decode() added.
  virtual void Retract() = 0;
  // Makes the last Decode() final: a decoded record is kept, a rejected one goes to the
  // corrupt-record handling with `text` (its raw text without surrounding whitespace, valid
  // during the call) and `location`. Returns an error only to stop reading (FAILFAST).
  virtual Status Settle(std::string_view text, const RecordLocation& location) = 0;
  // A record that is not well-formed JSON, and why.
  virtual Status OnMalformed(std::string_view text, const RecordLocation& location,
                             std::string_view reason) = 0;
  // True when the sink wants the scanner to stop for now (a batch is full).
  virtual bool Full() const = 0;
};

// Splits a JSON file into records and parses them with simdjson On-Demand.
//
// JSON lines: the file is read in chunks of `chunk_bytes` ending at a line end (the partial last
// line is carried into the next chunk; a line longer than a chunk grows the buffer). When the
// sink decodes lines itself (DecodesLines()), each line is offered to it first, and only the
// lines it declines are parsed, one at a time as below; when it declines many, or otherwise, the
// chunk is parsed as a stream of documents (iterate_many) with one stage-1 pass per window.
// Every document must sit on a line of its own; when one does not, or the stream reports an
// error, the lines concerned are parsed one at a time, so that a syntax error costs exactly its
// line, as in Spark, and the stream resumes after it. Blank lines, a UTF-8 byte order mark and
// \r\n line ends are accepted.
//
// Documents: the whole file is read (memory grows with the file) and parsed as a sequence of
// JSON values, each a record.
//
// kAuto reads a file as documents when its first value runs past the end of its first line
// (and the second line is not a complete value of its own), else as JSON lines. Not
// thread-safe.
class JsonRecordScanner {
 public:
  // `size_hint` is the file's size when known (or -1): a file up to twice the chunk size is
  // read into one buffer of its size, saving regrowth.
  JsonRecordScanner(std::unique_ptr<io::SequentialFile> file, JsonFraming framing,
                    int64_t chunk_bytes, int64_t size_hint = -1);
  ~JsonRecordScanner();

  // Feeds records to `sink` until sink->Full() or the end of the file; returns true once the
  // whole file has been scanned.
  Result<bool> Scan(JsonRecordSink* sink);

  const std::string& path() const { return file_->path(); }
  int64_t bytes_read() const { return bytes_read_; }
  // The framing in use (kAuto until the first Scan() has decided).
  JsonFraming framing() const { return framing_; }

 private:
  Status Start();
  Status ReadMore(size_t min_free);
  Status NextRegion();
  Status ReadWholeFile();
  void DecideFraming();

  // JSON lines.
  void StartRegion(JsonRecordSink* sink);
  Status ScanFastLine(JsonRecordSink* sink);
  Status ScanLineRecord(JsonRecordSink* sink);
  Status ScanSlowLine(JsonRecordSink* sink);
  void StartStream(size_t window);
  void EnterSlowLane(size_t until, bool window_error);
  // Where the current document of the stream ends, after Decode() (including the whitespace
  // before whatever follows), measured by the parser when it did not consume the document.
  Result<size_t> DocumentEnd(simdjson::ondemand::document_reference document, size_t start,
                             DecodeOutcome outcome);

  // Documents.
  Result<bool> ScanDocumentRecord(JsonRecordSink* sink);
  Status ReportRest(JsonRecordSink* sink, size_t from, std::string_view reason);

  RecordLocation LocationOf(size_t position);
  std::string_view View(size_t begin, size_t end) const {
    return {buffer_.get() + begin, end - begin};
  }

  std::unique_ptr<io::SequentialFile> file_;
  JsonFraming requested_framing_;
  JsonFraming framing_ = JsonFraming::kAuto;
  size_t chunk_bytes_;
  bool started_ = false;
  bool finished_ = false;

  // The bytes read so far and not yet consumed, followed by simdjson's padding.
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;  // Usable bytes, not counting the padding.
  size_t data_end_ = 0;
  bool end_of_file_ = false;
  int64_t buffer_file_offset_ = 0;  // File offset of buffer_[0].
  int64_t bytes_read_ = 0;

  // The region being parsed, [position_, region_end_): complete lines, or the whole file.
  size_t position_ = 0;
  size_t region_end_ = 0;

  // Line numbers: line_number_ is the line holding buffer position line_cursor_.
  size_t line_cursor_ = 0;
  int64_t line_number_ = 1;

  simdjson::ondemand::parser parser_;
  simdjson::ondemand::document_stream stream_;
  simdjson::ondemand::document_stream::iterator stream_it_;
  bool stream_active_ = false;
  // Where the stream's next document must start (after whitespace): the end of the last one.
  size_t expected_next_ = 0;
  size_t window_;

  // Line-at-a-time parsing after a stream failure, until slow_until_ is passed (and a
  // non-blank line has been handled) or a malformed line has been reported.
  bool slow_lane_ = false;
  size_t slow_until_ = 0;
  bool slow_line_done_ = false;

  // Whether lines of the current region are offered to the sink's DecodeLine(); how many it
  // decoded and declined there.
  bool fast_region_ = false;
  int64_t fast_lines_ = 0;
  int64_t fast_misses_ = 0;

  int document_restarts_ = 0;
};

}  // namespace arcflow::json
