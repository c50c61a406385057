#include "vmoodle/render/plan_markdown.hpp"

#include <regex>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "vmoodle/render/markdown.hpp"
#include "vmoodle/render/plan_text.hpp"

namespace vmoodle::render {
namespace {

plan::HostChange create(const std::string& shortname) {
  plan::HostChange change;
  change.vhostname = "https://" + shortname + ".example.org";
  change.action = plan::Action::create;
  change.template_name = "base45";
  change.server = "db1";
  change.database = "vmdl_" + shortname;
  change.dataroot = "/var/moodledata/vhosts/" + shortname;
  change.fields = {{"name", "", "Site " + shortname + " with a longer name", false},
                   {"shortname", "", shortname, false},
                   {"description", "", std::string(120, 'd'), false},
                   {"vdbpass", "", "(sensitive)", true}};
  return change;
}

plan::HostChange destroy(const std::string& shortname) {
  plan::HostChange change;
  change.vhostname = "https://" + shortname + ".example.org";
  change.action = plan::Action::destroy;
  change.server = "db2";
  change.database = "vmdl_" + shortname;
  change.dataroot = "/var/moodledata/vhosts/" + shortname;
  change.snapshot = "final_" + shortname + "_7";
  return change;
}

std::size_t count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + 1)) {
    ++n;
  }
  return n;
}

// `md` without the content of its fenced code blocks, which is shown as written.
std::string outside_code(const std::string& md) {
  std::string out;
  std::string fence;
  std::size_t start = 0;
  while (start < md.size()) {
    auto end = md.find('\n', start);
    end = end == std::string::npos ? md.size() : end;
    const std::string line = md.substr(start, end - start);
    if (fence.empty() && line.rfind("```", 0) == 0) {
      fence = line.substr(0, line.find_first_not_of('`'));
    } else if (!fence.empty() && line == fence) {
      fence.clear();
    } else if (fence.empty()) {
      out += line + "\n";
    }
    start = end + 1;
  }
  return out;
}

// 290 creates, then 5 destroys and a snapshot retaken at the very end of the plan.
plan::Plan big_plan() {
  plan::Plan plan;
  for (int i = 0; i < 290; ++i) {
    plan.changes.push_back(create(fmt::format("site{:03}", i)));
  }
  for (int i = 0; i < 5; ++i) {
    plan.changes.push_back(destroy(fmt::format("gone{}", i)));
  }
  plan::HostChange snapshot;
  snapshot.vhostname = "https://template.example.org";
  snapshot.action = plan::Action::snapshot;
  snapshot.snapshot = "base45";
  snapshot.replace = true;
  snapshot.server = "db1";
  snapshot.database = "vmdl_template";
  snapshot.dataroot = "/var/moodledata/vhosts/template";
  plan.changes.push_back(snapshot);
  for (int i = 0; i < 4; ++i) {
    plan.unmanaged.push_back({fmt::format("https://legacy{}.example.org", i), "vmdl_legacy", "db"});
  }
  return plan;
}

TEST(PlanMarkdown, SummaryFirstThenDestroysThenUnmanagedThenDetails) {
  plan::Plan plan;
  plan.changes.push_back(create("kleber"));
  plan.changes.push_back(destroy("old"));
  plan.unmanaged.push_back({"https://legacy.example.org", "vmdl_legacy", "db1"});
  const auto md = plan_markdown(plan);

  EXPECT_EQ(md.rfind("**Plan: 1 to create, 0 to update, 0 to migrate, 0 to snapshot, 1 to "
                     "destroy.**\n",
                     0),
            0u)
      << md;
  const auto destroys = md.find("### Destructive changes");
  const auto unmanaged = md.find("### Unmanaged hosts");
  const auto details = md.find("### Details");
  ASSERT_NE(destroys, std::string::npos) << md;
  ASSERT_NE(unmanaged, std::string::npos) << md;
  ASSERT_NE(details, std::string::npos) << md;
  EXPECT_LT(destroys, unmanaged);
  EXPECT_LT(unmanaged, details);
  EXPECT_NE(md.find("**destroy** https\\:\\/\\/old\\.example\\.org: drops database vmdl\\_old on "
                    "server db2"),
            std::string::npos)
      << md;
  EXPECT_NE(md.find("after a final snapshot final\\_old\\_7"), std::string::npos);
  EXPECT_NE(md.find("<details><summary>+ create: https&#58;//kleber.example.org</summary>"),
            std::string::npos)
      << md;
  // Symbols moved to the first column so the diff block is coloured.
  EXPECT_NE(md.find("\n+   host \"https://kleber.example.org\" {\n"), std::string::npos) << md;
  EXPECT_NE(md.find("\n-   host \"https://old.example.org\" {\n"), std::string::npos) << md;
  EXPECT_NE(md.find("vdbpass     = (sensitive)"), std::string::npos) << md;
  EXPECT_EQ(md.find("not shown"), std::string::npos) << md;
}

TEST(PlanMarkdown, NoChangesSaysSo) {
  const auto md = plan_markdown(plan::Plan{});
  EXPECT_EQ(md.rfind("**No changes.**", 0), 0u) << md;
  EXPECT_EQ(md.find("<details>"), std::string::npos);
}

