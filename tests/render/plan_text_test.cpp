#include "vmoodle/render/plan_text.hpp"

#include <gtest/gtest.h>

#include "vmoodle/render/plan_json.hpp"

namespace vmoodle::render {
namespace {

plan::Plan sample_plan() {
  plan::Plan plan;
  plan::HostChange create;
  create.vhostname = "https://kleber.example.org";
  create.action = plan::Action::create;
  create.template_name = "base45";
  create.server = "db1";
  create.database = "vmdl_kleber";
  create.dataroot = "/var/moodledata/vhosts/kleber";
  create.fields = {{"name", "", "Lycée Kléber", false}, {"vdbpass", "", "(sensitive)", true}};
  plan.changes.push_back(create);
  plan::HostChange update;
  update.vhostname = "https://old.example.org";
  update.action = plan::Action::update;
  update.fields = {{"name", "Old", "New", false}, {"enabled", "1", "0", false}};
  plan.changes.push_back(update);
  plan.unmanaged.push_back({"https://legacy.example.org", "vmdl_legacy", "localhost"});
  return plan;
}

TEST(PlanText, ShowsCreateUpdateUnmanagedAndSummary) {
  const auto text = plan_text(sample_plan());
  EXPECT_NE(text.find("  + host \"https://kleber.example.org\" {"), std::string::npos) << text;
  EXPECT_NE(text.find("will be created from template base45"), std::string::npos);
  EXPECT_NE(text.find("+ vdbpass  = (sensitive)"), std::string::npos) << text;
  EXPECT_NE(text.find("~ host \"https://old.example.org\""), std::string::npos);
  EXPECT_NE(text.find("~ name    = \"Old\" -> \"New\""), std::string::npos) << text;
  EXPECT_NE(text.find("~ enabled = \"1\" -> \"0\""), std::string::npos) << text;
  EXPECT_NE(text.find("? \"https://legacy.example.org\""), std::string::npos);
  EXPECT_NE(text.find("Plan: 1 to create, 1 to update, 0 to migrate, 0 to snapshot, 0 to "
                      "destroy."),
            std::string::npos);
}

TEST(PlanText, NoChangesSaysSo) {
  EXPECT_EQ(plan_text(plan::Plan{}), "No changes. The fleet matches the manifest.\n");
}

TEST(PlanText, ControlCharactersCannotForgeLines) {
  plan::Plan plan;
  plan::HostChange update;
  update.vhostname = "https://x.example.org";
  update.action = plan::Action::update;
  update.fields = {{"name", "a", "evil\nPlan: 9 to destroy", false}};
  plan.changes.push_back(update);
  const auto text = plan_text(plan);
  EXPECT_EQ(text.find("\nPlan: 9 to destroy"), std::string::npos) << text;
  EXPECT_NE(text.find("evil\\nPlan"), std::string::npos);
}

TEST(PlanJson, CarriesActionsFieldsAndSummary) {
  const auto json = plan_json(sample_plan());
  EXPECT_NE(json.find("\"action\": \"create\""), std::string::npos) << json;
  EXPECT_NE(json.find("\"action\": \"update\""), std::string::npos);
  EXPECT_NE(json.find("\"after\": \"(sensitive)\""), std::string::npos);
  EXPECT_NE(json.find("\"create\": 1"), std::string::npos);
  EXPECT_NE(json.find("\"https://legacy.example.org\""), std::string::npos);
}

} // namespace
} // namespace vmoodle::render
