// End-to-end throughput of `arcflow convert`: pretty-printed envelope JSON files → one zstd
// Parquet file, run as the CLI binary so that everything a user pays for is measured (process
// start, reading, decoding, encoding, compression, atomic publish). Reports MB/s of JSON input,
// rows/s of envelope elements and the child process's peak RSS, for one decoding thread and for
// one per core. On a shared machine the wall clock also counts time the child was runnable but
// not running, so the child's own CPU time (user + system) is reported too, as
// cpu_bytes_per_second: input bytes per CPU second, what one core does.

#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

#include <benchmark/benchmark.h>

#include <chrono>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "bench_data.h"

extern char** environ;

namespace arcflow::bench {
namespace {

constexpr int kFiles = 8;
constexpr int kElementsPerFile = 25000;

struct ConvertFiles {
  std::filesystem::path directory;
  std::vector<std::string> inputs;
  int64_t input_bytes = 0;

  ConvertFiles() {
    directory = std::filesystem::temp_directory_path() /
                ("arcflow_convert_bench_" + std::to_string(std::random_device()()));
    std::filesystem::create_directories(directory);
    std::mt19937_64 random(7);
    for (int i = 0; i < kFiles; ++i) {
      inputs.push_back((directory / ("landing-" + std::to_string(i) + ".json")).string());
      WriteEnvelope(inputs.back(), random, kElementsPerFile);
      input_bytes += static_cast<int64_t>(std::filesystem::file_size(inputs.back()));
    }
  }
  ~ConvertFiles() {
    std::error_code ignored;
    std::filesystem::remove_all(directory, ignored);
  }
};

const ConvertFiles& Files() {
  static ConvertFiles files;
  return files;
}

// Runs the CLI with `args`; returns its exit status, keeps the largest peak RSS in
// `peak_rss_kb` and adds its CPU seconds to `cpu_seconds`.
int RunCli(const std::vector<std::string>& args, long* peak_rss_kb, double* cpu_seconds) {
  std::vector<char*> argv;
  std::string binary = ARCFLOW_CLI_PATH;
  argv.push_back(binary.data());
  std::vector<std::string> copies = args;
  for (std::string& arg : copies) argv.push_back(arg.data());
  argv.push_back(nullptr);
  pid_t pid = 0;
  if (posix_spawn(&pid, binary.c_str(), nullptr, nullptr, argv.data(), environ) != 0) return -1;
  int status = 0;
  struct rusage usage {};
  if (wait4(pid, &status, 0, &usage) != pid) return -1;
  *peak_rss_kb = std::max(*peak_rss_kb, usage.ru_maxrss);
  const auto seconds = [](const timeval& time) {
    return static_cast<double>(time.tv_sec) + static_cast<double>(time.tv_usec) / 1e6;
  };
  *cpu_seconds += seconds(usage.ru_utime) + seconds(usage.ru_stime);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

void BM_ConvertEnvelopeToParquet(benchmark::State& state) {
  const ConvertFiles& files = Files();
  const std::string output = (files.directory / "out.parquet").string();
  std::vector<std::string> args = {"convert"};
  args.insert(args.end(), files.inputs.begin(), files.inputs.end());
  args.push_back(output);
  args.insert(args.end(), {"--schema", kEnvelopeDdl, "--compression", "zstd", "--threads",
                           std::to_string(state.range(0))});
  long peak_rss_kb = 0;
  double cpu_seconds = 0;
  for (auto _ : state) {
    if (RunCli(args, &peak_rss_kb, &cpu_seconds) != 0) {
      state.SkipWithError("arcflow convert failed");
      return;
    }
  }
  state.SetBytesProcessed(state.iterations() * files.input_bytes);
  state.SetItemsProcessed(state.iterations() * kFiles * kElementsPerFile);
  state.counters["threads"] = static_cast<double>(state.range(0));
  state.counters["peak_rss_mb"] = static_cast<double>(peak_rss_kb) / 1024.0;
  if (cpu_seconds > 0) {
    state.counters["cpu_bytes_per_second"] =
        static_cast<double>(state.iterations() * files.input_bytes) / cpu_seconds;
  }
}
BENCHMARK(BM_ConvertEnvelopeToParquet)
    ->Arg(1)
    ->Arg(static_cast<int64_t>(std::max(1u, std::thread::hardware_concurrency())))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

}  // namespace
}  // namespace arcflow::bench
