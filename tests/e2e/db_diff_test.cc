// `strata diff` and `strata apply` between databases strata did not write:
// populated databases made with the real sqlite3 shell, the printed script
// run by the real `sqlite3 -bail` (with foreign keys on and off before it),
// and then, for each case: the result has the target's schema (a second
// diff prints no differences), every kept row is still there with its rowid
// (AUTOINCREMENT counters and the children of cascading keys included), and
// the reverse diff brings the source schema back. Scripts that must refuse
// leave the database file byte for byte as it was.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include <sys/wait.h>

#include "test_util.h"

namespace strata {
namespace {

namespace fs = std::filesystem;
using testing::CommandResult;
using testing::ReadFile;
using testing::RunStrata;

std::string ShellQuote(const std::string& s) {
  std::string out = "'";
  for (char c : s) out += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return out + "'";
}

// Runs `sql` through the real sqlite3 shell on `db`, as a user pipes a
// script into it: `sqlite3 -bail db < file`.
CommandResult Sqlite3(const fs::path& db, const std::string& sql) {
  testing::TempDir io;
  const fs::path in = io.Write("in.sql", sql);
  const std::string command = "sqlite3 -init /dev/null -bail " + ShellQuote(db.string()) + " <" +
                              ShellQuote(in.string()) + " >" + ShellQuote((io / "out").string()) + " 2>" +
                              ShellQuote((io / "err").string());
  const int status = std::system(command.c_str());
  CommandResult r;
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = ReadFile(io / "out");
  r.err = ReadFile(io / "err");
  return r;
}

// The rows of a query, every value quoted as SQL (so 1, 1.0 and '1' differ).
std::string Query(const fs::path& db, const std::string& sql) {
  CommandResult r = Sqlite3(db, ".mode quote\n" + sql + ";\n");
  if (r.exit_code != 0) return "ERROR " + std::to_string(r.exit_code) + ": " + r.err;
  return r.out;
}

// Makes a database with the sqlite3 shell; fails the test on an error.
void MakeDb(const fs::path& db, const std::string& sql) {
  CommandResult r = Sqlite3(db, sql);
  ASSERT_EQ(r.exit_code, 0) << "creating " << db << ": " << r.err;
}

const char* const kFkPrefixes[] = {"PRAGMA foreign_keys=ON;\n", "PRAGMA foreign_keys=OFF;\n"};

CommandResult Diff(const fs::path& from, const fs::path& to, bool allow_destructive = false) {
  std::vector<std::string> args = {"diff", "--from", from.string(), "--to", to.string()};
  if (allow_destructive) args.push_back("--allow-destructive");
  return RunStrata(args);
}

bool SaysNoDifferences(const CommandResult& r) {
  return r.exit_code == 0 && r.out.find("-- no differences\n") != std::string::npos &&
         r.out.find("BEGIN IMMEDIATE") == std::string::npos;
}

// ---------------------------------------------------------------------------
// Changes that must reach the target and keep every row.

struct DiffCase {
  std::string name;
  std::string source;  // CREATE statements and rows
  std::string target;  // CREATE statements (the target's rows do not matter)
  // Queries whose output must be the same on the source and on the result
  // (and again after the reverse diff).
  std::vector<std::string> kept;
  bool destructive = false;          // the forward diff needs --allow-destructive
  std::string destructive_mentions;  // ... and its DESTRUCTIVE line names this
  bool reverse_destructive = false;  // the reverse diff needs it
  // Statements run on a copy of the result, and what they must print.
  std::vector<std::pair<std::string, std::string>> after;
  // Text the forward script must (not) contain.
  std::vector<std::string> script_has;
  std::vector<std::string> script_lacks;
};

std::ostream& operator<<(std::ostream& os, const DiffCase& c) { return os << c.name; }

class DbDiff : public ::testing::TestWithParam<DiffCase> {};

TEST_P(DbDiff, ReachesTheTargetKeepsEveryRowAndReverses) {
  const DiffCase& c = GetParam();
  testing::TempDir dir;
  const fs::path source = dir / "source.db", target = dir / "target.db";
  MakeDb(source, c.source);
  MakeDb(target, c.target);
  std::vector<std::string> before;
  for (const std::string& q : c.kept) {
    before.push_back(Query(source, q));
    ASSERT_EQ(before.back().rfind("ERROR", 0), std::string::npos) << q << ": " << before.back();
  }

  if (c.destructive) {
    // Refused as printed: exit 1, a DESTRUCTIVE line, a script that changes nothing.
    CommandResult refused = Diff(source, target);
    EXPECT_EQ(refused.exit_code, 1) << refused.out << refused.err;
    const size_t line = refused.out.find("-- DESTRUCTIVE");
    ASSERT_NE(line, std::string::npos) << refused.out;
    EXPECT_NE(refused.out.substr(line, refused.out.find('\n', line) - line).find(c.destructive_mentions),
              std::string::npos)
        << refused.out;
    EXPECT_NE(refused.err.find("--allow-destructive"), std::string::npos) << refused.err;
    for (const char* prefix : kFkPrefixes) {
      const fs::path copy = dir / "refused.db";
      fs::copy_file(source, copy, fs::copy_options::overwrite_existing);
      const std::string bytes = ReadFile(copy);
      CommandResult run = Sqlite3(copy, prefix + refused.out);
      EXPECT_NE(run.exit_code, 0) << prefix << run.out;
      EXPECT_NE((run.out + run.err).find("discards data"), std::string::npos) << run.out << run.err;
      EXPECT_EQ(ReadFile(copy), bytes) << "a refused script must leave the file as it was (" << prefix << ")";
    }
  }

  CommandResult forward = Diff(source, target, c.destructive);
  ASSERT_EQ(forward.exit_code, 0) << forward.out << forward.err;
  ASSERT_NE(forward.out.find("BEGIN IMMEDIATE"), std::string::npos) << "expected a change:\n" << forward.out;
  for (const std::string& s : c.script_has) EXPECT_NE(forward.out.find(s), std::string::npos) << s << "\n" << forward.out;
  for (const std::string& s : c.script_lacks) EXPECT_EQ(forward.out.find(s), std::string::npos) << s << "\n" << forward.out;

  for (const char* prefix : kFkPrefixes) {
    SCOPED_TRACE(prefix);
    const fs::path result = dir / "result.db";
    fs::copy_file(source, result, fs::copy_options::overwrite_existing);
    CommandResult run = Sqlite3(result, prefix + forward.out);
    ASSERT_EQ(run.exit_code, 0) << run.out << run.err << "\nscript:\n" << forward.out;

    CommandResult again = Diff(result, target);
    EXPECT_TRUE(SaysNoDifferences(again)) << again.out << again.err;
    for (size_t i = 0; i < c.kept.size(); ++i) EXPECT_EQ(Query(result, c.kept[i]), before[i]) << c.kept[i];
    EXPECT_EQ(Query(result, "PRAGMA foreign_key_check"), "");
    EXPECT_EQ(Query(result, "PRAGMA integrity_check"), "'ok'\n");

    const fs::path probe = dir / "probe.db";
    fs::copy_file(result, probe, fs::copy_options::overwrite_existing);
    for (const auto& [sql, want] : c.after) {
      const std::string got = Query(probe, sql);
      if (want == "ERROR")
        EXPECT_EQ(got.rfind("ERROR", 0), 0u) << sql << " must fail: " << got;
      else
        EXPECT_EQ(got, want) << sql;
    }

    // Back to the source's schema, keeping the rows again.
    CommandResult reverse = Diff(result, source, c.reverse_destructive);
    ASSERT_EQ(reverse.exit_code, 0) << reverse.out << reverse.err;
    CommandResult back = Sqlite3(result, prefix + reverse.out);
    ASSERT_EQ(back.exit_code, 0) << back.out << back.err << "\nscript:\n" << reverse.out;
    CommandResult same = Diff(result, source);
    EXPECT_TRUE(SaysNoDifferences(same)) << same.out << same.err;
    for (size_t i = 0; i < c.kept.size(); ++i) EXPECT_EQ(Query(result, c.kept[i]), before[i]) << "reversed: " << c.kept[i];
    EXPECT_EQ(Query(result, "PRAGMA foreign_key_check"), "");
  }
}

const char kSchemaObjects[] = "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE type IN ('view', 'trigger') ORDER BY name";

INSTANTIATE_TEST_SUITE_P(
    DbDiff, DbDiff,
    ::testing::Values(
        // The reported bug: rebuilding a parent (DROP TABLE with foreign keys
        // on) emptied its ON DELETE CASCADE children.
        DiffCase{.name = "ParentTypeChangeKeepsCascadingChildren",
                 .source = R"sql(
CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL, score INT);
CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE ON UPDATE CASCADE, note TEXT);
CREATE TABLE grandchild (child_id INTEGER REFERENCES child (id) ON DELETE CASCADE, n INT);
INSERT INTO parent VALUES (1, 'a', 1.5), (2, 'b', 2.25), (5, 'e', NULL);
INSERT INTO child (parent_id, note) VALUES (1, 'x'), (2, 'y'), (5, 'z'), (1, 'gone');
DELETE FROM child WHERE note = 'gone';
INSERT INTO grandchild VALUES (1, 10), (2, 20), (3, 30), (3, 31);
)sql",
                 .target = R"sql(
CREATE TABLE parent (id INTEGER PRIMARY KEY, code TEXT NOT NULL, score REAL);
CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER NOT NULL REFERENCES parent (id) ON DELETE CASCADE ON UPDATE CASCADE, note TEXT);
CREATE TABLE grandchild (child_id INTEGER REFERENCES child (id) ON DELETE CASCADE, n INT);
)sql",
                 .kept = {"SELECT rowid, * FROM parent ORDER BY rowid", "SELECT rowid, * FROM child ORDER BY rowid",
                          "SELECT rowid, * FROM grandchild ORDER BY rowid",
                          "SELECT name, seq FROM sqlite_sequence ORDER BY name"},
                 .reverse_destructive = true,  // REAL -> INT narrows the type
                 .after = {{"SELECT type FROM pragma_table_info('parent') WHERE name = 'score'", "'REAL'\n"},
                           // The cascade still works after the rebuild.
                           // (child 1 goes, and with it grandchild 1.)
                           {"PRAGMA foreign_keys = ON; DELETE FROM parent WHERE id = 1; "
                            "SELECT count(*) FROM child; SELECT count(*) FROM grandchild",
                            "2\n3\n"}}},
        // Rebuilding the child (its key column changes) and the parent, with
        // AUTOINCREMENT on both.
        DiffCase{.name = "ParentAndChildRebuiltKeepSequences",
                 .source = R"sql(
CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT);
CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE, note TEXT);
INSERT INTO parent (code) VALUES ('a'), ('b'), ('c'), ('d');
DELETE FROM parent WHERE code = 'd';
INSERT INTO child (parent_id, note) VALUES (1, 'x'), (2, 'y'), (3, 'z'), (3, 'w'), (NULL, 'free');
DELETE FROM child WHERE note = 'w';
)sql",
                 .target = R"sql(
