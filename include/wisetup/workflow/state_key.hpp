#pragma once

#include <string_view>

namespace wisetup::workflow {

/// Names one typed value that steps exchange through RunState. Keys are defined once, as
/// constants (steps/keys.hpp); the name appears in messages and must be unique.
template <class T> struct StateKey {
  using Value = T;
  std::string_view name;
};

} // namespace wisetup::workflow
