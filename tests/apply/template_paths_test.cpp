#include "vmoodle/apply/template_paths.hpp"

#include <gtest/gtest.h>

namespace vmoodle::apply {
namespace {

TEST(TemplatePaths, VisibleAndHiddenFolders) {
  const TemplatePaths paths("/data/vmoodle", "base_2");
  EXPECT_EQ(paths.sql, "/data/vmoodle/base_2_sql");
  EXPECT_EQ(paths.data, "/data/vmoodle/base_2_vmoodledata");
  EXPECT_EQ(paths.dump(), "/data/vmoodle/base_2_sql/vmoodle_master.sql");
  EXPECT_EQ(paths.manifest(), "/data/vmoodle/base_2_sql/manifest.php");
  // Everything temporary starts with a dot: never listed as a template.
  for (const auto* hidden :
       {&paths.partial_sql, &paths.partial_data, &paths.old_sql, &paths.old_data}) {
    EXPECT_EQ(hidden->rfind("/data/vmoodle/.base_2.", 0), 0u) << *hidden;
  }
  EXPECT_NE(paths.partial_data, paths.old_data);
  EXPECT_NE(paths.partial_sql, paths.old_sql);
}

TEST(TemplateName, OnlyPlainFolderNames) {
  EXPECT_TRUE(is_template_name("template_rectstra26_fr"));
  EXPECT_TRUE(is_template_name("final_kleber_12"));
  for (const char* bad : {"", "..", "../x", "a/b", ".hidden", "a b", "a-b", "a.b"}) {
    EXPECT_FALSE(is_template_name(bad)) << bad;
  }
}

TEST(KeepInTemplate, LeavesOutWhatVmoodleLeavesOut) {
  for (const char* dropped : {"sessions", "temp", "cache", "vmoodle", "lang/vmoodle",
                              "filedir/ab/vmoodle", ".vmoodle-apply-creating"}) {
    EXPECT_FALSE(keep_in_template(dropped)) << dropped;
  }
  for (const char* kept : {"filedir", "filedir/ab/cd/abcd", "localcache", "muc/config.php",
                           "lang/fr/sessions", "a/temp", "a/cache", "trashdir", ".htaccess",
                           "vmoodle2", "myvmoodle", "a/.vmoodle-apply-creating"}) {
    EXPECT_TRUE(keep_in_template(kept)) << kept;
  }
}

} // namespace
} // namespace vmoodle::apply
