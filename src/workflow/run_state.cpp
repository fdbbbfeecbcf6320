#include <wisetup/workflow/run_state.hpp>

namespace wisetup::workflow {

bool RunState::has(std::string_view name) const {
  std::lock_guard const lock{m_mutex};
  return m_values.find(std::string(name)) != m_values.end();
}

std::set<std::string, std::less<>> RunState::keys() const {
  std::lock_guard const lock{m_mutex};
  std::set<std::string, std::less<>> names;
  for (auto const& [name, value] : m_values) {
    names.insert(name);
  }
  return names;
}

void RunState::on_change(std::function<void()> listener) {
  std::lock_guard const lock{m_mutex};
  m_listener = std::move(listener);
}

bool RunState::listening() const {
  std::lock_guard const lock{m_mutex};
  return static_cast<bool>(m_listener);
}

void RunState::notify() const {
  std::function<void()> listener;
  {
    std::lock_guard const lock{m_mutex};
    listener = m_listener;
  }
  if (listener) {
    listener();
  }
}

} // namespace wisetup::workflow