CREATE TABLE parent (id INTEGER PRIMARY KEY AUTOINCREMENT, code TEXT NOT NULL DEFAULT '?');
CREATE TABLE child (id INTEGER PRIMARY KEY AUTOINCREMENT,
  parent_id INTEGER REFERENCES parent (id) ON DELETE CASCADE, note VARCHAR(40));
)sql",
                 .kept = {"SELECT rowid, * FROM parent ORDER BY rowid", "SELECT rowid, * FROM child ORDER BY rowid",
                          "SELECT name, seq FROM sqlite_sequence ORDER BY name"},
                 .after = {{"INSERT INTO parent (code) VALUES ('new'); INSERT INTO child (note) VALUES ('new'); "
                            "SELECT id FROM parent WHERE code = 'new'; SELECT id FROM child WHERE note = 'new'",
                            "5\n6\n"}}},
        // No rename hints between databases: a renamed middle column is a
        // drop and an add, which discards its values.
        DiffCase{.name = "RenamedMiddleColumnIsDestructive",
                 .source = R"sql(
CREATE TABLE people (id INTEGER PRIMARY KEY, first TEXT, middle TEXT, last TEXT NOT NULL);
INSERT INTO people VALUES (1, 'Ada', 'King', 'Lovelace'), (2, 'Alan', 'M', 'Turing'), (7, NULL, NULL, 'X');
)sql",
                 .target = R"sql(
CREATE TABLE people (id INTEGER PRIMARY KEY, first TEXT, middle_name TEXT, last TEXT NOT NULL);
)sql",
                 .kept = {"SELECT rowid, id, first, last FROM people ORDER BY rowid"},
                 .destructive = true,
                 .destructive_mentions = "middle",
                 .reverse_destructive = true,
                 .after = {{"SELECT count(*) FROM people WHERE middle_name IS NULL", "3\n"}}},
        // Generated columns: STORED ones force a rebuild, which must neither
        // copy them nor lose them; a kept rowid on a table whose key is not
        // the rowid.
        DiffCase{.name = "GeneratedColumnsAddedThroughARebuild",
                 .source = R"sql(
CREATE TABLE line (sku TEXT PRIMARY KEY, price INT NOT NULL, qty INT NOT NULL DEFAULT 1,
  total INT GENERATED ALWAYS AS (price * qty) STORED,
  label TEXT GENERATED ALWAYS AS (upper(sku)) VIRTUAL);
INSERT INTO line (sku, price, qty) VALUES ('a', 3, 2), ('b', 5, 1), ('c', 7, 3), ('d', 1, 1);
DELETE FROM line WHERE sku = 'b';
)sql",
                 .target = R"sql(
CREATE TABLE line (sku TEXT PRIMARY KEY, price INT NOT NULL, qty INT NOT NULL DEFAULT 1,
  total INT GENERATED ALWAYS AS (price * qty) STORED,
  label TEXT GENERATED ALWAYS AS (upper(sku)) VIRTUAL,
  doubled INT GENERATED ALWAYS AS (total * 2) STORED,
  half REAL GENERATED ALWAYS AS (price / 2.0) VIRTUAL);
)sql",
                 .kept = {"SELECT rowid, sku, price, qty, total, label FROM line ORDER BY rowid"},
                 .after = {{"SELECT sku, doubled, half FROM line ORDER BY rowid", "'a',12,1.5\n'c',42,3.5\n'd',2,0.5\n"},
                           {"SELECT name, hidden FROM pragma_table_xinfo('line') WHERE hidden > 0 ORDER BY cid",
                            "'total',3\n'label',2\n'doubled',3\n'half',2\n"}}},
        DiffCase{.name = "GeneratedColumnsKeptThroughARebuild",
                 .source = R"sql(
CREATE TABLE line (id INTEGER PRIMARY KEY, price INT NOT NULL, qty INT NOT NULL DEFAULT 1,
  total INT GENERATED ALWAYS AS (price * qty) STORED,
  label TEXT GENERATED ALWAYS AS ('#' || id) VIRTUAL);
INSERT INTO line (id, price, qty) VALUES (1, 3, 2), (2, 5, 1), (4, 7, 3);
)sql",
                 .target = R"sql(
CREATE TABLE line (id INTEGER PRIMARY KEY, price INT NOT NULL CHECK (price > 0), qty INT NOT NULL DEFAULT 1,
  total INT GENERATED ALWAYS AS (price * qty) STORED,
  label TEXT GENERATED ALWAYS AS ('#' || id) VIRTUAL,
  note TEXT GENERATED ALWAYS AS (label || ':' || total) VIRTUAL);
)sql",
                 .kept = {"SELECT rowid, id, price, qty, total, label FROM line ORDER BY rowid"},
                 .after = {{"SELECT note FROM line ORDER BY id", "'#1:6'\n'#2:5'\n'#4:21'\n"}}},
        // Index keys the column list cannot spell: an expression, a
        // collation, a direction. A rebuild re-creates them.
        DiffCase{.name = "ExpressionAndCollatedIndexesSurviveARebuild",
                 .source = R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, age INT);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_name_nocase ON users (name COLLATE NOCASE DESC, id);
