#pragma once

#include <any>
#include <functional>
#include <future>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace wisetup::steps {

/// The name and type of one read made ahead.
template <class T> struct ReadKey { std::string_view name; };

/// Reads made before a step asks for them. A run starts every read that needs only its inputs at
/// once, so that a step that waits for another step's output finds the rest of what it needs
/// already read: after sign-in, a converged run is the longest chain of reads, not the sum of
/// every step's. An answer is a head start, not a verdict: a read that failed leaves nothing, and
/// the step reads again itself, with its own retries and its own error.
class ReadAhead {
public:
  ReadAhead() = default;
  ReadAhead(ReadAhead const&) = delete;
  ReadAhead& operator=(ReadAhead const&) = delete;
  ReadAhead(ReadAhead&&) = delete;
  ReadAhead& operator=(ReadAhead&&) = delete;
  /// Waits for the reads still in flight: they use the services of their run.
  ~ReadAhead();

  /// Starts `read` on a thread of its own, in place of an earlier read of `key`. When no thread
  /// can be started nothing is read ahead, and the step reads for itself.
  template <class T> void start(ReadKey<T> key, std::type_identity_t<std::function<T()>> read) {
    start_any(key.name, [read = std::move(read)]() -> std::any { return read(); });
  }

  /// What the read of `key` found, once it has ended, or else what `read` finds now: when no read
  /// of `key` was started, or it failed.
  template <class T, class Read> [[nodiscard]] T get_or(ReadKey<T> key, Read&& read) const {
    if (auto answer = get(key)) {
      return std::move(*answer);
    }
    return std::forward<Read>(read)();
  }

  /// What the read of `key` found, once it has ended; nullopt when none was started or it failed.
  template <class T> [[nodiscard]] std::optional<T> get(ReadKey<T> key) const {
    if (auto answer = answer_of(key.name)) {
      return std::any_cast<T>(std::move(*answer));
    }
    return std::nullopt;
  }

  /// Whether a read is still running (one that no step took, when the run ends early).
  [[nodiscard]] bool in_flight() const;

private:
  void start_any(std::string_view name, std::function<std::any()> read);
  [[nodiscard]] std::optional<std::any> answer_of(std::string_view name) const;

  mutable std::mutex m_mutex;
  std::map<std::string, std::shared_future<std::any>, std::less<>> m_reads;
  std::vector<std::shared_future<std::any>> m_superseded;
};

} // namespace wisetup::steps
