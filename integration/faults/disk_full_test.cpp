// The templates folder fills up during a snapshot: a 3 MB tmpfs mounted on it, a source
// database with 4 MB in one table. The apply fails with an error that says so, no
// template and no partial folder is left, and once there is room the next apply takes
// the snapshot whole (a host created from it has every row).
//
// Needs root (or CAP_SYS_ADMIN) for mount(8); skipped with a message otherwise.
#include <sys/mount.h>

#include <cerrno>
#include <cstring>

#include "integration/faults/fault_fixture.hpp"

namespace vmoodle::testing::faults {
namespace {

/// A tmpfs of `size` mounted on `dir` (which keeps its content: copied in); unmounted
/// by the destructor, the content lost.
class SmallDisk {
public:
  SmallDisk(const std::string& dir, const std::string& size) : m_dir(dir) {
    const std::string saved = dir + ".saved";
    fs::rename(dir, saved);
    fs::create_directory(dir);
    if (::mount("tmpfs", dir.c_str(), "tmpfs", 0, ("size=" + size).c_str()) != 0) {
      m_error = std::strerror(errno);
      fs::remove(dir);
      fs::rename(saved, dir);
      return;
    }
    m_mounted = true;
    fs::copy(saved, dir, fs::copy_options::recursive);
    fs::remove_all(saved);
  }
  ~SmallDisk() {
    if (m_mounted) {
      ::umount2(m_dir.c_str(), MNT_DETACH);
    }
  }
  SmallDisk(const SmallDisk&) = delete;
  SmallDisk& operator=(const SmallDisk&) = delete;

  bool mounted() const { return m_mounted; }
  const std::string& error() const { return m_error; }
  /// Gives the file system `size` (its content stays).
  void resize(const std::string& size) {
    if (::mount("tmpfs", m_dir.c_str(), "tmpfs", MS_REMOUNT, ("size=" + size).c_str()) != 0) {
      throw std::runtime_error(std::string("remount: ") + std::strerror(errno));
    }
  }

private:
  std::string m_dir;
  bool m_mounted = false;
  std::string m_error;
};

TEST(DiskFullFault, SnapshotOnAFullDiskFailsCleanlyThenSucceedsOnceThereIsRoom) {
  FleetWorkspace ws("fdisk");
  auto created =
      ws.cli({"apply", "-f", hosts_manifest(ws, {"dsrc"}, "base", "dsrc.yaml"), "--auto-approve"});
  ASSERT_EQ(created.exit_code, 0) << output_of(created);
  // 4 MB that do not fit: 400 rows of 10,000 bytes.
  auto conn = ws.sandbox().connect(ws.db("dsrc"));
  ASSERT_TRUE(conn->execute("CREATE TABLE mdl_fault_bulk (id BIGINT(10) NOT NULL AUTO_INCREMENT, "
                            "body LONGTEXT NOT NULL, PRIMARY KEY (id)) ENGINE=InnoDB"));
  ASSERT_TRUE(conn->execute("INSERT INTO mdl_fault_bulk (body) SELECT REPEAT(MD5(seq), 312) FROM "
                            "seq_1_to_400"));
  conn.reset();

  SmallDisk disk(ws.moodledata() + "/vmoodle", "3m");
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs on the templates folder (" << disk.error()
                 << "): run the integration tests as root to test a full disk";
  }
  const std::string manifest = ws.write_manifest(
      ws.manifest_head() + "snapshots:\n  - name: dfull\n    from: " + vhost_of("dsrc") +
          "\nhosts:\n" + host_entry("dsrc", "    name: \"Site dsrc\"\n    template: base\n"),
      "dfull.yaml");
  auto full = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  EXPECT_EQ(full.exit_code, 1) << output_of(full);
  EXPECT_NE(full.out.find("snapshot.dfull: dump FAILED"), std::string::npos) << output_of(full);
  EXPECT_NE(full.err.find("No space left on device"), std::string::npos) << output_of(full);
  EXPECT_NE(full.err.find("snapshot.dfull"), std::string::npos) << output_of(full);
  EXPECT_EQ(template_entries(ws, "dfull"), std::vector<std::string>{});
  // Still to take: nothing half-written counts as the template.
  auto plan = ws.cli({"plan", "-f", manifest, "--detailed-exitcode"});
  ASSERT_EQ(plan.exit_code, 2) << output_of(plan);
  EXPECT_NE(plan.out.find("1 to snapshot"), std::string::npos) << plan.out;

  disk.resize("64m");
  auto again = ws.cli({"apply", "-f", manifest, "--auto-approve"});
  ASSERT_EQ(again.exit_code, 0) << output_of(again);
  EXPECT_EQ(template_entries(ws, "dfull"),
            (std::vector<std::string>{"dfull_sql", "dfull_vmoodledata"}));
  expect_converged(ws, manifest);

  // The snapshot is whole: a host made from it has every row of the big table.
  auto copy = ws.cli(
      {"apply", "-f", hosts_manifest(ws, {"dcopy"}, "dfull", "dcopy.yaml"), "--auto-approve"});
  ASSERT_EQ(copy.exit_code, 0) << output_of(copy);
  EXPECT_EQ(ws.rows("SELECT COUNT(*) FROM `" + ws.db("dcopy") + "`.mdl_fault_bulk"),
            std::vector<std::string>{"400"});
  EXPECT_EQ(ws.checksums(ws.db("dcopy")).at("mdl_fault_bulk"),
            ws.checksums(ws.db("dsrc")).at("mdl_fault_bulk"));
}

} // namespace
} // namespace vmoodle::testing::faults