INSERT INTO users VALUES (1, 'Ada@example.com', 'ada', 36), (2, 'alan@example.com', 'Alan', 41), (3, 'g@x', NULL, NULL);
)sql",
                 .target = R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY, email TEXT NOT NULL, name TEXT, age INT CHECK (age >= 0));
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_name_nocase ON users (name COLLATE NOCASE DESC, id);
)sql",
                 .kept = {"SELECT rowid, * FROM users ORDER BY rowid",
                          "SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo('users_email_lower')",
                          "SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo('users_name_nocase')",
                          "SELECT name, \"unique\", origin, partial FROM pragma_index_list('users') ORDER BY name"},
                 .after = {{"INSERT INTO users (email) VALUES ('ADA@EXAMPLE.COM')", "ERROR"},
                           {"SELECT count(*) FROM users INDEXED BY users_email_lower WHERE lower(email) = 'ada@example.com'",
                            "1\n"}},
                 .script_has = {"(lower(email))", "COLLATE NOCASE DESC"}},
        // COLLATE BINARY on a NOCASE column is an override, not the default:
        // rebuilt without it, the UNIQUE index would refuse 'abc' beside 'ABC'.
        DiffCase{.name = "IndexCollateBinaryOnANocaseColumnSurvivesARebuild",
                 .source = R"sql(
CREATE TABLE code (id INTEGER PRIMARY KEY, code TEXT COLLATE NOCASE, n INT);
CREATE UNIQUE INDEX code_exact ON code (code COLLATE BINARY);
CREATE INDEX code_n ON code (n DESC, code COLLATE BINARY, code);
INSERT INTO code VALUES (1, 'abc', 1), (2, 'ABC', 2), (3, 'Abc', 3);
)sql",
                 .target = R"sql(
CREATE TABLE code (id INTEGER PRIMARY KEY, code TEXT COLLATE NOCASE, n INT CHECK (n > 0));
CREATE UNIQUE INDEX code_exact ON code (code COLLATE BINARY);
CREATE INDEX code_n ON code (n DESC, code COLLATE BINARY, code);
)sql",
                 .kept = {"SELECT rowid, * FROM code ORDER BY rowid",
                          "SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo('code_exact')",
                          "SELECT seqno, cid, name, \"desc\", coll, key FROM pragma_index_xinfo('code_n')"},
                 .after = {{"INSERT INTO code VALUES (4, 'aBC', 4); SELECT count(*) FROM code", "4\n"}},
                 .script_has = {"(\"code\" COLLATE BINARY)"}},
        DiffCase{.name = "DeferredForeignKey",
                 .source = R"sql(
CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author (id), title TEXT);
INSERT INTO author VALUES (1, 'A'), (2, 'B');
INSERT INTO book VALUES (10, 1, 'x'), (11, 2, 'y'), (12, NULL, 'anon');
)sql",
                 .target = R"sql(
CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE book (id INTEGER PRIMARY KEY,
  author_id INTEGER REFERENCES author (id) DEFERRABLE INITIALLY DEFERRED, title TEXT);
)sql",
                 .kept = {"SELECT rowid, * FROM author ORDER BY rowid", "SELECT rowid, * FROM book ORDER BY rowid"},
                 // Checked at COMMIT: the child may come first in a transaction.
                 .after = {{"PRAGMA foreign_keys = ON; BEGIN; INSERT INTO book VALUES (20, 9, 'early'); "
                            "INSERT INTO author VALUES (9, 'late'); COMMIT; SELECT count(*) FROM book WHERE id = 20",
                            "1\n"}},
                 .script_has = {"DEFERRABLE INITIALLY DEFERRED"}},
        DiffCase{.name = "InsteadOfTriggerOnAViewOverARebuiltTable",
                 .source = R"sql(
CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL, price INT);
CREATE TABLE audit (item_id INTEGER, what TEXT);
CREATE TRIGGER item_audit AFTER UPDATE OF price ON item BEGIN INSERT INTO audit VALUES (NEW.id, 'price'); END;
CREATE VIEW item_view AS SELECT id, name, price FROM item;
CREATE TRIGGER item_view_insert INSTEAD OF INSERT ON item_view
BEGIN
  INSERT INTO item (id, name, price) VALUES (NEW.id, NEW.name, NEW.price);
END;
INSERT INTO item VALUES (1, 'pen', 2), (2, 'ink', 5);
UPDATE item SET price = 3 WHERE id = 1;
)sql",
                 .target = R"sql(
CREATE TABLE item (id INTEGER PRIMARY KEY, name TEXT NOT NULL CHECK (length(name) > 0), price INT);
CREATE TABLE audit (item_id INTEGER, what TEXT);
CREATE TRIGGER item_audit AFTER UPDATE OF price ON item BEGIN INSERT INTO audit VALUES (NEW.id, 'price'); END;
CREATE VIEW item_view AS SELECT id, name, price FROM item;
CREATE TRIGGER item_view_insert INSTEAD OF INSERT ON item_view
BEGIN
  INSERT INTO item (id, name, price) VALUES (NEW.id, NEW.name, NEW.price);
END;
)sql",
                 .kept = {"SELECT rowid, * FROM item ORDER BY rowid", "SELECT rowid, * FROM audit ORDER BY rowid",
                          kSchemaObjects},
                 .after = {{"INSERT INTO item_view VALUES (50, 'via view', 9); UPDATE item SET price = 10 WHERE id = 50; "
                            "SELECT name FROM item WHERE id = 50; SELECT count(*) FROM audit WHERE item_id = 50",
                            "'via view'\n1\n"}}},
        // Untouched views and triggers keep their text, comments and odd
        // spacing included.
        DiffCase{.name = "ViewAndTriggerTextKeptByteForByte",
                 .source = R"sql(
CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INT);
CREATE TABLE other (id INTEGER PRIMARY KEY, x TEXT);
CREATE   VIEW   "Weird View"  AS  SELECT   id , v   -- a comment
  FROM t   WHERE n > 0 /* block */ ;
CREATE VIEW other_v AS select X from OTHER;
create trigger t_ins AFTER INSERT ON t   BEGIN
   update other SET x = NEW.v   WHERE id = NEW.id ;  -- keep me
END;
CREATE TRIGGER other_upd after update on other begin select 1; end;
CREATE TRIGGER other_del AFTER DELETE ON other BEGIN DELETE FROM t WHERE id = OLD.id; END;
INSERT INTO other VALUES (1, NULL), (2, NULL);
INSERT INTO t VALUES (1, 'one', 1), (2, 'two', 0), (3, 'three', 5);
)sql",
                 .target = R"sql(
CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, n INT DEFAULT 0);
CREATE TABLE other (id INTEGER PRIMARY KEY, x TEXT);
CREATE   VIEW   "Weird View"  AS  SELECT   id , v   -- a comment
  FROM t   WHERE n > 0 /* block */ ;
CREATE VIEW other_v AS select X from OTHER;
create trigger t_ins AFTER INSERT ON t   BEGIN
   update other SET x = NEW.v   WHERE id = NEW.id ;  -- keep me
END;
CREATE TRIGGER other_upd after update on other begin select 1; end;
CREATE TRIGGER other_del AFTER DELETE ON other BEGIN DELETE FROM t WHERE id = OLD.id; END;
)sql",
                 .kept = {"SELECT rowid, * FROM t ORDER BY rowid", "SELECT rowid, * FROM other ORDER BY rowid",
                          kSchemaObjects, "SELECT * FROM \"Weird View\" ORDER BY id"},
                 // The trigger of an untouched table still reaches the rebuilt one.
                 .after = {{"DELETE FROM other WHERE id = 1; SELECT id FROM t ORDER BY id", "2\n3\n"}}},
        DiffCase{.name = "VerbatimLegacyTypesRoundTrip",
                 .source = R"sql(
CREATE TABLE legacy (id INTEGER PRIMARY KEY, a BLOB SUB_TYPE TEXT, b MEDIUMTEXT, c UNSIGNED BIG INT,
  d VARYING CHARACTER(255), e INT);
INSERT INTO legacy VALUES (1, 'blob text', 'medium', 18446744073709551615, 'vary', 1),
  (2, x'00ff', 42, '123', 7, 2), (3, NULL, NULL, NULL, NULL, NULL);
)sql",
                 .target = R"sql(
