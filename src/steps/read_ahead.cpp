// Reads on threads of their own, kept as futures until a step asks.
#include <wisetup/steps/read_ahead.hpp>

#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <vector>

namespace wisetup::steps {

ReadAhead::~ReadAhead() {
  // Waited for outside the lock: a read may itself ask for another (the service account's for
  // the cluster connection).
  std::vector<std::shared_future<std::any>> reads;
  {
    std::lock_guard const lock{m_mutex};
    reads = m_superseded;
    for (auto const& [name, read] : m_reads) {
      reads.push_back(read);
    }
  }
  for (auto const& read : reads) {
    read.wait();
  }
}

void ReadAhead::start_any(std::string_view name, std::function<std::any()> read) {
  std::shared_future<std::any> started;
  try {
    started = std::async(std::launch::async, std::move(read)).share();
  } catch (std::exception const& error) { // no thread (std::system_error), or no memory
    spdlog::debug("cannot read {} ahead ({}); its step reads it itself", name, error.what());
    return;
  }
  std::lock_guard const lock{m_mutex};
  auto& slot = m_reads[std::string(name)];
  if (slot.valid()) {
    // Its answer is no longer wanted, but releasing it here would wait for it to end.
    m_superseded.push_back(std::move(slot));
  }
  slot = std::move(started);
}

bool ReadAhead::in_flight() const {
  std::lock_guard const lock{m_mutex};
  auto const running = [](std::shared_future<std::any> const& read) {
    return read.valid() && read.wait_for(std::chrono::seconds{0}) != std::future_status::ready;
  };
  return std::any_of(m_reads.begin(),
                     m_reads.end(),
                     [&](auto const& entry) { return running(entry.second); }) ||
         std::any_of(m_superseded.begin(), m_superseded.end(), running);
}

std::optional<std::any> ReadAhead::answer_of(std::string_view name) const {
  std::shared_future<std::any> read;
  {
    std::lock_guard const lock{m_mutex};
    auto const found = m_reads.find(name);
    if (found == m_reads.end()) {
      return std::nullopt;
    }
    read = found->second;
  }
  try {
    return read.get();
  } catch (std::exception const& error) {
    spdlog::debug("the read of {} ahead failed ({}); its step reads it again", name, error.what());
  } catch (...) {
    spdlog::debug("the read of {} ahead failed; its step reads it again", name);
  }
  return std::nullopt;
}

} // namespace wisetup::steps
