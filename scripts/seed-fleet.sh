#!/usr/bin/env bash
# Seeds a VMoodle master and one template from the Moodle-shaped fixtures in
# integration/fixtures/, with the stock `mariadb` and `mariadb-dump` clients. Used by
# scripts/quickstart.sh and by the integration tests.
#
#   MYSQL_PWD=... seed-fleet.sh --socket S --user U --master-db DB \
#     --master-wwwroot URL --master-dataroot DIR --template NAME --template-wwwroot URL \
#     [--prefix mdl_] [--template-prefix P] [--files N]
#
# Makes:
#   - database DB from master.sql (registry `<prefix>local_vmoodle`, MNet self row);
#   - <DIR>/vmoodle/<NAME>_sql/vmoodle_master.sql: a `mariadb-dump --single-transaction`
#     of moodle-mini.sql loaded with table prefix P (default: --prefix);
#   - <DIR>/vmoodle/<NAME>_sql/manifest.php, byte for byte in VMoodle's format;
#   - <DIR>/vmoodle/<NAME>_vmoodledata/: a Moodle dataroot (filedir/ with N files of
#     1 KB to 200 KB, default 20; lang/, muc/, localcache/, trashdir/, .htaccess).
# Re-running replaces all of these. It refuses to replace a database or template that it did
# not create itself. The password comes from MYSQL_PWD, never from the command line.
set -euo pipefail

readonly k_seed_comment='vmoodle-apply seed fixture'
readonly k_seed_marker='.vmoodle-seed'
readonly k_fixture_prefix='mdl_'

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
readonly fixtures_dir=$script_dir/../integration/fixtures

die() {
  echo "seed-fleet: error: $*" >&2
  exit 1
}

usage() {
  sed -n '2,19s/^# \{0,1\}//p' "${BASH_SOURCE[0]}" >&2
  exit 64
}

# ---------------------------------------------------------------- arguments

