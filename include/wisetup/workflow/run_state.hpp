#pragma once

#include <wisetup/core/error.hpp>
#include <wisetup/workflow/state_key.hpp>

#include <any>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace wisetup::workflow {

/// A key that was read before any step or flag provided it: a bug in a step's declared reads.
class MissingInput : public core::Error {
public:
  explicit MissingInput(std::string_view key)
      : core::Error("internal error: " + std::string(key) + " was read before anything set it") {}
};

/// The typed values steps exchange. Thread-safe: steps run in parallel and publish outputs as
/// soon as they know them, which is what lets the runner start the steps that wait on them.
class RunState {
public:
  template <class T> void set(StateKey<T> const& key, T value) {
    {
      std::lock_guard const lock{m_mutex};
      m_values[std::string(key.name)] = std::move(value);
    }
    notify();
  }

  template <class T> [[nodiscard]] T get(StateKey<T> const& key) const {
    std::lock_guard const lock{m_mutex};
    auto found = m_values.find(std::string(key.name));
    if (found == m_values.end()) {
      throw MissingInput(key.name);
    }
    return std::any_cast<T>(found->second);
  }

  template <class T> [[nodiscard]] bool has(StateKey<T> const& key) const { return has(key.name); }
  [[nodiscard]] bool has(std::string_view name) const;
  /// The names of every key set so far.
  [[nodiscard]] std::set<std::string, std::less<>> keys() const;

  /// Called (outside the lock) after every set; the runner uses it to wake up.
  void on_change(std::function<void()> listener);
  /// Whether a listener is set (a runner's, for the length of its run).
  [[nodiscard]] bool listening() const;

private:
  void notify() const;

  mutable std::mutex m_mutex;
  std::map<std::string, std::any> m_values;
  std::function<void()> m_listener;
};

} // namespace wisetup::workflow