CREATE TABLE legacy (id INTEGER PRIMARY KEY, a BLOB SUB_TYPE TEXT, b MEDIUMTEXT, c UNSIGNED BIG INT,
  d VARYING CHARACTER(255), e INT, CHECK (e IS NULL OR e > 0));
)sql",
                 .kept = {"SELECT rowid, * FROM legacy ORDER BY rowid",
                          "SELECT rowid, typeof(a), typeof(b), typeof(c), typeof(d) FROM legacy ORDER BY rowid",
                          "SELECT name, type FROM pragma_table_info('legacy') ORDER BY cid"},
                 .script_has = {"BLOB SUB_TYPE TEXT", "MEDIUMTEXT", "UNSIGNED BIG INT", "VARYING CHARACTER(255)"}},
        // Two tables that reference each other: each must be rebuilt while
        // the other points at it.
        DiffCase{.name = "ForeignKeyCycle",
                 .source = R"sql(
CREATE TABLE team (id INTEGER PRIMARY KEY, name TEXT, captain_id INTEGER REFERENCES player (id) ON DELETE SET NULL);
CREATE TABLE player (id INTEGER PRIMARY KEY, name TEXT, team_id INTEGER REFERENCES team (id) ON DELETE CASCADE);
INSERT INTO team VALUES (1, 'red', 10), (2, 'blue', 20), (3, 'none', NULL);
INSERT INTO player VALUES (10, 'r1', 1), (11, 'r2', 1), (20, 'b1', 2), (30, 'solo', NULL);
)sql",
                 .target = R"sql(
CREATE TABLE team (id INTEGER PRIMARY KEY, name VARCHAR(40), captain_id INTEGER REFERENCES player (id) ON DELETE SET NULL);
CREATE TABLE player (id INTEGER PRIMARY KEY, name VARCHAR(40), team_id INTEGER REFERENCES team (id) ON DELETE CASCADE);
)sql",
                 .kept = {"SELECT rowid, * FROM team ORDER BY rowid", "SELECT rowid, * FROM player ORDER BY rowid"}},
        DiffCase{.name = "SelfReferencingTable",
                 .source = R"sql(
CREATE TABLE emp (id INTEGER PRIMARY KEY, boss_id INTEGER REFERENCES emp (id) ON DELETE CASCADE, name TEXT);
INSERT INTO emp VALUES (1, NULL, 'ceo'), (2, 1, 'cto'), (3, 2, 'dev'), (4, 2, 'dev2'), (5, 1, 'cfo');
)sql",
                 .target = R"sql(
CREATE TABLE emp (id INTEGER PRIMARY KEY, boss_id INTEGER REFERENCES emp (id) ON DELETE CASCADE, name VARCHAR(80));
)sql",
                 .kept = {"SELECT rowid, * FROM emp ORDER BY rowid"},
                 .after = {{"PRAGMA foreign_keys = ON; DELETE FROM emp WHERE id = 2; SELECT id FROM emp ORDER BY id",
                            "1\n5\n"}}},
        DiffCase{.name = "AwkwardIdentifiers",
                 .source = R"sql(
CREATE TABLE "Order Items" ("order" INTEGER PRIMARY KEY, "Select" TEXT, "we""ird col" INT, "MixedCase" TEXT);
CREATE INDEX "idx ""q"" Order" ON "Order Items" ("we""ird col", "MixedCase" DESC);
CREATE TABLE "group" (id INTEGER PRIMARY KEY, "order" INTEGER REFERENCES "Order Items" ("order") ON DELETE CASCADE,
  "Key" TEXT);
CREATE VIEW "View Of ""Order""" AS SELECT "order", "Select" FROM "Order Items";
INSERT INTO "Order Items" VALUES (1, 'a', 1, 'M'), (2, 'b', 2, 'n'), (3, 'c''s', NULL, NULL);
INSERT INTO "group" VALUES (1, 1, 'k1'), (2, 3, 'k2'), (3, NULL, 'k3');
)sql",
                 .target = R"sql(
CREATE TABLE "Order Items" ("order" INTEGER PRIMARY KEY, "Select" TEXT, "we""ird col" INT, "MixedCase" VARCHAR(10));
CREATE INDEX "idx ""q"" Order" ON "Order Items" ("we""ird col", "MixedCase" DESC);
CREATE TABLE "group" (id INTEGER PRIMARY KEY, "order" INTEGER REFERENCES "Order Items" ("order") ON DELETE CASCADE,
  "Key" VARCHAR(10) NOT NULL DEFAULT '');
CREATE VIEW "View Of ""Order""" AS SELECT "order", "Select" FROM "Order Items";
)sql",
                 .kept = {"SELECT rowid, * FROM \"Order Items\" ORDER BY rowid", "SELECT rowid, * FROM \"group\" ORDER BY rowid",
                          "SELECT * FROM \"View Of \"\"Order\"\"\" ORDER BY 1", kSchemaObjects,
                          "SELECT name, \"desc\", key FROM pragma_index_xinfo('idx \"q\" Order')"}},
        DiffCase{.name = "WithoutRowidAndStrictTables",
                 .source = R"sql(
CREATE TABLE kv (k TEXT PRIMARY KEY, v INT, w TEXT) WITHOUT ROWID;
CREATE TABLE s (id INTEGER PRIMARY KEY, n INT, t TEXT) STRICT;
INSERT INTO kv VALUES ('b', 2, 'x'), ('a', 1, NULL), ('c', 3, 'z');
INSERT INTO s VALUES (1, 10, 'a'), (3, 30, NULL);
)sql",
                 .target = R"sql(
CREATE TABLE kv (k TEXT PRIMARY KEY, v INT NOT NULL DEFAULT 0, w TEXT) WITHOUT ROWID;
CREATE TABLE s (id INTEGER PRIMARY KEY, n INT CHECK (n > 0), t TEXT) STRICT;
)sql",
                 .kept = {"SELECT * FROM kv ORDER BY k", "SELECT rowid, * FROM s ORDER BY rowid"},
                 .after = {{"INSERT INTO s VALUES (4, 'not a number', 'x')", "ERROR"}}},
        // A composite, table-level deferred key; the child is rebuilt.
        DiffCase{.name = "CompositeDeferredForeignKeyKeptThroughARebuild",
                 .source = R"sql(
CREATE TABLE version (pkg TEXT, num INT, PRIMARY KEY (pkg, num));
CREATE TABLE dep (id INTEGER PRIMARY KEY, pkg TEXT, num INT, note TEXT,
  FOREIGN KEY (pkg, num) REFERENCES version (pkg, num) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);
INSERT INTO version VALUES ('a', 1), ('a', 2), ('b', 1);
INSERT INTO dep VALUES (1, 'a', 1, 'x'), (2, 'a', 2, NULL), (3, 'b', 1, 'y');
)sql",
                 .target = R"sql(
CREATE TABLE version (pkg TEXT, num INT, PRIMARY KEY (pkg, num));
CREATE TABLE dep (id INTEGER PRIMARY KEY, pkg TEXT, num INT, note VARCHAR(20),
  FOREIGN KEY (pkg, num) REFERENCES version (pkg, num) ON DELETE CASCADE DEFERRABLE INITIALLY DEFERRED);
)sql",
                 .kept = {"SELECT rowid, * FROM version ORDER BY rowid", "SELECT rowid, * FROM dep ORDER BY rowid"},
                 .after = {{"PRAGMA foreign_keys = ON; BEGIN; INSERT INTO dep VALUES (9, 'c', 1, NULL); "
                            "INSERT INTO version VALUES ('c', 1); COMMIT; DELETE FROM version WHERE pkg = 'a'; "
                            "SELECT id FROM dep ORDER BY id",
                            "3\n9\n"}}},
        DiffCase{.name = "DroppedTableWithAllowDestructive",
                 .source = R"sql(
CREATE TABLE keep (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
CREATE TABLE gone (id INTEGER PRIMARY KEY, keep_id INTEGER REFERENCES keep (id) ON DELETE CASCADE);
INSERT INTO keep (v) VALUES ('a'), ('b');
INSERT INTO gone VALUES (1, 1), (2, 2);
)sql",
                 .target = R"sql(
CREATE TABLE keep (id INTEGER PRIMARY KEY AUTOINCREMENT, v TEXT);
)sql",
                 .kept = {"SELECT rowid, * FROM keep ORDER BY rowid", "SELECT * FROM sqlite_sequence ORDER BY name"},
                 .destructive = true,
                 .destructive_mentions = "gone",
                 .after = {{"SELECT count(*) FROM sqlite_schema WHERE name = 'gone'", "0\n"}}},
        DiffCase{.name = "TableNameWithAQuote",
                 .source = R"sql(
CREATE TABLE "it's" (id INTEGER PRIMARY KEY AUTOINCREMENT, "a'b" TEXT, n INT);
CREATE INDEX "it's n" ON "it's" (n);
CREATE TRIGGER "it's trigger" AFTER INSERT ON "it's" BEGIN UPDATE "it's" SET n = 0 WHERE id = NEW.id AND NEW.n IS NULL; END;
INSERT INTO "it's" ("a'b", n) VALUES ('x', 1), ('y''s', NULL), ('z', 3);
DELETE FROM "it's" WHERE id = 3;
)sql",
                 .target = R"sql(
