#include "vmoodle/live/disk_facts.hpp"

#include <gtest/gtest.h>

#include "tests/fakes/memory_file_system.hpp"
#include "vmoodle/model/markers.hpp"

namespace vmoodle::live {
namespace {

const std::vector<std::string> k_roots = {"/srv/vhosts"};

TEST(ReadDataroot, MissingDatarootDoesNotExist) {
  testing::MemoryFileSystem files;
  files.add_dir("/srv/vhosts");
  auto facts = read_dataroot(files, "/srv/vhosts/a", k_roots);
  ASSERT_TRUE(facts);
  EXPECT_FALSE(facts->exists);
}

TEST(ReadDataroot, SymlinkOutOfTheRootIsFlagged) {
  testing::MemoryFileSystem files;
  files.add_dir("/etc");
  files.add_dir("/srv/vhosts");
  files.add_symlink("/srv/vhosts/a", "/etc");
  auto facts = read_dataroot(files, "/srv/vhosts/a", k_roots);
  ASSERT_TRUE(facts);
  EXPECT_TRUE(facts->exists);
  EXPECT_TRUE(facts->is_symlink);
  EXPECT_TRUE(facts->escapes_root);
}

TEST(ReadDataroot, CreationMarkerNamesItsHost) {
  testing::MemoryFileSystem files;
  files.add_file(std::string("/srv/vhosts/a/") + model::k_creating_marker, "https://a.org\n");
  auto facts = read_dataroot(files, "/srv/vhosts/a", k_roots);
  ASSERT_TRUE(facts);
  EXPECT_TRUE(facts->is_dir);
  EXPECT_FALSE(facts->escapes_root);
  EXPECT_EQ(facts->creating_for, "https://a.org");
}

TEST(ReadTemplates, FindsCompletePairsAndTheirManifest) {
  testing::MemoryFileSystem files;
  files.add_dir("/data/vmoodle/base_vmoodledata");
  files.add_file("/data/vmoodle/base_sql/vmoodle_master.sql", "");
  files.add_file("/data/vmoodle/base_sql/manifest.php",
                 "<?php\n $templatewwwroot = 'https://t.example.org';\n$templatevdbprefix = "
                 "'mdl_';\n ?>");
  files.add_dir("/data/vmoodle/half_vmoodledata");
  files.add_dir("/data/vmoodle/.hidden_vmoodledata");
  auto templates = read_templates(files, "/data/vmoodle");
  ASSERT_TRUE(templates);
  ASSERT_EQ(templates->size(), 2u);
  const auto& base = templates->at("base");
  EXPECT_TRUE(base.usable());
  EXPECT_EQ(base.wwwroot, "https://t.example.org");
  EXPECT_EQ(base.prefix, "mdl_");
  EXPECT_FALSE(templates->at("half").usable());
}

TEST(ReadTemplates, MissingFolderMeansNone) {
  testing::MemoryFileSystem files;
  auto templates = read_templates(files, "/data/vmoodle");
  ASSERT_TRUE(templates);
  EXPECT_TRUE(templates->empty());
}

TEST(ParseTemplateManifest, RejectsAManifestWithoutPrefix) {
  std::string wwwroot, prefix;
  EXPECT_FALSE(parse_template_manifest("<?php $templatewwwroot = 'x'; ?>", wwwroot, prefix));
}

} // namespace
} // namespace vmoodle::live
