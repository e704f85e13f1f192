// Inspecting PostgreSQL from pg_catalog, and drift on a real server: the
// ChefSocial schema reads back as its YAML at every tag (and re-creates
// itself from what was read); a hand-written database that uses every
// object kind reads back field by field, with what the model cannot hold
// named; and every kind of hand change is found, one finding per object.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include "base/diagnostic.h"
#include "base/strings.h"
#include "diff/differ.h"
#include "migrate/generator.h"
#include "migrate/runner.h"
#include "pg_test_util.h"
#include "postgres/connection.h"
#include "postgres/inspect.h"
#include "postgres/planner.h"
#include "postgres/postgres_dialect.h"
#include "test_util.h"
#include "yaml/load_helper.h"
#include "yaml/loader.h"

namespace strata::testing {
namespace {

using postgres::PostgresConnection;

struct ChefSocial {
  VersionedSchema schema;
  std::vector<MigrationEntry> entries;
};

const ChefSocial& Load() {
  static const ChefSocial loaded = [] {
    Diagnostics d;
    std::optional<VersionedSchema> schema = yaml::LoadSchemaDir(SourceDir() / "schema", d);
    EXPECT_TRUE(schema.has_value());
    ChefSocial out{*schema, {}};
    std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
    const GenerateResult generated = GenerateMigrations(out.schema, *dialect, {});
    Result<std::vector<MigrationEntry>> entries = LoadMigrations(generated.files, out.schema.project);
    EXPECT_TRUE(entries.ok()) << entries.status().message();
    if (entries.ok()) out.entries = *entries;
    return out;
  }();
  return loaded;
}

std::unique_ptr<PostgresConnection> Open(const std::string& url) {
  Result<std::unique_ptr<PostgresConnection>> conn = PostgresConnection::Open(url);
  EXPECT_TRUE(conn.ok()) << conn.status().message();
  return conn.ok() ? std::move(conn.value()) : nullptr;
}

std::vector<std::string> Findings(PostgresConnection& conn, const VersionedSchema& schema, int tag) {
  std::unique_ptr<Dialect> dialect = postgres::MakeDialect();
  Result<Schema> live = conn.Inspect();
  EXPECT_TRUE(live.ok()) << live.status().message();
  if (!live.ok()) return {"inspect failed"};
  Result<std::vector<DriftItem>> drift = DriftAtTag(conn, *dialect, schema, *live, tag);
  EXPECT_TRUE(drift.ok()) << drift.status().message();
  if (!drift.ok()) return {"drift failed"};
  std::vector<std::string> out;
  for (const DriftItem& d : *drift) out.push_back(d.table + ": " + d.finding);
  return out;
}

// Creates `schema` with the dialect's own plan in the empty database `url`.
void Create(const std::string& url, const Schema& schema) {
  std::unique_ptr<PostgresConnection> conn = Open(url);
  ASSERT_TRUE(conn);
  Status s = conn->CreateSchema(schema);
  ASSERT_TRUE(s.ok()) << s.message();
}

TEST(PgInspect, ChefSocialReadsBackAsItsYamlAtEveryTagAndRecreatesItself) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  std::unique_ptr<PostgresConnection> conn = Open(db->url());
  ASSERT_TRUE(conn);
  for (const MigrationEntry& e : c.entries) {
    std::string err;
    ASSERT_EQ(RunPsql(db->url(), e.up_sql, &err), 0) << e.up_file << ": " << err;
    const int tag = *c.schema.project.TagIndex(e.tag);
    EXPECT_EQ(Findings(*conn, c.schema, tag), std::vector<std::string>{}) << e.tag;

    Result<Schema> live = conn->Inspect();
    ASSERT_TRUE(live.ok()) << live.status().message();
    EXPECT_TRUE(live->unmodelled.empty()) << live->unmodelled.front().name;
    // The YAML's types come back as the YAML's types.
    const Table* users = live->FindTable("users");
    ASSERT_NE(users, nullptr);
    const Column* id = users->FindColumn("id");
    ASSERT_NE(id, nullptr);
    EXPECT_EQ(id->type, "TEXT");
    EXPECT_FALSE(id->verbatim_type);
    EXPECT_TRUE(id->primary_key);
    EXPECT_EQ(users->FindColumn("preferred_language")->default_value, DefaultValue::Literal(Value::Text("en")));
    if (const Table* audit = live->FindTable("audit_logs")) {
      EXPECT_EQ(audit->FindColumn("id")->type, "INTEGER");
      EXPECT_TRUE(audit->FindColumn("id")->autoincrement);
    }

    // What was read creates the same schema again.
    STRATA_TEST_DATABASE(copy);
    Create(copy->url(), *live);
    std::unique_ptr<PostgresConnection> other = Open(copy->url());
    Result<Schema> again = other->Inspect();
    ASSERT_TRUE(again.ok()) << again.status().message();
    EXPECT_TRUE(Diff(*live, *again, {}, {.compare_rows = false}).empty()) << e.tag;
    EXPECT_EQ(*live, *again) << e.tag;
  }
}

constexpr const char* kEveryKind = R"sql(
CREATE EXTENSION citext;
CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
CREATE DOMAIN positive AS integer CHECK (VALUE > 0);
CREATE SEQUENCE invoice_numbers;
CREATE TABLE accounts (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email citext NOT NULL,
  handle varchar(40) NOT NULL,
  status text NOT NULL DEFAULT 'active',
  score double precision DEFAULT 0.5,
  credits integer DEFAULT -3,
  verified boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  settings jsonb NOT NULL DEFAULT '{}',
  feeling mood,
  code text COLLATE "C",
  handle_lower text GENERATED ALWAYS AS (lower(handle)) STORED,
  tags text[],
  CONSTRAINT accounts_handle_key UNIQUE (handle),
  CONSTRAINT handle_not_blank CHECK (handle <> ''),
  CHECK (score >= 0)
);
CREATE TABLE teams (
  org bigint NOT NULL,
  slug text NOT NULL,
  owner_id bigint REFERENCES accounts (id) ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED,
  quantity positive,
  PRIMARY KEY (org, slug),
  UNIQUE (owner_id, slug)
);
CREATE TABLE members (
  id serial PRIMARY KEY,
  org bigint NOT NULL,
  slug text NOT NULL,
  account_id bigint NOT NULL,
  joined date,
  FOREIGN KEY (org, slug) REFERENCES teams (org, slug) ON DELETE CASCADE,
  CONSTRAINT members_account_fk FOREIGN KEY (account_id) REFERENCES accounts (id) NOT VALID
);
CREATE INDEX members_by_account ON members (account_id, joined DESC);
CREATE UNIQUE INDEX accounts_lower_email ON accounts (lower(email::text));
CREATE INDEX accounts_active ON accounts (created_at) WHERE status = 'active';
CREATE INDEX accounts_code_c ON accounts (handle COLLATE "C");
CREATE INDEX accounts_including ON accounts (status) INCLUDE (handle);
CREATE INDEX accounts_settings ON accounts USING gin (settings);
CREATE TABLE bookings (id bigint PRIMARY KEY, during tsrange, EXCLUDE USING gist (during WITH &&));
CREATE TABLE events (id bigint, at date) PARTITION BY RANGE (at);
CREATE TABLE events_2026 PARTITION OF events FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');
CREATE VIEW active_accounts AS SELECT id, handle FROM accounts WHERE status = 'active';
CREATE MATERIALIZED VIEW account_counts AS SELECT status, count(*) AS n FROM accounts GROUP BY status;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
CREATE TRIGGER accounts_touch BEFORE UPDATE ON accounts FOR EACH ROW EXECUTE FUNCTION touch();
INSERT INTO accounts (email, handle) VALUES ('A@x', 'a');
)sql";