CREATE TABLE "it's" (id INTEGER PRIMARY KEY AUTOINCREMENT, "a'b" VARCHAR(9), n INT);
CREATE INDEX "it's n" ON "it's" (n);
CREATE TRIGGER "it's trigger" AFTER INSERT ON "it's" BEGIN UPDATE "it's" SET n = 0 WHERE id = NEW.id AND NEW.n IS NULL; END;
)sql",
                 .kept = {"SELECT rowid, * FROM \"it's\" ORDER BY rowid", "SELECT * FROM sqlite_sequence",
                          kSchemaObjects},
                 .after = {{"INSERT INTO \"it's\" (\"a'b\") VALUES ('new'); SELECT id, n FROM \"it's\" WHERE \"a'b\" = 'new'",
                            "4,0\n"}}},
        // Only ON CONFLICT resolutions change (a rebuild each), on populated
        // tables; afterwards a plain INSERT resolves conflicts the new way.
        // The copy says OR ABORT, so a conflict could never drop a row.
        DiffCase{.name = "ConflictResolutionsChangeOnPopulatedTables",
                 .source = R"sql(
CREATE TABLE member (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE,
  nick TEXT NOT NULL ON CONFLICT FAIL DEFAULT 'cook', team TEXT, seat INT, UNIQUE (team, seat));
CREATE TABLE slot (day TEXT, hour INT, who TEXT, PRIMARY KEY (day, hour) ON CONFLICT ROLLBACK) WITHOUT ROWID;
INSERT INTO member (email, nick, team, seat) VALUES ('a@x', 'ada', 'red', 1), ('b@x', 'bob', 'red', 2),
  ('c@x', 'cy', NULL, NULL), ('gone@x', 'g', NULL, NULL);
DELETE FROM member WHERE email = 'gone@x';
INSERT INTO slot VALUES ('mon', 9, 'ada'), ('tue', 10, 'bob');
)sql",
                 .target = R"sql(
CREATE TABLE member (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL UNIQUE ON CONFLICT REPLACE,
  nick TEXT NOT NULL ON CONFLICT REPLACE DEFAULT 'cook', team TEXT, seat INT, UNIQUE (team, seat) ON CONFLICT IGNORE);
CREATE TABLE slot (day TEXT, hour INT, who TEXT, PRIMARY KEY (day, hour) ON CONFLICT REPLACE) WITHOUT ROWID;
)sql",
                 .kept = {"SELECT rowid, * FROM member ORDER BY rowid", "SELECT * FROM slot ORDER BY day",
                          "SELECT name, seq FROM sqlite_sequence ORDER BY name"},
                 .after = {{"INSERT INTO member (email, nick) VALUES ('a@x', 'new'); "
                            "SELECT id, nick FROM member WHERE email = 'a@x'",
                            "5,'new'\n"},
                           {"INSERT INTO member (email, nick) VALUES ('z@x', NULL); SELECT nick FROM member WHERE email = 'z@x'",
                            "'cook'\n"},
                           {"INSERT INTO member (email, team, seat) VALUES ('q@x', 'red', 2); "
                            "SELECT count(*) FROM member WHERE email = 'q@x'",
                            "0\n"},
                           {"INSERT INTO slot VALUES ('mon', 9, 'cy'); SELECT who FROM slot WHERE day = 'mon'", "'cy'\n"},
                           {"SELECT count(*) FROM member", "4\n"}},
                 .script_has = {"UNIQUE ON CONFLICT REPLACE", "NOT NULL ON CONFLICT REPLACE",
                                "UNIQUE (\"team\", \"seat\") ON CONFLICT IGNORE",
                                "PRIMARY KEY (\"day\", \"hour\") ON CONFLICT REPLACE", "INSERT OR ABORT INTO"}},
        // A virtual table is not strata's: the script leaves it and its rows.
        DiffCase{.name = "Fts5VirtualTableLeftAlone",
                 .source = R"sql(
CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT, stars INT);
CREATE VIRTUAL TABLE docs USING fts5(title, body);
INSERT INTO note VALUES (1, 'hello world', 3), (2, 'bye', 1);
INSERT INTO docs (rowid, title, body) VALUES (5, 'greeting', 'hello there'), (9, 'other', 'nothing'),
  (11, 'again', 'hello again');
)sql",
                 .target = R"sql(
CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL DEFAULT '', stars INT);
)sql",
                 .kept = {"SELECT rowid, * FROM note ORDER BY rowid", "SELECT rowid, * FROM docs ORDER BY rowid",
                          "SELECT rowid FROM docs WHERE docs MATCH 'hello' ORDER BY rowid",
                          "SELECT name, sql FROM sqlite_schema WHERE name LIKE 'docs%' ORDER BY name"},
                 .after = {{"INSERT INTO docs (rowid, title, body) VALUES (20, 'new', 'hello new'); "
                            "SELECT rowid FROM docs WHERE docs MATCH 'hello' ORDER BY rowid",
                            "5\n11\n20\n"}},
                 .script_has = {"-- left alone: \"docs\" is a virtual table (USING fts5)"},
                 .script_lacks = {"DROP TABLE \"docs\"", "docs_data", "docs_content"}}),
    [](const ::testing::TestParamInfo<DiffCase>& p) { return p.param.name; });

// ---------------------------------------------------------------------------
// Changes whose data the target forbids: the script refuses and the file
// stays as it was, byte for byte.

struct RefusedCase {
  std::string name;
  std::string source;
  std::string target;
  std::string reason;  // in sqlite3's error output
  int diff_exit = 0;   // 1 when strata itself sees the change discards data
};

std::ostream& operator<<(std::ostream& os, const RefusedCase& c) { return os << c.name; }

class DbDiffRefused : public ::testing::TestWithParam<RefusedCase> {};

TEST_P(DbDiffRefused, LeavesTheFileByteIdentical) {
  const RefusedCase& c = GetParam();
  testing::TempDir dir;
  const fs::path source = dir / "source.db", target = dir / "target.db";
  MakeDb(source, c.source);
  MakeDb(target, c.target);
  CommandResult diff = Diff(source, target);
  ASSERT_EQ(diff.exit_code, c.diff_exit) << diff.out << diff.err;
  ASSERT_NE(diff.out.find("BEGIN IMMEDIATE"), std::string::npos) << diff.out;
  const std::string bytes = ReadFile(source);
  for (const char* prefix : kFkPrefixes) {
    SCOPED_TRACE(prefix);
    CommandResult run = Sqlite3(source, prefix + diff.out);
    EXPECT_NE(run.exit_code, 0) << run.out << run.err;
    // The file prints every failed check, then stops.
    EXPECT_NE((run.out + run.err).find(c.reason), std::string::npos) << run.out << run.err;
    EXPECT_EQ(ReadFile(source), bytes) << "the refused script changed the file";
  }
}

