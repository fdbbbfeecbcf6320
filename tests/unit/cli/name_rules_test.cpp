#include <wisetup/cli/name_rules.hpp>

#include <gtest/gtest.h>

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

} // namespace
} // namespace wisetup::cli::name_rules