TEST(PgInspect, AHandWrittenDatabaseReadsBackFieldByFieldAndNamesWhatTheModelCannotHold) {
  STRATA_TEST_DATABASE(db);
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), kEveryKind, &err), 0) << err;
  std::unique_ptr<PostgresConnection> conn = Open(db->url());
  ASSERT_TRUE(conn);
  Result<Schema> live = conn->Inspect();
  ASSERT_TRUE(live.ok()) << live.status().message();

  std::vector<std::string> unmodelled;
  for (const UnmodelledObject& o : live->unmodelled) unmodelled.push_back(o.name + ": " + o.what);
  std::sort(unmodelled.begin(), unmodelled.end());
  std::vector<std::string> expected = {
      "account_counts: materialized view",
      "accounts_including: index with INCLUDE columns on \"accounts\"",
      "accounts_settings: gin index on \"accounts\"",
      "accounts_touch: trigger on \"accounts\" (function touch)",
      "bookings_during_excl: exclusion constraint on \"bookings\" (EXCLUDE USING gist (during WITH &&))",
      "citext: extension",
      "events: partitioned table",
      "events_2026: partition of \"events\"",
      "invoice_numbers: sequence that no column owns",
      "mood: enum type",
      "positive: domain",
      "touch: function"};
  std::sort(expected.begin(), expected.end());
  EXPECT_EQ(unmodelled, expected);

  const Table* accounts = live->FindTable("accounts");
  ASSERT_NE(accounts, nullptr);
  ASSERT_EQ(accounts->columns.size(), 13u);
  const auto column = [&](const char* name) {
    const Column* c = accounts->FindColumn(name);
    EXPECT_NE(c, nullptr) << name;
    return c ? *c : Column{};
  };
  EXPECT_TRUE(column("id").autoincrement);
  EXPECT_TRUE(column("id").primary_key);
  EXPECT_EQ(column("email").type, "citext");
  EXPECT_TRUE(column("email").verbatim_type);
  EXPECT_FALSE(column("email").nullable);
  EXPECT_EQ(column("handle").type, "VARCHAR(40)");
  EXPECT_TRUE(column("handle").unique);
  EXPECT_EQ(column("status").default_value, DefaultValue::Literal(Value::Text("active")));
  EXPECT_EQ(column("score").default_value, DefaultValue::Literal(Value::Real(0.5)));
  EXPECT_EQ(column("credits").type, "integer");
  EXPECT_EQ(column("credits").default_value, DefaultValue::Literal(Value::Int(-3)));
  EXPECT_EQ(column("verified").default_value, DefaultValue::Literal(Value::Bool(false)));
  EXPECT_EQ(column("created_at").type, "DATETIME");
  EXPECT_EQ(column("created_at").default_value, DefaultValue::Sql("now()"));
  EXPECT_EQ(column("settings").type, "JSON");
  EXPECT_EQ(column("settings").default_value, DefaultValue::Literal(Value::Text("{}")));
  EXPECT_EQ(column("feeling").type, "mood");
  EXPECT_EQ(column("code").collation, "BINARY");
  EXPECT_EQ(column("tags").type, "text ARRAY");  // as the YAML's sql_type takes it
  ASSERT_TRUE(column("handle_lower").generated.has_value());
  EXPECT_TRUE(column("handle_lower").generated->stored);
  EXPECT_EQ(column("handle_lower").generated->expr, "lower((handle)::text)");
  // An unnamed CHECK on one column is the column's (PostgreSQL names it accounts_score_check).
  EXPECT_EQ(column("score").check, "score >= 0::double precision");
  ASSERT_EQ(accounts->checks.size(), 1u);
  EXPECT_EQ(accounts->checks[0].name, "handle_not_blank");
  EXPECT_EQ(accounts->checks[0].expr, "handle::text <> ''::text");

  std::vector<std::string> indexes;
  for (const Index& i : accounts->indexes) {
    std::string parts;
    for (const IndexPart& p : i.parts)
      parts += (parts.empty() ? "" : ",") + (p.column.empty() ? "expr:" + p.expression : p.column) +
               (p.descending ? " desc" : "") + (p.collation.empty() ? "" : " collate " + p.collation);
    indexes.push_back(fmt::format("{}{}({}){}", i.name, i.unique ? " unique" : "", parts, i.where.empty() ? "" : " where " + i.where));
  }
  EXPECT_EQ(indexes, (std::vector<std::string>{"accounts_active(created_at) where status = 'active'::text",
                                               "accounts_code_c(handle collate BINARY)",
                                               "accounts_lower_email unique(expr:lower(email::text))"}));

  const Table* teams = live->FindTable("teams");
  ASSERT_NE(teams, nullptr);
  EXPECT_EQ(teams->primary_key, (std::vector<std::string>{"org", "slug"}));
  ASSERT_EQ(teams->uniques.size(), 1u);
  EXPECT_EQ(teams->uniques[0].columns, (std::vector<std::string>{"owner_id", "slug"}));
  ASSERT_EQ(teams->foreign_keys.size(), 1u);
  EXPECT_EQ(teams->foreign_keys[0].ref_table, "accounts");
  EXPECT_EQ(teams->foreign_keys[0].on_delete, FkAction::kSetNull);
  EXPECT_EQ(teams->foreign_keys[0].on_update, FkAction::kCascade);
  EXPECT_TRUE(teams->foreign_keys[0].deferred);
  EXPECT_EQ(teams->FindColumn("quantity")->type, "positive");

  const Table* members = live->FindTable("members");
  ASSERT_NE(members, nullptr);
  EXPECT_TRUE(members->FindColumn("id")->autoincrement) << "serial";
  EXPECT_FALSE(members->FindColumn("id")->default_value.has_value());
  EXPECT_EQ(members->FindColumn("id")->type, "integer");
  ASSERT_EQ(members->foreign_keys.size(), 2u);
  EXPECT_EQ(members->foreign_keys[0].columns, (std::vector<std::string>{"account_id"}));  // NOT VALID, still a key
  EXPECT_EQ(members->foreign_keys[1].columns, (std::vector<std::string>{"org", "slug"}));
  EXPECT_EQ(members->foreign_keys[1].ref_columns, (std::vector<std::string>{"org", "slug"}));
  EXPECT_EQ(members->foreign_keys[1].on_delete, FkAction::kCascade);
  ASSERT_EQ(members->indexes.size(), 1u);
  EXPECT_TRUE(members->indexes[0].parts[1].descending);

  ASSERT_EQ(live->views.size(), 1u);
  EXPECT_TRUE(live->views[0].sql.starts_with("CREATE VIEW active_accounts AS SELECT")) << live->views[0].sql;
  EXPECT_EQ(live->FindTable("strata_migrations"), nullptr);
  EXPECT_EQ(live->FindTable("events"), nullptr);

  // The modelled part creates itself again, identically (the types and
  // extension it needs first).
  STRATA_TEST_DATABASE(copy);
  ASSERT_EQ(RunPsql(copy->url(),
                    "CREATE EXTENSION citext; CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy'); "
                    "CREATE DOMAIN positive AS integer CHECK (VALUE > 0);",
                    &err),
            0)
      << err;
  Schema modelled = *live;
  modelled.unmodelled.clear();
  Create(copy->url(), modelled);
  Result<Schema> again = Open(copy->url())->Inspect();
  ASSERT_TRUE(again.ok()) << again.status().message();
  for (const char* kind : {"extension", "enum type", "domain"})
    std::erase_if(again->unmodelled, [&](const UnmodelledObject& o) { return o.what == kind; });
  EXPECT_TRUE(again->unmodelled.empty());
  again->unmodelled = live->unmodelled;
  EXPECT_TRUE(Diff(*live, *again, {}, {.compare_rows = false}).empty());
}

