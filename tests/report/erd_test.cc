// Diagrams of a schema: the relationships and their cardinalities, the
// Mermaid text checked for structure, the DOT text run through Graphviz,
// and `strata erd` as a user runs it.
#include "report/erd.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <regex>
#include <set>

#include <fmt/format.h>

#include "scoped_env.h"
#include "test_util.h"
#include "yaml/load_helper.h"

namespace strata {
namespace {

// What is wrong with a Mermaid erDiagram, by line; empty when none: braces
// balanced and never nested, every line an entity, an attribute inside a
// block, or a well-formed relationship, and every entity a relationship
// names declared.
std::vector<std::string> MermaidProblems(const std::string& text) {
  static const std::regex entity(R"re(^    "([^"%\\]+)"( \{)?$)re");
  static const std::regex attribute(
      R"re(^        [A-Za-z_][A-Za-z0-9_\-()\[\]]* [A-Za-z_][A-Za-z0-9_\-()\[\]]*( (PK|FK|UK)(, (PK|FK|UK))*)?$)re");
  static const std::regex relationship(
      R"re(^    "([^"%\\]+)" (\|\||\|o|\}o|\}\|)(--|\.\.)(\|\||o\||o\{|\|\{) "([^"%\\]+)" : "[^"]*"$)re");
  std::vector<std::string> problems;
  std::set<std::string> declared, referenced;
  bool in_block = false;
  size_t number = 0;
  size_t start = 0;
  for (size_t end = text.find('\n'); end != std::string::npos; end = text.find('\n', start)) {
    const std::string line = text.substr(start, end - start);
    start = end + 1;
    ++number;
    std::smatch m;
    if (number == 1) {
      if (line != "erDiagram") problems.push_back("line 1 is not erDiagram");
    } else if (in_block) {
      if (line == "    }")
        in_block = false;
      else if (!std::regex_match(line, attribute))
        problems.push_back(fmt::format("line {}: not an attribute: {}", number, line));
    } else if (std::regex_match(line, m, entity)) {
      declared.insert(m[1]);
      in_block = m[2].matched;
    } else if (std::regex_match(line, m, relationship)) {
      referenced.insert(m[1]);
      referenced.insert(m[5]);
    } else {
      problems.push_back(fmt::format("line {}: neither an entity nor a relationship: {}", number, line));
    }
  }
  if (start != text.size()) problems.push_back("the text does not end with a newline");
  if (in_block) problems.push_back("a block is not closed");
  for (const std::string& name : referenced)
    if (!declared.count(name)) problems.push_back(fmt::format("\"{}\" is not declared", name));
  return problems;
}

TEST(MermaidChecker, FindsWhatIsBroken) {
  EXPECT_EQ(MermaidProblems("erDiagram\n    \"a\" {\n        INTEGER id PK\n    }\n    \"a\" ||--o{ \"a\" : \"x\"\n"),
            std::vector<std::string>{});
  EXPECT_EQ(MermaidProblems("erDiagram\n    \"a\" {\n        INTEGER id PK\n").size(), 1u) << "unclosed";
  EXPECT_EQ(MermaidProblems("erDiagram\n    \"a\"\n    \"a\" ||--o{ \"b\" : \"x\"\n"),
            std::vector<std::string>{"\"b\" is not declared"});
  EXPECT_EQ(MermaidProblems("erDiagram\n    \"a\"\n    \"a\" |--o{ \"a\" : \"x\"\n").size(), 1u) << "bad cardinality";
  EXPECT_EQ(MermaidProblems("erDiagram\n    }\n").size(), 1u) << "a brace without a block";
}

std::optional<VersionedSchema> Load(const std::string& tables) {
  testing::LoadOutcome loaded = testing::LoadOne(tables);
  EXPECT_EQ(loaded.diagnostics, std::vector<std::string>{});
  return loaded.schema;
}

const char* kShop = R"(tables:
  - name: customer
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: email, type: TEXT, unique: true}
      - {name: note, type: TEXT}
  - name: orders
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer_id, type: INTEGER, nullable: false}
      - {name: referrer_id, type: INTEGER}
      - {name: total, type: 'DECIMAL(10,2)'}
    foreign_keys:
      - {columns: [customer_id], references: {table: customer, columns: [id]}}
      - {columns: [referrer_id], references: {table: customer, columns: [id]}}
  - name: order_line
    columns:
      - {name: order_id, type: INTEGER, nullable: false}
      - {name: line, type: INTEGER, nullable: false}
    primary_key: [order_id, line]
    foreign_keys:
      - {columns: [order_id], references: {table: orders, columns: [id]}}
  - name: loyalty_card
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: customer_id, type: INTEGER, nullable: false}
    indexes:
      - {name: one_card_each, columns: [customer_id], unique: true}
    foreign_keys:
      - {columns: [customer_id], references: {table: customer, columns: [id]}}
  - name: profile
    columns:
      - {name: customer_id, type: INTEGER, primary_key: true}
    foreign_keys:
      - {columns: [customer_id], references: {table: customer, columns: [id]}}
)";

TEST(ErdRelationships, ReadCardinalityFromNullabilityAndUniqueness) {
  std::optional<VersionedSchema> schema = Load(kShop);
  ASSERT_TRUE(schema);
  const std::vector<report::ErdRelationship> r = report::ErdRelationships(schema->At(0));
  ASSERT_EQ(r.size(), 5u);
  // orders.customer_id: NOT NULL, not unique: exactly one customer, many orders.
  EXPECT_EQ(r[0].parent, "customer");
  EXPECT_EQ(r[0].child, "orders");
  EXPECT_FALSE(r[0].optional);
  EXPECT_FALSE(r[0].one_to_one);
  EXPECT_FALSE(r[0].identifying);
  // orders.referrer_id: nullable, so zero or one customer.
  EXPECT_TRUE(r[1].optional);
  EXPECT_FALSE(r[1].one_to_one);
  // order_line.order_id: part of the primary key (order_id, line): identifying, many lines.
  EXPECT_TRUE(r[2].identifying);
  EXPECT_FALSE(r[2].one_to_one);
  // loyalty_card.customer_id: a unique index on it: one card per customer.
  EXPECT_TRUE(r[3].one_to_one);
  EXPECT_FALSE(r[3].identifying);
  // profile.customer_id: the primary key itself: one-to-one and identifying.
  EXPECT_TRUE(r[4].one_to_one);
  EXPECT_TRUE(r[4].identifying);
  EXPECT_FALSE(r[4].optional);
}

TEST(ErdMermaid, MarksKeysAndWritesCrowsFeet) {
  std::optional<VersionedSchema> schema = Load(kShop);
  ASSERT_TRUE(schema);
  const std::string keys = report::ErdMermaid(schema->At(0));
  EXPECT_EQ(MermaidProblems(keys), std::vector<std::string>{}) << keys;
  EXPECT_NE(keys.find("        INTEGER id PK\n        TEXT email UK\n    }"), std::string::npos) << keys;
  EXPECT_EQ(keys.find("note"), std::string::npos) << "only key columns by default";
  EXPECT_NE(keys.find("INTEGER customer_id PK, FK"), std::string::npos) << keys;
  EXPECT_NE(keys.find("\"customer\" ||..o{ \"orders\" : \"customer_id\""), std::string::npos) << keys;
  EXPECT_NE(keys.find("\"customer\" |o..o{ \"orders\" : \"referrer_id\""), std::string::npos) << keys;
  EXPECT_NE(keys.find("\"orders\" ||--o{ \"order_line\" : \"order_id\""), std::string::npos) << keys;
  EXPECT_NE(keys.find("\"customer\" ||..o| \"loyalty_card\" : \"customer_id\""), std::string::npos) << keys;
  EXPECT_NE(keys.find("\"customer\" ||--o| \"profile\" : \"customer_id\""), std::string::npos) << keys;
  const std::string all = report::ErdMermaid(schema->At(0), report::ErdColumns::kAll);
  EXPECT_EQ(MermaidProblems(all), std::vector<std::string>{}) << all;
  EXPECT_NE(all.find("TEXT note\n"), std::string::npos) << all;
  EXPECT_NE(all.find("DECIMAL(10_2) total\n"), std::string::npos) << "a comma is not Mermaid's: " << all;
}

TEST(ErdMermaid, QuotesNamesThatMermaidWouldReadAsKeywords) {
  std::optional<VersionedSchema> schema = Load(R"(tables:
  - name: end
    columns:
      - {name: pk, type: INTEGER, primary_key: true}
  - name: tokens
    columns:
      - {name: id, type: INTEGER, primary_key: true}
      - {name: "end id", sql_type: DOUBLE PRECISION}
    foreign_keys:
      - {columns: ["end id"], references: {table: end, columns: [pk]}}
)");
  ASSERT_TRUE(schema);
  const std::string text = report::ErdMermaid(schema->At(0));
  EXPECT_EQ(MermaidProblems(text), std::vector<std::string>{}) << text;
  EXPECT_NE(text.find("INTEGER pk_ PK"), std::string::npos) << text;
  EXPECT_NE(text.find("DOUBLE_PRECISION end_id FK"), std::string::npos) << text;
  EXPECT_NE(text.find("\"end\" |o..o{ \"tokens\" : \"end id\""), std::string::npos) << text;
}

// The schema at `tag` of ChefSocial, with the diagrams of it.
struct ChefSocialAt {
  Schema schema;
  std::string mermaid, dot;
};

ChefSocialAt ChefSocial(const std::string& tag) {
  Diagnostics d;
  std::optional<VersionedSchema> versioned = yaml::LoadSchemaDir(testing::SourceDir() / "schema", d);
  EXPECT_TRUE(versioned);
  ChefSocialAt at;
  at.schema = versioned->At(*versioned->project.TagIndex(tag));
  at.mermaid = report::ErdMermaid(at.schema);
  at.dot = report::ErdDot(at.schema);
  return at;
}

TEST(ErdChefSocial, EveryTableAndForeignKeyIsDrawnAtTwoTags) {
  for (const auto& [tag, tables] : {std::pair{"baseline", 6u}, std::pair{"phase4", 17u}}) {
    const ChefSocialAt at = ChefSocial(tag);
    EXPECT_EQ(at.schema.tables.size(), tables) << tag;
    EXPECT_EQ(MermaidProblems(at.mermaid), std::vector<std::string>{}) << tag << "\n" << at.mermaid;
    size_t foreign_keys = 0;
    for (const Table& t : at.schema.tables) {
      EXPECT_NE(at.mermaid.find("\n    \"" + t.name + "\""), std::string::npos) << tag << ": " << t.name;
      EXPECT_NE(at.dot.find("\n  \"" + t.name + "\" [label=<"), std::string::npos) << tag << ": " << t.name;
      for (const ForeignKey& fk : t.foreign_keys) {
        ++foreign_keys;
        const std::regex line("\n    \"" + fk.ref_table + "\" \\S+ \"" + t.name + "\" : \"" + fk.columns[0] + "\"\n");
        EXPECT_TRUE(std::regex_search(at.mermaid, line)) << tag << ": " << t.name << " -> " << fk.ref_table;
        EXPECT_NE(at.dot.find("\n  \"" + fk.ref_table + "\" -> \"" + t.name + "\" ["), std::string::npos)
            << tag << ": " << t.name << " -> " << fk.ref_table;
      }
    }
    EXPECT_EQ(report::ErdRelationships(at.schema).size(), foreign_keys) << tag;
    EXPECT_GT(foreign_keys, tag == std::string("baseline") ? 3u : 15u) << tag;
  }
  EXPECT_EQ(ChefSocial("baseline").mermaid.find("subscriptions"), std::string::npos) << "a phase4 table";
  // One profile per user: its key is the user's id.
  EXPECT_NE(ChefSocial("phase4").mermaid.find("\"users\" ||--o| \"user_profiles\" : \"user_id\""), std::string::npos);
}

bool HaveDot() { return std::system("command -v dot >/dev/null 2>&1") == 0; }

// In CI scripts/setup installs Graphviz; elsewhere a test that needs it skips.
#define REQUIRE_DOT()                                                                        \
  do {                                                                                       \
    if (HaveDot()) break;                                                                    \
    const char* ci = std::getenv("CI");                                                      \
    if (ci && std::string(ci) == "true") FAIL() << "dot not on PATH and CI=true; scripts/setup installs graphviz"; \
    GTEST_SKIP() << "Graphviz's dot is not on PATH (apt-get install graphviz)";              \
  } while (false)

TEST(ErdChefSocial, GraphvizDrawsTheDotText) {
  REQUIRE_DOT();
  for (const char* tag : {"baseline", "phase4"}) {
    const ChefSocialAt at = ChefSocial(tag);
    testing::TempDir dir;
    const std::filesystem::path in = dir.Write("schema.dot", at.dot);
    const std::string command = fmt::format("dot -Tsvg '{}' -o '{}' 2>'{}'", in.string(), (dir / "out.svg").string(),
                                            (dir / "err.txt").string());
    ASSERT_EQ(std::system(command.c_str()), 0) << testing::ReadFile(dir / "err.txt");
    EXPECT_EQ(testing::ReadFile(dir / "err.txt"), "") << "no warning either";
    const std::string svg = testing::ReadFile(dir / "out.svg");
    EXPECT_NE(svg.find("<svg"), std::string::npos);
    for (const Table& t : at.schema.tables) EXPECT_NE(svg.find(">" + t.name + "<"), std::string::npos) << t.name;
  }
}

TEST(ErdChefSocial, TheReadmesDiagramShowsEveryTableOfPhase4) {
  const std::string svg = testing::ReadFile(testing::SourceDir() / "docs" / "chefsocial-phase4.svg");
  ASSERT_NE(svg.find("<svg"), std::string::npos) << "docs/chefsocial-phase4.svg: strata erd --tag phase4 --format svg";
  const ChefSocialAt at = ChefSocial("phase4");
  for (const Table& t : at.schema.tables)
    EXPECT_NE(svg.find(">" + t.name + "<"), std::string::npos) << t.name << ": redraw docs/chefsocial-phase4.svg";
  size_t edges = 0;
  for (size_t i = svg.find("class=\"edge\""); i != std::string::npos; i = svg.find("class=\"edge\"", i + 1)) ++edges;
  EXPECT_EQ(edges, report::ErdRelationships(at.schema).size()) << "every foreign key is a line";
}

std::string SchemaDir() { return (testing::SourceDir() / "schema").string(); }

TEST(ErdCli, WritesMermaidByDefaultAndDotOnRequest) {
  testing::CommandResult r = testing::RunStrata({"erd", "--schema", SchemaDir(), "--tag", "phase2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(MermaidProblems(r.out), std::vector<std::string>{}) << r.out;
  EXPECT_NE(r.out.find("\"admin_users\""), std::string::npos);
  EXPECT_EQ(r.out.find("\"teams\""), std::string::npos) << "a phase3 table";
  r = testing::RunStrata({"erd", "--schema", SchemaDir(), "--format", "dot", "--all-columns"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(r.out.starts_with("digraph schema {")) << r.out;
  EXPECT_NE(r.out.find("\"teams\""), std::string::npos) << "the last tag by default";
  EXPECT_NE(r.out.find(">bio<"), std::string::npos) << "a column that is no key";
}

TEST(ErdCli, RefusesAnUnknownTagOrFormat) {
  testing::CommandResult r = testing::RunStrata({"erd", "--schema", SchemaDir(), "--tag", "phase9"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown tag \"phase9\""), std::string::npos) << r.err;
  r = testing::RunStrata({"erd", "--schema", SchemaDir(), "--format", "png"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
}

TEST(ErdCli, SvgNeedsDotAndSaysSo) {
  testing::TempDir empty;
  testing::CommandResult r;
  {
    testing::ScopedEnv path("PATH", empty.path().string());
    r = testing::RunStrata({"erd", "--schema", SchemaDir(), "--format", "svg"});
  }
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.out, "");
  EXPECT_NE(r.err.find("strata: error: --format svg needs Graphviz's `dot` on PATH"), std::string::npos) << r.err;
}

TEST(ErdCli, SvgComesFromDot) {
  REQUIRE_DOT();
  testing::CommandResult r = testing::RunStrata({"erd", "--schema", SchemaDir(), "--tag", "phase4", "--format", "svg"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("<svg"), std::string::npos);
  EXPECT_NE(r.out.find(">content_performance<"), std::string::npos);
}

}  // namespace
}  // namespace strata