TEST(PlanMarkdown, ThreeHundredHostsStayUnderTheLimitKeepEveryDestroyAndSayWhatWasCut) {
  const auto plan = big_plan();
  const auto md = plan_markdown(plan);
  ASSERT_LE(md.size(), k_markdown_max_bytes);
  // Without a limit the same plan is far longer: something really was cut.
  const auto full = plan_markdown(plan, std::size_t(-1));
  ASSERT_GT(full.size(), 2 * k_markdown_max_bytes);
  EXPECT_EQ(full.find("not shown"), std::string::npos);

  for (int i = 0; i < 5; ++i) {
    EXPECT_NE(md.find(fmt::format("**destroy** https\\:\\/\\/gone{}\\.example\\.org", i)),
              std::string::npos)
        << i;
  }
  EXPECT_NE(md.find("**replace snapshot** base45"), std::string::npos);
  EXPECT_EQ(md.rfind("**Plan: 290 to create, 0 to update, 0 to migrate, 1 to snapshot, 5 to "
                     "destroy.**",
                     0),
            0u);

  // 296 changes on 296 hosts: the sections shown plus the count cut are all of them.
  const std::size_t sections = count(md, "<details>");
  ASSERT_GT(sections, 10u);
  ASSERT_LT(sections, 296u);
  std::smatch match;
  ASSERT_TRUE(std::regex_search(md, match,
                                std::regex("… ([0-9]+) more host\\(s\\) not shown \\(output "
                                           "limited to 60000 bytes; run plan --format text for "
                                           "everything\\)\n$")))
      << md.substr(md.size() - 300);
  EXPECT_EQ(sections + std::stoul(match[1]), 296u);
  // Every section shown is complete.
  EXPECT_EQ(count(md, "</details>"), sections);
}

TEST(PlanMarkdown, TinyLimitCutsUnmanagedAndDetailsButNeverDestroys) {
  const auto plan = big_plan();
  const auto md = plan_markdown(plan, 1000);
  EXPECT_EQ(md.find("<details>"), std::string::npos);
  EXPECT_EQ(count(md, "**destroy**"), 5u) << md;
  EXPECT_NE(md.find("… 4 more unmanaged host(s) not shown\n\n… 296 more host(s) not shown "
                    "(output limited to 1000 bytes;"),
            std::string::npos)
      << md;
}

TEST(PlanMarkdown, HostileValuesCannotInjectMarkupOrHtml) {
  plan::Plan plan;
  plan.unmanaged.push_back({"https://x.org<img src=x onerror=alert(1)>", "a|b`c`*d*", "@team"});
  plan::HostChange update;
  update.vhostname = "https://evil.example.org";
  update.action = plan::Action::update;
  update.fields = {
      {"name", "old", "```\n</details><script>alert(1)</script>\n[x](http://y)", false}};
  plan.changes.push_back(update);
  plan.warnings.push_back("registry row <b>bold</b>\n# heading");
  const auto md = plan_markdown(plan);

  const std::string markup = outside_code(md);
  EXPECT_FALSE(std::regex_search(markup, std::regex("[^\\\\]<(img|b|script)"))) << markup;
  EXPECT_NE(md.find("<script>"), std::string::npos) << "inside the code block, as written";
  EXPECT_NE(md.find("\\<img src\\=x onerror\\=alert\\(1\\)\\>"), std::string::npos) << md;
  EXPECT_NE(md.find("a\\|b\\`c\\`\\*d\\*"), std::string::npos) << md;
  EXPECT_NE(md.find("\\@team"), std::string::npos) << md;
  EXPECT_EQ(md.find("\n# heading"), std::string::npos) << md;
  // The field value stays inside the code block: its backticks and newline are quoted, and
  // the fence would be longer than any backtick run anyway.
  EXPECT_EQ(count(md, "\n</details>\n"), 1u) << md;
  EXPECT_NE(md.find("\n````diff\n"), std::string::npos) << md;
  EXPECT_EQ(md.find("\n</details><script>"), std::string::npos) << md;
}

TEST(Markdown, TextEscapesPunctuationAndControlCharacters) {
  EXPECT_EQ(markdown_text("a_b <c> | `d`"), "a\\_b \\<c\\> \\| \\`d\\`");
  EXPECT_EQ(markdown_text("x\ny"), "x\\\\ny");
  EXPECT_EQ(markdown_text("Lycée Kléber"), "Lycée Kléber");
  EXPECT_EQ(html_text("<a href=\"x\">&"), "&#60;a href&#61;&#34;x&#34;&#62;&#38;");
  EXPECT_EQ(html_text("a\tb"), "a&#92;tb");
}

TEST(Markdown, FenceIsLongerThanAnyBacktickRun) {
  EXPECT_EQ(fenced_block("plain\n", "diff"), "```diff\nplain\n```\n");
  EXPECT_EQ(fenced_block("a ```` b", "diff"), "`````diff\na ```` b\n`````\n");
}

TEST(PlanText, ChangeTextIsOneBlockOfPlanText) {
  plan::Plan plan;
  plan.changes.push_back(create("kleber"));
  plan.changes.push_back(destroy("old"));
  const auto text = plan_text(plan);
  for (const auto& change : plan.changes) {
    const auto block = change_text(plan, change);
    EXPECT_EQ(block.rfind("  # ", 0), 0u) << block;
    EXPECT_NE(text.find(block), std::string::npos) << block;
  }
}

} // namespace
} // namespace vmoodle::render
