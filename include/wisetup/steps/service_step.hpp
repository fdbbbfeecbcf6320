#pragma once

#include <wisetup/steps/services.hpp>
#include <wisetup/workflow/step.hpp>

#include <utility>

namespace wisetup::steps {

/// What every step that calls the services has: the services and its StepInfo. A step says what
/// it is once, in its constructor, and implements only what it does.
class ServiceStep : public workflow::Step {
public:
  [[nodiscard]] workflow::StepInfo const& info() const final { return m_info; }

protected:
  ServiceStep(Services const& services, workflow::StepInfo description)
      : m_services(services), m_info(std::move(description)) {}

  Services const& m_services; // NOLINT(*-non-private-member-variables-in-classes)

private:
  workflow::StepInfo m_info;
};

} // namespace wisetup::steps
