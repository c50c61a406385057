#include <gtest/gtest.h>

#include "tests/manifest/manifest_test_util.hpp"

namespace vmoodle::manifest {
namespace {

using fixtures::k_valid_manifest;
using fixtures::replaced;

model::Fleet fleet_of(const std::string& text) {
  auto fleet = load(text, "fleet.yaml", fixtures::k_base_dir);
  EXPECT_TRUE(fleet.has_value()) << fleet.error().render();
  return fleet ? *fleet : model::Fleet{};
}

model::TemplateFacts usable(const std::string& name) {
  model::TemplateFacts facts;
  facts.name = name;
  facts.has_sql_dir = facts.has_data_dir = facts.has_dump = facts.has_manifest = true;
  return facts;
}

TEST(ManifestTemplates, UsableTemplateOrDeclaredSnapshotIsFine) {
  // kleber uses base44 (on disk), local uses base45 (a declared snapshot).
  const auto errors = check_templates(fleet_of(k_valid_manifest), {{"base44", usable("base44")}});
  EXPECT_TRUE(errors.empty()) << (errors.empty() ? "" : errors.front().render());
}

TEST(ManifestTemplates, MissingTemplateIsLocated) {
  const auto errors = check_templates(fleet_of(k_valid_manifest), {{"other", usable("other")}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].kind, ErrorKind::manifest);
  EXPECT_EQ(errors[0].where, "fleet.yaml:39:5: hosts[0].template");
  EXPECT_EQ(errors[0].message, "template `base44` does not exist in /var/moodledata/vmoodle");
  EXPECT_NE(errors[0].hint.find("snapshots:"), std::string::npos);
}

TEST(ManifestTemplates, IncompleteTemplateNamesWhatIsMissing) {
  model::TemplateFacts facts = usable("base44");
  facts.has_dump = false;
  facts.has_data_dir = false;
  const auto errors = check_templates(fleet_of(k_valid_manifest), {{"base44", facts}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].message, "template `base44` in /var/moodledata/vmoodle is incomplete "
                               "(missing base44_sql/vmoodle_master.sql, base44_vmoodledata/)");
}

TEST(ManifestTemplates, AbsentHostNeedsNoTemplate) {
  const std::string text =
      replaced(k_valid_manifest, "    final_snapshot: false\n", "    template: gone\n");
  const auto errors = check_templates(fleet_of(text), {{"base44", usable("base44")}});
  EXPECT_TRUE(errors.empty());
}

TEST(ManifestTemplates, InheritedTemplateNamesTheHost) {
  std::string text = replaced(k_valid_manifest, "  enabled: true\n", "  template: common\n");
  text = replaced(text, "    template: base44\n", "    enabled: true\n");
  const auto errors = check_templates(fleet_of(text), {{"base44", usable("base44")}});
  ASSERT_EQ(errors.size(), 1u);
  EXPECT_EQ(errors[0].where, "fleet.yaml:33:3: hosts[0].template (from defaults.template)");
  EXPECT_EQ(errors[0].message, "template `common` does not exist in /var/moodledata/vmoodle");
}

} // namespace
} // namespace vmoodle::manifest
