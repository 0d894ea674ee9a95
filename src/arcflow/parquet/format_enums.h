#pragma once

#include <cstdint>
#include <string_view>

#include "arcflow/parquet/physical_type.h"

namespace arcflow::parquet {

// The enumerations of parquet.thrift, with the numeric values the format assigns. Each has a
// fixed 32-bit underlying type, so a value read from a file that is not one of the
// enumerators (written by a newer writer, or corrupt) is stored as it is without undefined
// behaviour; the IsKnown* functions tell whether arcflow understands it, and the *Name
// functions return "UNKNOWN" for such values. The physical type enumeration, PhysicalType, is
// in physical_type.h.

// DEPRECATED in the format in favour of LogicalType, but still written by most writers.
enum class ConvertedType : int32_t {
  kUtf8 = 0,
  kMap = 1,
  kMapKeyValue = 2,
  kList = 3,
  kEnum = 4,
  kDecimal = 5,
  kDate = 6,
  kTimeMillis = 7,
  kTimeMicros = 8,
  kTimestampMillis = 9,
  kTimestampMicros = 10,
  kUint8 = 11,
  kUint16 = 12,
  kUint32 = 13,
  kUint64 = 14,
  kInt8 = 15,
  kInt16 = 16,
  kInt32 = 17,
  kInt64 = 18,
  kJson = 19,
  kBson = 20,
  kInterval = 21,
};

enum class FieldRepetitionType : int32_t {
  kRequired = 0,
  kOptional = 1,
  kRepeated = 2,
  // A fixed-size vector group (a recent addition to the format); see SchemaElement.
  kVector = 3,
};

// Value 1 (GROUP_VAR_INT) was never used and is not an encoding.
enum class Encoding : int32_t {
  kPlain = 0,
  kPlainDictionary = 2,
  kRle = 3,
  kBitPacked = 4,
  kDeltaBinaryPacked = 5,
  kDeltaLengthByteArray = 6,
  kDeltaByteArray = 7,
  kRleDictionary = 8,
  kByteStreamSplit = 9,
};

enum class CompressionCodec : int32_t {
  kUncompressed = 0,
  kSnappy = 1,
  kGzip = 2,
  kLzo = 3,
  kBrotli = 4,
  kLz4 = 5,
  kZstd = 6,
  kLz4Raw = 7,
};

enum class PageType : int32_t {
  kDataPage = 0,
  kIndexPage = 1,
  kDictionaryPage = 2,
  kDataPageV2 = 3,
};

enum class BoundaryOrder : int32_t {
  kUnordered = 0,
  kAscending = 1,
  kDescending = 2,
};

enum class EdgeInterpolationAlgorithm : int32_t {
  kSpherical = 0,
  kVincenty = 1,
  kThomas = 2,
  kAndoyer = 3,
  kKarney = 4,
};

// Names as parquet.thrift spells them ("FIXED_LEN_BYTE_ARRAY", "RLE_DICTIONARY", "ZSTD"), or
// "UNKNOWN" for a value that is not an enumerator.
std::string_view ConvertedTypeName(ConvertedType type);
std::string_view RepetitionName(FieldRepetitionType repetition);
std::string_view EncodingName(Encoding encoding);
std::string_view CodecName(CompressionCodec codec);
std::string_view PageTypeName(PageType type);
std::string_view BoundaryOrderName(BoundaryOrder order);
std::string_view EdgeInterpolationAlgorithmName(EdgeInterpolationAlgorithm algorithm);

// Whether a value read from a file is one of the enumerators above.
bool IsKnownPhysicalType(PhysicalType type);
bool IsKnownConvertedType(ConvertedType type);
bool IsKnownRepetition(FieldRepetitionType repetition);
bool IsKnownEncoding(Encoding encoding);
bool IsKnownCodec(CompressionCodec codec);
bool IsKnownPageType(PageType type);
bool IsKnownBoundaryOrder(BoundaryOrder order);

}  // namespace arcflow::parquet