INSTANTIATE_TEST_SUITE_P(
    DbDiff, DbDiffRefused,
    ::testing::Values(
        RefusedCase{"OrphansUnderANewForeignKey",
                    "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER);"
                    "INSERT INTO parent VALUES (1); INSERT INTO child VALUES (1, 1), (2, 99), (3, NULL);",
                    "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
                    "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER REFERENCES parent (id));",
                    "(orphans)"},
        RefusedCase{"NullsUnderANewNotNull",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, NULL);",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL);", "holds NULLs"},
        RefusedCase{"DuplicatesUnderANewUniqueColumn",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'a'), (3, 'b');",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT UNIQUE);", "has rows with the same"},
        RefusedCase{"DuplicatesUnderANewUniqueIndex",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT); INSERT INTO t VALUES (1, 1, 1), (2, 1, 1), (3, 1, 2);",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, a INT, b INT); CREATE UNIQUE INDEX t_ab ON t (a, b);",
                    "has rows with the same"},
        RefusedCase{"DuplicatesUnderANewUniqueExpressionIndex",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO t VALUES (1, 'A@x'), (2, 'a@x');",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT); CREATE UNIQUE INDEX t_email ON t (lower(email));",
                    "UNIQUE"},
        // REPLACE would keep one row of each duplicate; the precheck refuses first.
        RefusedCase{"DuplicatesUnderANewUniqueOnConflictReplace",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT); INSERT INTO t VALUES (1, 'a'), (2, 'a');",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, email TEXT UNIQUE ON CONFLICT REPLACE);",
                    "has rows with the same"},
        RefusedCase{"NewNotNullColumnWithoutADefault",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'a');",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, w TEXT NOT NULL);", "NOT NULL without a default"},
        RefusedCase{"CheckViolations",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, price INT); INSERT INTO t VALUES (1, 5), (2, -1);",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, price INT CHECK (price >= 0));", "fail CHECK"},
        RefusedCase{"TableCheckViolations",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, lo INT, hi INT); INSERT INTO t VALUES (1, 1, 2), (2, 3, 1);",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, lo INT, hi INT, CHECK (lo <= hi));", "fail CHECK"},
        RefusedCase{"DroppedTableWithoutAllowDestructive",
                    "CREATE TABLE keep (id INTEGER PRIMARY KEY); CREATE TABLE gone (id INTEGER PRIMARY KEY, v TEXT);"
                    "INSERT INTO keep VALUES (1); INSERT INTO gone VALUES (1, 'data');",
                    "CREATE TABLE keep (id INTEGER PRIMARY KEY);", "discards data", 1},
        RefusedCase{"DroppedColumnWithoutAllowDestructive",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT, w TEXT); INSERT INTO t VALUES (1, 'a', 'b');",
                    "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);", "discards data", 1}),
    [](const ::testing::TestParamInfo<RefusedCase>& p) { return p.param.name; });

// ---------------------------------------------------------------------------

TEST(DbDiffNoOp, ViewSqlDifferingOnlyInWhitespaceAndCase) {
  testing::TempDir dir;
  MakeDb(dir / "a.db",
         "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT); INSERT INTO t VALUES (1, 'x');"
         "CREATE VIEW v AS SELECT id, v FROM t WHERE id > 0;");
  MakeDb(dir / "b.db",
         "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
         "create   view v as\n  select ID,   V\n from T where id>0;");
  for (const auto& [from, to] : {std::pair{"a.db", "b.db"}, std::pair{"b.db", "a.db"}}) {
    CommandResult r = Diff(dir / from, dir / to);
    EXPECT_EQ(r.exit_code, 0) << r.err;
    EXPECT_EQ(r.out, "-- no differences\n");
  }
  // A real difference in the view is one.
  MakeDb(dir / "c.db",
         "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT);"
         "CREATE VIEW v AS SELECT id, v FROM t WHERE id > 1;");
  CommandResult changed = Diff(dir / "a.db", dir / "c.db");
  EXPECT_EQ(changed.exit_code, 0) << changed.err;
  EXPECT_NE(changed.out.find("CREATE VIEW v AS SELECT id, v FROM t WHERE id > 1"), std::string::npos) << changed.out;
}

// ---------------------------------------------------------------------------
// strata apply

const char kShopDb[] = R"sql(
CREATE TABLE customer (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL, note TEXT);
CREATE TABLE orders (id INTEGER PRIMARY KEY, customer_id INTEGER NOT NULL REFERENCES customer (id) ON DELETE CASCADE,
  total INT);
INSERT INTO customer (name, note) VALUES ('ada', 'n1'), ('bob', NULL), ('cy', 'n3'), ('dropped', NULL);
DELETE FROM customer WHERE name = 'dropped';
INSERT INTO orders VALUES (1, 1, 10), (2, 1, 20), (3, 2, 5), (4, 3, NULL);
)sql";

// The same tables, with customer.name VARCHAR(80) (a rebuild of the
// parent), a new column and index on orders, and a new table.
void WriteShopSchema(const testing::TempDir& dir, bool keep_note = true) {
  dir.Write("schema/project.yaml", "project: shop\ndialect: sqlite\ntags: [baseline]\n");
  dir.Write("schema/tables/customer.yaml",
            std::string("tables:\n"
                        "  - name: customer\n"
                        "    columns:\n"
                        "      - {name: id, type: INTEGER, primary_key: true, autoincrement: true}\n"
                        "      - {name: name, type: VARCHAR(80), nullable: false}\n") +
                (keep_note ? "      - {name: note, type: TEXT}\n" : ""));
  dir.Write("schema/tables/orders.yaml",
            "tables:\n"
            "  - name: orders\n"
            "    columns:\n"
            "      - {name: id, type: INTEGER, primary_key: true}\n"
            "      - {name: customer_id, type: INTEGER, nullable: false}\n"
            "      - {name: total, type: INT}\n"
            "      - {name: status, type: TEXT, default: open}\n"
            "    foreign_keys:\n"
            "      - columns: [customer_id]\n"
            "        references: {table: customer, columns: [id]}\n"
            "        on_delete: cascade\n"
            "    indexes:\n"
            "      - {name: orders_customer, columns: [customer_id]}\n"
            "  - name: coupon\n"
            "    columns:\n"
            "      - {name: code, type: TEXT, primary_key: true}\n");
}

const char* const kShopRows[] = {"SELECT rowid, id, name, note FROM customer ORDER BY rowid",
                                 "SELECT rowid, id, customer_id, total FROM orders ORDER BY rowid",
                                 "SELECT name, seq FROM sqlite_sequence ORDER BY name"};

TEST(DbDiffApply, AppliesASchemaFolderToAPopulatedDatabase) {
  testing::TempDir dir;
  WriteShopSchema(dir);
  const fs::path db = dir / "shop.db";
  MakeDb(db, kShopDb);
  std::vector<std::string> before;
  for (const char* q : kShopRows) before.push_back(Query(db, q));

  CommandResult r = RunStrata({"apply", "--db", "shop.db", "--to", "schema"}, dir.path());
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("shop.db: applied"), std::string::npos) << r.out;
  for (size_t i = 0; i < before.size(); ++i) EXPECT_EQ(Query(db, kShopRows[i]), before[i]) << kShopRows[i];
  EXPECT_EQ(Query(db, "SELECT DISTINCT status FROM orders"), "'open'\n");
  EXPECT_EQ(Query(db, "SELECT type FROM pragma_table_info('customer') WHERE name = 'name'"), "'VARCHAR(80)'\n");
  EXPECT_EQ(Query(db, "SELECT count(*) FROM coupon"), "0\n");
  EXPECT_EQ(Query(db, "PRAGMA foreign_key_check"), "");
  EXPECT_TRUE(fs::exists(dir / "backups")) << "apply backs an existing database up first";

  CommandResult diff = RunStrata({"diff", "--from", "shop.db", "--to", "schema"}, dir.path());
  EXPECT_TRUE(SaysNoDifferences(diff)) << diff.out << diff.err;
  const std::string bytes = ReadFile(db);
  CommandResult again = RunStrata({"apply", "--db", "shop.db", "--to", "schema", "--no-backup"}, dir.path());
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("nothing to do"), std::string::npos) << again.out;
  EXPECT_EQ(ReadFile(db), bytes);
}

TEST(DbDiffApply, DryRunChangesNothing) {
  testing::TempDir dir;
  WriteShopSchema(dir);
  const fs::path db = dir / "shop.db";
  MakeDb(db, kShopDb);
  const std::string bytes = ReadFile(db);
  CommandResult r = RunStrata({"apply", "--db", "shop.db", "--to", "schema", "--dry-run"}, dir.path());
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("BEGIN IMMEDIATE"), std::string::npos) << r.out;
  EXPECT_EQ(ReadFile(db), bytes);
  EXPECT_FALSE(fs::exists(dir / "backups"));
  // The printed script is the one apply would run.
  CommandResult run = Sqlite3(db, r.out);
  EXPECT_EQ(run.exit_code, 0) << run.err;
  CommandResult diff = RunStrata({"diff", "--from", "shop.db", "--to", "schema"}, dir.path());
  EXPECT_TRUE(SaysNoDifferences(diff)) << diff.out << diff.err;
}