TEST(PgDrift, EveryKindOfHandChangeIsFoundOnePerObjectAndACleanDatabaseHasNone) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  std::string err;
  for (const MigrationEntry& e : c.entries) ASSERT_EQ(RunPsql(db->url(), e.up_sql, &err), 0) << e.up_file << ": " << err;
  const int last = c.schema.project.last_tag();
  std::unique_ptr<PostgresConnection> conn = Open(db->url());
  ASSERT_TRUE(conn);
  ASSERT_EQ(Findings(*conn, c.schema, last), std::vector<std::string>{});
  // Populated, so that the changes run against rows as they would in production.
  ASSERT_EQ(RunPsql(db->url(),
                    "INSERT INTO users (id, email, password_hash, name, restaurant_name) VALUES "
                    "('u1', 'a@x', 'h', 'A', 'r'), ('u2', 'b@x', 'h', 'B', 'r');"
                    "INSERT INTO conversations (user_id, transcript) VALUES ('u1', 't');",
                    &err),
            0)
      << err;

  struct HandChange {
    const char* sql;
    const char* table;
    const char* finding;  // a fragment of the one finding expected
  };
  const HandChange changes[] = {
      {"CREATE TABLE scratch (id bigint)", "scratch", "extra"},
      {"DROP TABLE audit_logs", "audit_logs", "missing"},
      {"ALTER TABLE users ADD COLUMN nickname text", "users", "nickname"},
      {"ALTER TABLE users DROP COLUMN ambiance", "users", "ambiance"},
      {"ALTER TABLE users ALTER COLUMN restaurant_name TYPE varchar(80)", "users", "restaurant_name"},
      {"ALTER TABLE users ALTER COLUMN restaurant_name SET NOT NULL", "users", "restaurant_name"},
      {"ALTER TABLE users ALTER COLUMN ambiance SET DEFAULT 'hi'", "users", "ambiance"},
      {"ALTER TABLE users ALTER COLUMN preferred_language SET DEFAULT 'fr'", "users", "preferred_language"},
      {"ALTER TABLE users DROP CONSTRAINT users_email_key", "users", "email"},
      {"ALTER TABLE users ADD CONSTRAINT name_short CHECK (length(name) < 500)", "users", "CHECK"},
      {"ALTER TABLE conversations DROP CONSTRAINT conversations_user_id_fkey", "conversations", "foreign key"},
      {"ALTER TABLE conversations DROP CONSTRAINT conversations_user_id_fkey, ADD CONSTRAINT "
       "conversations_user_id_fkey FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE SET NULL",
       "conversations", "foreign key"},
      {"CREATE INDEX users_by_name ON users (name)", "users", "users_by_name"},
      {"DROP INDEX idx_conversations_created", "conversations", "idx_conversations_created"},
      {"DROP INDEX idx_conversations_created; CREATE INDEX idx_conversations_created ON conversations (created_at DESC)",
       "conversations", "idx_conversations_created"},
  };
  for (const HandChange& change : changes) {
    ASSERT_TRUE(conn->session().Exec("BEGIN").ok());
    Status s = conn->session().Exec(change.sql);
    ASSERT_TRUE(s.ok()) << change.sql << ": " << s.message();
    const std::vector<std::string> found = Findings(*conn, c.schema, last);
    ASSERT_TRUE(conn->session().Exec("ROLLBACK").ok());
    ASSERT_EQ(found.size(), 1u) << change.sql << "\n" << fmt::format("{}", fmt::join(found, "\n"));
    EXPECT_TRUE(found[0].starts_with(std::string(change.table) + ": ")) << change.sql << ": " << found[0];
    EXPECT_NE(found[0].find(change.finding), std::string::npos) << change.sql << ": " << found[0];
  }
  // Nothing of the comparisons stayed behind: no scratch schema, no change.
  EXPECT_EQ(PgQuery(db->url(), "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'strata_expected_%'"), "0");
  EXPECT_EQ(Findings(*conn, c.schema, last), std::vector<std::string>{});
}

TEST(PgDrift, AReadOnlySessionComparesWithoutWritingAnything) {
  STRATA_TEST_DATABASE(db);
  const ChefSocial& c = Load();
  std::string err;
  ASSERT_EQ(RunPsql(db->url(), c.entries.front().up_sql, &err), 0) << err;
  Result<std::unique_ptr<PostgresConnection>> conn = PostgresConnection::Open(db->url(), {.read_only = true});
  ASSERT_TRUE(conn.ok());
  EXPECT_EQ(Findings(**conn, c.schema, *c.schema.project.TagIndex(c.entries.front().tag)), std::vector<std::string>{});
  // The session stays read-only afterwards.
  EXPECT_FALSE((*conn)->session().Exec("CREATE TABLE x (id int)").ok());
}

}  // namespace
}  // namespace strata::testing