socket='' host='' port='' user='' master_db='' master_wwwroot='' master_dataroot=''
template='' template_wwwroot='' prefix=mdl_ template_prefix='' files=20
while (($# > 0)); do
  case "$1" in
  --socket | --host | --port | --user | --master-db | --master-wwwroot | --master-dataroot | \
    --template | --template-wwwroot | --prefix | --template-prefix | --files)
    (($# >= 2)) || die "$1 needs a value"
    name=${1#--}
    name=${name//-/_}
    printf -v "$name" '%s' "$2"
    shift 2
    ;;
  -h | --help) usage ;;
  *) die "unknown argument '$1' (see --help)" ;;
  esac
done
template_prefix=${template_prefix:-$prefix}

for required in user master_db master_wwwroot master_dataroot template template_wwwroot; do
  [[ -n "${!required}" ]] || die "--${required//_/-} is required (see --help)"
done
[[ -n "$socket" || -n "$host" ]] || die "--socket (or --host) is required (see --help)"
[[ "$master_db" =~ ^[A-Za-z0-9_]{1,64}$ ]] ||
  die "--master-db '$master_db' must be 1-64 characters of A-Z a-z 0-9 _"
[[ "$template" =~ ^[A-Za-z0-9_]{1,48}$ ]] ||
  die "--template '$template' must be 1-48 characters of A-Z a-z 0-9 _"
for p in prefix template_prefix; do
  [[ "${!p}" =~ ^[a-z][a-z0-9_]{0,9}$ ]] ||
    die "--${p//_/-} '${!p}' must be a Moodle table prefix: a-z first, then a-z 0-9 _, at most 10"
done
[[ "$files" =~ ^[0-9]{1,6}$ ]] || die "--files '$files' must be a number of files"
[[ -z "$port" || "$port" =~ ^[0-9]{1,5}$ ]] || die "--port '$port' must be a TCP port"
for w in master_wwwroot template_wwwroot; do
  # Any printable text is accepted (tests seed hostile values); escaping keeps it data.
  [[ "${!w}" =~ ^https?://[^/[:space:][:cntrl:]][^[:space:][:cntrl:]]*$ && "${!w}" != */ ]] ||
    die "--${w//_/-} '${!w}' must be http(s)://host[:port][/path], no spaces, no trailing /"
done

mkdir -p "$master_dataroot"
master_dataroot=$(cd "$master_dataroot" && pwd -P)
[[ "$master_dataroot" != / ]] || die "--master-dataroot must not be /"

# ---------------------------------------------------------------- helpers

find_client() {
  local name
  for name in "$@"; do
    if command -v "$name" >/dev/null 2>&1; then
      command -v "$name"
      return 0
    fi
  done
  die "cannot find $1; install the MariaDB client (mariadb-client)"
}
mariadb_bin=$(find_client mariadb mysql)
dump_bin=$(find_client mariadb-dump mysqldump)

# --no-defaults first: no ~/.my.cnf or /etc/mysql may point us at another server.
connection=(--no-defaults --user="$user" --default-character-set=utf8mb4)
if [[ -n "$socket" ]]; then
  connection+=(--protocol=socket --socket="$socket")
else
  connection+=(--protocol=tcp --host="$host" --port="${port:-3306}")
fi

sql() {
  "$mariadb_bin" "${connection[@]}" --batch --skip-column-names "$@"
}

# The body of one SQL string literal; the fixtures use backslash escapes, so this does too.
sql_escape() {
  local value=$1
  value=${value//\\/\\\\}
  value=${value//\'/\'\'}
  printf '%s' "$value"
}

sql_string() {
  printf "'%s'" "$(sql_escape "$1")"
}

# A PHP single-quoted string body: only \ and ' are special.
php_string_body() {
  local value=$1
  value=${value//\\/\\\\}
  value=${value//\'/\\\'}
  printf '%s' "$value"
}

# Prints FILE with the table prefix rewritten in backquoted identifiers only (never inside
# string literals or comments, so data that mentions `mdl_course` is left alone) and
# PLACEHOLDER replaced by the SQL-escaped VALUE.
render_fixture() {
  local file=$1 new_prefix=$2 placeholder=$3 value=$4
  SEED_FROM=$k_fixture_prefix SEED_TO=$new_prefix SEED_PLACEHOLDER=$placeholder \
    SEED_VALUE=$(sql_escape "$value") perl -0777 -ne '
      my ($from, $to) = @ENV{qw(SEED_FROM SEED_TO)};
      if ($from ne $to) {
        s{(\x27(?:[^\x27\\]++|\\.|\x27\x27)*+\x27|--[^\n]*|`\Q$from\E)}
         {substr($1, 0, 1) eq "`" ? "`$to" : $1}ge;
      }
      # The placeholder always sits inside a string literal, hence an escaped body.
      s{\Q$ENV{SEED_PLACEHOLDER}\E}{$ENV{SEED_VALUE}}g;
      print;' "$file"
}

# Fails unless DB is absent or was created by this script (it leaves a schema comment).
check_ours() {
  local db=$1 found
  found=$(sql -e "SELECT CONCAT('comment:', schema_comment) FROM information_schema.schemata
    WHERE schema_name = $(sql_string "$db")")
  if [[ -n "$found" && "$found" != "comment:$k_seed_comment" ]]; then
    die "database \`$db\` exists and was not made by seed-fleet.sh; drop it yourself or pick another name"
  fi
}

recreate_database() {
  local db=$1
  check_ours "$db"
  sql -e "DROP DATABASE IF EXISTS \`$db\`;
    CREATE DATABASE \`$db\` DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci
      COMMENT $(sql_string "$k_seed_comment");"
}

# ---------------------------------------------------------------- checks before any change

[[ -r "$fixtures_dir/master.sql" && -r "$fixtures_dir/moodle-mini.sql" ]] ||
  die "fixtures not found in $fixtures_dir"
sql -e "SELECT 1" >/dev/null || die "cannot connect as '$user' via ${socket:-$host:${port:-3306}}"

templates_dir=$master_dataroot/vmoodle
sql_dir=$templates_dir/${template}_sql
data_dir=$templates_dir/${template}_vmoodledata
# Per run, so that seeds for several masters can share one server at the same time.
source_db=vmseed_$$_${template}
check_ours "$master_db"
check_ours "$source_db"
for dir in "$sql_dir" "$data_dir"; do
  if [[ -e "$dir" && ! -e "$sql_dir/$k_seed_marker" ]]; then
    die "$dir exists and was not made by seed-fleet.sh; remove it yourself or pick another template name"
  fi
done

# ---------------------------------------------------------------- master

recreate_database "$master_db"
render_fixture "$fixtures_dir/master.sql" "$prefix" MASTER_WWWROOT "$master_wwwroot" |
  sql --database="$master_db"
echo "seed-fleet: master database \`$master_db\` (registry \`${prefix}local_vmoodle\`, wwwroot $master_wwwroot)"

# ---------------------------------------------------------------- template database dump

# Built beside the final directories under hidden names (VMoodle lists only visible
# `*_vmoodledata` entries), then swapped in, so an interrupted run leaves no half template.
staging_sql=$templates_dir/.${template}_sql.seeding
staging_data=$templates_dir/.${template}_vmoodledata.seeding
cleanup() {
  rm -rf "$staging_sql" "$staging_data"
  if [[ -n "${source_created:-}" ]]; then
    sql -e "DROP DATABASE IF EXISTS \`$source_db\`" || true
  fi
}
trap cleanup EXIT
rm -rf "$staging_sql" "$staging_data"
mkdir -p "$staging_sql" "$staging_data"

recreate_database "$source_db"
source_created=1
render_fixture "$fixtures_dir/moodle-mini.sql" "$template_prefix" TEMPLATE_WWWROOT "$template_wwwroot" |
  sql --database="$source_db"
"$dump_bin" "${connection[@]}" --single-transaction "$source_db" >"$staging_sql/vmoodle_master.sql"
sql -e "DROP DATABASE \`$source_db\`"
source_created=

printf "<?php\n \$templatewwwroot = '%s';\n\$templatevdbprefix = '%s';\n ?>" \
  "$(php_string_body "$template_wwwroot")" "$template_prefix" >"$staging_sql/manifest.php"
: >"$staging_sql/$k_seed_marker"

# ---------------------------------------------------------------- template dataroot

# Moodle's own protection file and filedir notice.
printf 'deny from all\nAllowOverride None\nNote: this file is broken intentionally, we do not want anybody to undo it in subdirectory!\n' \
  >"$staging_data/.htaccess"
mkdir -p "$staging_data/filedir" "$staging_data/trashdir" "$staging_data/lang/fr" \
  "$staging_data/muc" "$staging_data/localcache/theme/1794201337/boost/css" \
  "$staging_data/localcache/mustache"
printf 'This directory contains the content of uploaded files and is controlled by Moodle code. Do not manually move, change or rename any of the files and subdirectories here.\n' \
  >"$staging_data/filedir/warning.txt"

cat >"$staging_data/lang/fr/langconfig.php" <<'EOF'
<?php
// Paquetage de langue installé depuis download.moodle.org.
defined('MOODLE_INTERNAL') || die();

$string['decsep'] = ',';
$string['thisdirection'] = 'ltr';
$string['thislanguage'] = 'Français';
$string['thislanguageint'] = 'French';
$string['thousandssep'] = ' ';
EOF
cat >"$staging_data/lang/fr/moodle.php" <<'EOF'
<?php
defined('MOODLE_INTERNAL') || die();

$string['welcometocourse'] = 'Bienvenue dans {$a}';
$string['sitehome'] = 'Accueil du site';
EOF
cat >"$staging_data/muc/config.php" <<'EOF'
<?php defined('MOODLE_INTERNAL') || die();
 $configuration = array (
  'siteidentifier' => '2b1c0e3a7f4d9e8c6b5a4f3e2d1c0b9a',
  'stores' => array (
    'default_application' => array ('name' => 'default_application', 'plugin' => 'file', 'configuration' => array (), 'features' => 30, 'modes' => 3, 'default' => true, 'class' => 'cachestore_file', 'lock' => 'cachelock_file_default'),
    'default_session' => array ('name' => 'default_session', 'plugin' => 'session', 'configuration' => array (), 'features' => 14, 'modes' => 2, 'default' => true, 'class' => 'cachestore_session', 'lock' => 'cachelock_file_default'),
  ),
  'modemappings' => array (
    0 => array ('mode' => 1, 'store' => 'default_application', 'sort' => -1),
    1 => array ('mode' => 2, 'store' => 'default_session', 'sort' => -1),
  ),
);
EOF
printf '%s\n' '.navbar{border-bottom:3px solid #e30613}/* thème académique */' \
  >"$staging_data/localcache/theme/1794201337/boost/css/all.css"

# The file that the template's mdl_files row 1 points at (contenthash 10294964…).
cat >"$staging_data/filedir/programme-2nde.txt" <<'EOF'
Programme de mathématiques — classe de seconde
===============================================

1. Nombres et calculs : ensembles de nombres, arithmétique, calcul littéral.
2. Géométrie : vecteurs, droites du plan, trigonométrie.
3. Fonctions : généralités, variations, fonctions de référence.
4. Statistiques et probabilités : échantillonnage, fréquences.
5. Algorithmique et programmation : variables, boucles, fonctions en Python.

Évaluations : un devoir surveillé toutes les trois semaines.
EOF

# N more files whose sizes step log-uniformly from 1 KB to 200 KB (many small, a few large,
# like uploads), with fixed pseudo-random content so that re-runs give the same hashes.
staging_files=$staging_data/filedir/.incoming
mkdir -p "$staging_files"
mv "$staging_data/filedir/programme-2nde.txt" "$staging_files/"
(cd "$staging_files" && SEED_FILES=$files perl -e '
  srand(20261125);
  my $pool = pack("N*", map { int(rand(4294967296)) } 1 .. 131072);    # 512 KiB
  for my $i (1 .. $ENV{SEED_FILES}) {
    my $n = $ENV{SEED_FILES};
    my $size = int(1024 * 200 ** ($n > 1 ? ($i - 1) / ($n - 1) : 0));
    my $head = "seed file $i\n";
    my $body = substr($pool, int(rand(length($pool) - 204800)), $size - length($head));
    open(my $out, ">:raw", "file-$i") or die "file-$i: $!";
    print $out $head, $body;
    close($out) or die "file-$i: $!";
  }') || die "cannot generate the filedir files"
(cd "$staging_files" && find . -maxdepth 1 -type f -printf '%f\0' | xargs -0r sha1sum) |
  SEED_DIR=$staging_data/filedir SEED_FROM=$staging_files perl -ne '
    my ($hash, $name) = /^([0-9a-f]{40})  (.+)$/ or die "unexpected sha1sum line: $_";
    my $dir = "$ENV{SEED_DIR}/" . substr($hash, 0, 2);
    mkdir $dir; $dir .= "/" . substr($hash, 2, 2); mkdir $dir;
    rename("$ENV{SEED_FROM}/$name", "$dir/$hash") or die "$name: $!";'
rmdir "$staging_files"

# ---------------------------------------------------------------- swap in

rm -rf "$sql_dir" "$data_dir"
mv "$staging_sql" "$sql_dir"
mv "$staging_data" "$data_dir"
count=$(find "$data_dir/filedir" -mindepth 3 -type f | wc -l)
echo "seed-fleet: template '$template' in $templates_dir (wwwroot $template_wwwroot, prefix $template_prefix, $count files in filedir)"