// A refused diff says why once, on a line of its own, on standard error;
// the script on standard output carries no copy of that message.
TEST(DbDiff, RefusalIsReportedOnceOnItsOwnLine) {
  testing::TempDir dir;
  const fs::path from = dir / "from.db", to = dir / "to.db";
  MakeDb(from, "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT, y INTEGER); CREATE TABLE b (id INTEGER PRIMARY KEY);");
  MakeDb(to, "CREATE TABLE a (id INTEGER PRIMARY KEY, x TEXT);");
  const CommandResult r = Diff(from, to);
  EXPECT_EQ(r.exit_code, 1) << r.err;
  const std::string message = "strata: error: the script discards data and refuses to run as printed";
  const size_t first = r.err.find(message);
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(r.err.find(message, first + 1), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("refuses to run as printed", r.err.find("refuses to run as printed") + 1), std::string::npos)
      << r.err;
  EXPECT_TRUE(first == 0 || r.err[first - 1] == '\n') << r.err;
  EXPECT_TRUE(r.err.ends_with("pass --allow-destructive to allow it\n")) << r.err;
  EXPECT_EQ(r.out.find("strata: error"), std::string::npos) << r.out;
  EXPECT_TRUE(r.out.ends_with("\n")) << r.out;
}

TEST(DbDiffApply, RefusesADestructiveChangeWithoutAllowDestructive) {
  testing::TempDir dir;
  WriteShopSchema(dir, /*keep_note=*/false);
  const fs::path db = dir / "shop.db";
  MakeDb(db, kShopDb);
  const std::string bytes = ReadFile(db);
  CommandResult r = RunStrata({"apply", "--db", "shop.db", "--to", "schema", "--no-backup"}, dir.path());
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("--allow-destructive"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("note"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(db), bytes);

  CommandResult allowed =
      RunStrata({"apply", "--db", "shop.db", "--to", "schema", "--no-backup", "--allow-destructive"}, dir.path());
  ASSERT_EQ(allowed.exit_code, 0) << allowed.out << allowed.err;
  EXPECT_EQ(Query(db, "SELECT rowid, id, name FROM customer ORDER BY rowid"), "1,1,'ada'\n2,2,'bob'\n3,3,'cy'\n");
  EXPECT_EQ(Query(db, "SELECT count(*) FROM orders"), "4\n");
}

TEST(DbDiffApply, RefusesADatabaseWithMigrationHistoryUnlessIgnored) {
  testing::TempDir dir;
  WriteShopSchema(dir);
  const fs::path db = dir / "shop.db";
  MakeDb(db, std::string(kShopDb) +
                 "CREATE TABLE strata_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, tag TEXT NOT NULL, "
                 "checksum TEXT, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ', 'now')), "
                 "duration_ms INTEGER);"
                 "INSERT INTO strata_migrations (version, name, tag) VALUES (10, 'baseline', 'baseline');");
  const std::string bytes = ReadFile(db);
  CommandResult r = RunStrata({"apply", "--db", "shop.db", "--to", "schema", "--no-backup"}, dir.path());
  EXPECT_NE(r.exit_code, 0) << r.out;
  EXPECT_NE(r.err.find("--ignore-history"), std::string::npos) << r.err;
  EXPECT_EQ(ReadFile(db), bytes);

  CommandResult ignored =
      RunStrata({"apply", "--db", "shop.db", "--to", "schema", "--no-backup", "--ignore-history"}, dir.path());
  ASSERT_EQ(ignored.exit_code, 0) << ignored.out << ignored.err;
  EXPECT_EQ(Query(db, "SELECT version, name FROM strata_migrations"), "10,'baseline'\n") << "the history is not touched";
  EXPECT_EQ(Query(db, "SELECT count(*) FROM orders"), "4\n");
}

// ---------------------------------------------------------------------------
// inspect -> validate -> drift on a database that uses every object kind.

TEST(DbDiffInspect, EveryObjectKindRoundTrips) {
  testing::TempDir dir;
  const fs::path db = dir / "all.db";
  MakeDb(db, R"sql(
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, email TEXT NOT NULL, name TEXT COLLATE NOCASE,
  age INT CHECK (age >= 0), joined TEXT DEFAULT CURRENT_TIMESTAMP,
  email_domain TEXT GENERATED ALWAYS AS (substr(email, instr(email, '@') + 1)) VIRTUAL,
  name_len INT GENERATED ALWAYS AS (length(name)) STORED);
CREATE UNIQUE INDEX users_email_lower ON users (lower(email));
CREATE INDEX users_name_nocase ON users (name COLLATE NOCASE DESC);
CREATE INDEX users_adults ON users (age) WHERE age >= 18;
CREATE TABLE legacy (id INTEGER PRIMARY KEY, a BLOB SUB_TYPE TEXT, b MEDIUMTEXT, c UNSIGNED BIG INT,
  d VARYING CHARACTER(255));
CREATE TABLE author (id INTEGER PRIMARY KEY, name TEXT);
CREATE TABLE book (id INTEGER PRIMARY KEY, author_id INTEGER REFERENCES author (id) DEFERRABLE INITIALLY DEFERRED,
  title TEXT, UNIQUE (author_id, title));
CREATE TABLE team (id INTEGER PRIMARY KEY, captain_id INTEGER REFERENCES player (id) ON DELETE SET NULL);
CREATE TABLE player (id INTEGER PRIMARY KEY, team_id INTEGER REFERENCES team (id) ON DELETE CASCADE);
CREATE TABLE emp (id INTEGER PRIMARY KEY, boss_id INTEGER REFERENCES emp (id) ON DELETE CASCADE);
CREATE TABLE "Order Items" ("order" INTEGER PRIMARY KEY, "Select" TEXT, "we""ird col" INT, "MixedCase" TEXT);
CREATE INDEX "idx ""q"" Order" ON "Order Items" ("MixedCase" DESC, "order");
CREATE TABLE pair (a TEXT, b TEXT, v INT, PRIMARY KEY (a, b)) WITHOUT ROWID;
CREATE TABLE audit (what TEXT);
CREATE TRIGGER users_audit AFTER INSERT ON users BEGIN INSERT INTO audit VALUES ('user ' || NEW.id); END;
CREATE VIEW user_view AS SELECT id, email, name FROM users;
CREATE TRIGGER user_view_insert INSTEAD OF INSERT ON user_view
BEGIN
  INSERT INTO users (email, name) VALUES (NEW.email, NEW.name);
END;
CREATE VIRTUAL TABLE docs USING fts5(title, body);
INSERT INTO users (email, name, age) VALUES ('a@x.org', 'Ada', 36), ('b@y.org', 'bob', 12);
INSERT INTO legacy VALUES (1, 'x', 'y', 3, 'z');
INSERT INTO author VALUES (1, 'A'); INSERT INTO book VALUES (1, 1, 't');
INSERT INTO team VALUES (1, 10); INSERT INTO player VALUES (10, 1);
INSERT INTO emp VALUES (1, NULL), (2, 1);
INSERT INTO "Order Items" VALUES (1, 's', 2, 'M');
INSERT INTO pair VALUES ('a', 'b', 1);
INSERT INTO docs VALUES ('hello', 'world');
)sql");
  CommandResult inspect = RunStrata({"inspect", "--db", "all.db", "--out", "schema"}, dir.path());
  ASSERT_EQ(inspect.exit_code, 0) << inspect.out << inspect.err;
  const std::string project = ReadFile(dir / "schema/project.yaml");
  EXPECT_NE(project.find("docs"), std::string::npos) << "the FTS5 table is listed under ignore_tables:\n" << project;
  std::string yaml;
  for (const fs::directory_entry& e : fs::recursive_directory_iterator(dir / "schema"))
    if (e.is_regular_file()) yaml += ReadFile(e.path());
  for (const char* s : {"sql_type: BLOB SUB_TYPE TEXT", "sql_type: MEDIUMTEXT", "sql_type: UNSIGNED BIG INT",
                        "sql_type: VARYING CHARACTER(255)", "lower(email)"})
    EXPECT_NE(yaml.find(s), std::string::npos) << s << "\n" << yaml;

  CommandResult validate = RunStrata({"validate", "--schema", "schema"}, dir.path());
  EXPECT_EQ(validate.exit_code, 0) << validate.out << validate.err;

  fs::create_directories(dir / "migrations");
  CommandResult drift =
      RunStrata({"drift", "--schema", "schema", "--db", "all.db", "--migrations", "migrations"}, dir.path());
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("no drift"), std::string::npos) << drift.out;

  // The folder and the database it came from describe one schema.
  CommandResult diff = RunStrata({"diff", "--from", "all.db", "--to", "schema"}, dir.path());
  EXPECT_TRUE(SaysNoDifferences(diff)) << diff.out << diff.err;
}

