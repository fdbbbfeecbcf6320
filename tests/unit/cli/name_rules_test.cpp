#include <wisetup/cli/name_rules.hpp>

#include <gtest/gtest.h>

#include <array>
#include <cstddef>
#include <functional>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <string_view>

namespace wisetup::cli::name_rules {
namespace {

TEST(NameRulesTest, AcceptsTheTutorialsNames) {
  EXPECT_FALSE(subscription_id("00000000-0000-0000-0000-000000000001"));
  EXPECT_FALSE(resource_group("myResourceGroup"));
  EXPECT_FALSE(resource_group("rg.with(parens)_and-dash"));
  EXPECT_FALSE(cluster("myAKSCluster"));
  EXPECT_FALSE(managed_identity("myIdentity"));
  EXPECT_FALSE(key_vault("keyvault-workload-id"));
  EXPECT_FALSE(location("eastus"));
  EXPECT_FALSE(kube_namespace("default"));
  EXPECT_FALSE(service_account("workload-identity-sa"));
  EXPECT_FALSE(service_account("a.b-c"));
  EXPECT_FALSE(federated_credential("myFedIdentity"));
  EXPECT_FALSE(audience("api://AzureADTokenExchange"));
}

TEST(NameRulesTest, RefusesWhatAzureAndKubernetesRefuse) {
  EXPECT_TRUE(subscription_id("not-a-guid"));
  EXPECT_TRUE(resource_group("ends.with.dot."));
  EXPECT_TRUE(resource_group(std::string(91, 'a')));
  EXPECT_TRUE(cluster("-leading-dash"));
  EXPECT_TRUE(cluster(std::string(64, 'a')));
  EXPECT_TRUE(managed_identity("ab"));
  EXPECT_TRUE(managed_identity("_underscore-first"));
  EXPECT_TRUE(key_vault("1starts-with-digit"));
  EXPECT_TRUE(key_vault("double--dash"));
  EXPECT_TRUE(key_vault("ends-with-dash-"));
  EXPECT_TRUE(key_vault(std::string(25, 'a')));
  EXPECT_TRUE(location("East US"));
  EXPECT_TRUE(kube_namespace("Default"));
  EXPECT_TRUE(kube_namespace("with.dot"));
  EXPECT_TRUE(kube_namespace(std::string(64, 'a')));
  EXPECT_TRUE(service_account("UPPER"));
  EXPECT_TRUE(service_account("trailing-"));
  EXPECT_TRUE(service_account(std::string(254, 'a')));
  EXPECT_TRUE(federated_credential("ab"));
  EXPECT_TRUE(federated_credential(std::string(121, 'a')));
  EXPECT_TRUE(audience(""));
  EXPECT_TRUE(audience("api://*"));
  EXPECT_TRUE(audience(std::string(601, 'a')));
}

TEST(NameRulesTest, TheRuleIsSaidInWords) {
  auto const broken = kube_namespace("Bad_NS");
  ASSERT_TRUE(broken);
  EXPECT_NE(broken->find("DNS-1123"), std::string::npos);
}

TEST(NameRulesTest, DefaultCredentialNameAlwaysSatisfiesItsRule) {
  EXPECT_EQ(default_federated_credential("default", "workload-identity-sa"),
            "default-workload-identity-sa");
  EXPECT_EQ(default_federated_credential("a", "b.c"), "a-b-c");
  auto const long_name = default_federated_credential(std::string(63, 'n'), std::string(200, 's'));
  EXPECT_EQ(long_name.size(), 120U);
  EXPECT_FALSE(federated_credential(long_name));
  EXPECT_FALSE(federated_credential(default_federated_credential("a", "b")));
}

/// Azure's and Kubernetes' own statements of each rule, as regular expressions: the hand-written
/// rules must accept exactly what these match.
struct Specification {
  char const* name;
  std::function<std::optional<std::string>(std::string_view)> rule;
  char const* pattern;
};

/// `size` characters: mostly ones every rule allows, so that long names can pass, and one in
/// `rare_one_in` (none when 0) drawn from those some rules refuse.
std::string random_name(std::mt19937& random, std::size_t size, unsigned rare_one_in) {
  static constexpr std::string_view k_common = "abz09";
  static constexpr std::string_view k_rare = "-_.()AZF *";
  std::string name;
  for (std::size_t index = 0; index < size; ++index) {
    auto const draw = random();
    bool const rare = rare_one_in != 0 && draw % rare_one_in == 0;
    name +=
        rare ? k_rare[draw / rare_one_in % k_rare.size()] : k_common[draw / 8 % k_common.size()];
  }
  return name;
}

/// A GUID-shaped value; one character in `broken_one_in` (none when 0) is put out of place.
std::string random_guid(std::mt19937& random, unsigned broken_one_in) {
  static constexpr std::string_view k_hex = "0123456789abcdefABCDEF";
  std::string guid;
  for (std::size_t index = 0; index < 36; ++index) {
    auto const draw = random();
    bool const dash = index == 8 || index == 13 || index == 18 || index == 23;
    if (broken_one_in != 0 && draw % broken_one_in == 0) {
      guid += dash ? 'a' : '-';
    } else {
      guid += dash ? '-' : k_hex[draw / 8 % k_hex.size()];
    }
  }
  return guid;
}

TEST(NameRulesTest, EachRuleAcceptsExactlyWhatItsRegularExpressionMatches) {
  std::array const specifications{
      Specification{"subscription id",
                    subscription_id,
                    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"},
      Specification{"resource group", resource_group, R"([-\w._()]{0,89}[-\w_()])"},
      Specification{"cluster", cluster, "[a-zA-Z0-9]|[a-zA-Z0-9][-_a-zA-Z0-9]{0,61}[a-zA-Z0-9]"},
      Specification{"managed identity", managed_identity, "[a-zA-Z0-9][-_a-zA-Z0-9]{2,127}"},
      Specification{"key vault", key_vault, "[a-zA-Z](?:[a-zA-Z0-9]|-(?!-)){1,22}[a-zA-Z0-9]"},
      Specification{"location", location, "[a-z0-9]{1,64}"},
      Specification{"namespace", kube_namespace, "[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?"},
      Specification{"service account",
                    service_account,
                    R"([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*)"},
      Specification{
          "federated credential", federated_credential, "[a-zA-Z0-9][-_a-zA-Z0-9]{2,119}"},
  };
  std::mt19937 random{20261202};
  constexpr std::array<std::size_t, 24> k_sizes{0,  1,   2,   3,   4,   5,   23,  24,
                                                25, 36,  37,  63,  64,  65,  89,  90,
                                                91, 119, 120, 121, 128, 129, 253, 254};
  constexpr std::array<unsigned, 4> k_rare_one_in{0, 3, 20, 200};
  for (auto const& specification : specifications) {
    std::regex const pattern{specification.pattern};
    bool const is_guid = std::string_view{specification.name} == "subscription id";
    int accepted = 0;
    int refused = 0;
    for (auto const size : k_sizes) {
      for (int sample = 0; sample < 200; ++sample) {
        auto const rare_one_in = k_rare_one_in[static_cast<std::size_t>(sample) % 4];
        auto const name = is_guid && size == 36 ? random_guid(random, rare_one_in * 4)
                                                : random_name(random, size, rare_one_in);
        // The regular expressions leave out the service account's 253-character limit.
        bool const expected = std::regex_match(name, pattern) && name.size() <= 253;
        bool const actual = !specification.rule(name).has_value();
        EXPECT_EQ(actual, expected) << specification.name << ": \"" << name << '"';
        (actual ? accepted : refused) += 1;
      }
    }
    // The samples reach both answers of every rule, long names included.
    EXPECT_GT(accepted, 100) << specification.name;
    EXPECT_GT(refused, 100) << specification.name;
  }
}

} // namespace
} // namespace wisetup::cli::name_rules
