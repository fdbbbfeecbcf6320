#pragma once

#include <string>

namespace wisetup::http {

/// A random (version 4) GUID in lower-case 8-4-4-4-12 form, from a per-thread generator.
[[nodiscard]] std::string random_guid();

} // namespace wisetup::http