// `strata inspect` of dir/x.db into dir/schema, which `validate` accepts.
void InspectIntoAValidFolder(const testing::TempDir& dir) {
  CommandResult inspect = RunStrata({"inspect", "--db", "x.db", "--out", "schema"}, dir.path());
  ASSERT_EQ(inspect.exit_code, 0) << inspect.err;
  CommandResult validate = RunStrata({"validate", "--schema", "schema"}, dir.path());
  EXPECT_EQ(validate.exit_code, 0) << validate.err;
}

// An index on a column whose name holds a space or a double quote: the
// YAML inspect writes must name it so that the loader reads it back (it
// used to split index columns on whitespace, and validate refused the folder).
TEST(DbDiffInspect, IndexOnAColumnWhoseNameHasASpaceRoundTrips) {
  testing::TempDir dir;
  MakeDb(dir / "x.db",
         "CREATE TABLE \"Order Items\" (\"order\" INTEGER PRIMARY KEY, \"we\"\"ird col\" INT);"
         "CREATE INDEX \"idx\" ON \"Order Items\" (\"we\"\"ird col\" DESC);"
         "INSERT INTO \"Order Items\" VALUES (1, 2);");
  ASSERT_NO_FATAL_FAILURE(InspectIntoAValidFolder(dir));
  CommandResult diff = RunStrata({"diff", "--from", "x.db", "--to", "schema"}, dir.path());
  EXPECT_TRUE(SaysNoDifferences(diff)) << diff.out << diff.err;
}

// The same override through YAML: inspect writes "code COLLATE BINARY",
// which the loader must keep (it used to read BINARY as "no collation",
// which on a NOCASE column is NOCASE, and drift then reported the index).
TEST(DbDiffInspect, IndexCollateBinaryOnANocaseColumnRoundTrips) {
  testing::TempDir dir;
  MakeDb(dir / "x.db",
         "CREATE TABLE code (id INTEGER PRIMARY KEY, code TEXT COLLATE NOCASE);"
         "CREATE UNIQUE INDEX code_exact ON code (code COLLATE BINARY);"
         "INSERT INTO code VALUES (1, 'abc'), (2, 'ABC');");
  ASSERT_NO_FATAL_FAILURE(InspectIntoAValidFolder(dir));
  fs::create_directories(dir / "migrations");
  CommandResult drift = RunStrata({"drift", "--schema", "schema", "--db", "x.db", "--migrations", "migrations"}, dir.path());
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
  CommandResult diff = RunStrata({"diff", "--from", "x.db", "--to", "schema"}, dir.path());
  EXPECT_TRUE(SaysNoDifferences(diff)) << diff.out << diff.err;
}

// ON CONFLICT clauses of every kind: inspect writes them to the YAML, a
// database created from that YAML is the same schema and resolves
// conflicts the same way, and drift finds nothing against the original.
TEST(DbDiffInspect, ConflictClausesRoundTrip) {
  testing::TempDir dir;
  const std::string ddl = R"sql(
CREATE TABLE contact (id INTEGER PRIMARY KEY ON CONFLICT REPLACE AUTOINCREMENT,
  email TEXT NOT NULL ON CONFLICT IGNORE UNIQUE ON CONFLICT REPLACE,
  phone TEXT UNIQUE ON CONFLICT FAIL, score INT NOT NULL ON CONFLICT REPLACE DEFAULT 0,
  team TEXT, seat INT, UNIQUE (team, seat) ON CONFLICT ROLLBACK, CHECK (score >= 0) ON CONFLICT IGNORE);
CREATE TABLE seat (room TEXT, num INT, label TEXT NOT NULL ON CONFLICT ABORT,
  PRIMARY KEY (room, num) ON CONFLICT IGNORE, UNIQUE (label) ON CONFLICT REPLACE);
CREATE TABLE code (code TEXT, PRIMARY KEY (code) ON CONFLICT FAIL) WITHOUT ROWID;
)sql";
  MakeDb(dir / "x.db", ddl + "INSERT INTO contact (email, phone, team, seat) VALUES ('a@x', '1', 'red', 1);"
                             "INSERT INTO seat VALUES ('r', 1, 'one'); INSERT INTO code VALUES ('k');");
  ASSERT_NO_FATAL_FAILURE(InspectIntoAValidFolder(dir));
  const std::string contact = ReadFile(dir / "schema/tables/contact.yaml");
  for (const char* s : {"on_conflict: replace", "on_conflict: {not_null: ignore, unique: replace}", "on_conflict: fail",
                        "on_conflict: rollback"})
    EXPECT_NE(contact.find(s), std::string::npos) << s << "\n" << contact;
  EXPECT_NE(ReadFile(dir / "schema/tables/seat.yaml").find("primary_key_on_conflict: ignore"), std::string::npos);
  EXPECT_EQ(ReadFile(dir / "schema/project.yaml").find("ignore_tables"), std::string::npos);

  CommandResult create = RunStrata({"create", "--schema", "schema", "--db", "fresh.db"}, dir.path());
  ASSERT_EQ(create.exit_code, 0) << create.err;
  CommandResult diff = Diff(dir / "x.db", dir / "fresh.db");
  EXPECT_TRUE(SaysNoDifferences(diff)) << diff.out << diff.err;
  fs::create_directories(dir / "migrations");
  CommandResult drift = RunStrata({"drift", "--schema", "schema", "--db", "x.db", "--migrations", "migrations"}, dir.path());
  EXPECT_EQ(drift.exit_code, 0) << drift.out << drift.err;
  EXPECT_NE(drift.out.find("no drift"), std::string::npos) << drift.out;

  // The same writes give the same rows on both files.
  const std::string writes =
      "INSERT INTO contact (id, email, phone) VALUES (7, 'a@x', '2');"   // UNIQUE REPLACE
      "INSERT INTO contact (id, email, phone) VALUES (8, NULL, '3');"    // NOT NULL IGNORE
      "INSERT INTO contact (id, email, phone, score) VALUES (7, 'b@x', '4', NULL);"  // PK REPLACE, NOT NULL REPLACE
      "INSERT INTO seat VALUES ('r', 1, 'dup'), ('s', 2, 'one');"        // PK IGNORE, UNIQUE REPLACE
      "SELECT * FROM contact ORDER BY id; SELECT * FROM seat ORDER BY room;";
  MakeDb(dir / "fresh.db", "INSERT INTO contact (email, phone, team, seat) VALUES ('a@x', '1', 'red', 1);"
                           "INSERT INTO seat VALUES ('r', 1, 'one'); INSERT INTO code VALUES ('k');");
  const std::string original = Query(dir / "x.db", writes), recreated = Query(dir / "fresh.db", writes);
  EXPECT_EQ(recreated, original);
  EXPECT_EQ(original, "7,'b@x','4',0,NULL,NULL\n's',2,'one'\n") << "REPLACE, IGNORE as SQLite does them";
  for (const fs::path& db : {dir / "x.db", dir / "fresh.db"}) {
    EXPECT_EQ(Query(db, "INSERT INTO contact (email, phone) VALUES ('c@x', '4')").rfind("ERROR", 0), 0u) << "FAIL refuses";
    EXPECT_EQ(Query(db, "INSERT INTO code VALUES ('k')").rfind("ERROR", 0), 0u);
  }
}

// ON CONFLICT ABORT is what a constraint without a clause does: no difference.
TEST(DbDiffNoOp, ExplicitOnConflictAbortIsNoClause) {
  testing::TempDir dir;
  MakeDb(dir / "a.db", "CREATE TABLE t (id INTEGER PRIMARY KEY ON CONFLICT ABORT, v TEXT NOT NULL ON CONFLICT ABORT "
                       "UNIQUE ON CONFLICT ABORT, w INT, UNIQUE (v, w) ON CONFLICT ABORT);");
  MakeDb(dir / "b.db", "CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL UNIQUE, w INT, UNIQUE (v, w));");
  for (const auto& [from, to] : {std::pair{"a.db", "b.db"}, std::pair{"b.db", "a.db"}})
    EXPECT_TRUE(SaysNoDifferences(Diff(dir / from, dir / to))) << from << " -> " << to;
}

}  // namespace
}  // namespace strata
