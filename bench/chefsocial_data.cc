#include "chefsocial_data.h"

#include <fmt/format.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string_view>

#include "base/sha256.h"
#include "sqlite/create.h"
#include "sqlite/database.h"
#include "sqlite/sql_writer.h"

namespace strata::bench {
namespace {

// Bump when the generated content changes: cached files are then rebuilt.
constexpr int kGeneratorVersion = 1;
constexpr uint64_t kSeed = 0x5EEDC0FFEE2024ULL;

// Julian day numbers of the data year's bounds.
constexpr double kYearStart = 2460492.5;  // 2024-07-01 00:00:00
constexpr double kNow = 2460857.5;        // 2025-07-01 00:00:00

uint64_t SplitMix64(uint64_t x) {
  x += 0x9E3779B97F4A7C15ULL;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ULL;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBULL;
  return x ^ (x >> 31);
}

// A non-negative 63-bit hash of (n, salt) under the fixed seed.
int64_t Hash(int64_t n, int64_t salt) {
  const uint64_t h = SplitMix64(SplitMix64(static_cast<uint64_t>(n) ^ kSeed) ^
                                (static_cast<uint64_t>(salt) * 0xD6E8FEB86659FD93ULL));
  return static_cast<int64_t>(h >> 1);
}

double Unit(int64_t n, int64_t salt) {
  return static_cast<double>(static_cast<uint64_t>(Hash(n, salt)) >> 10) / static_cast<double>(1ULL << 53);
}

// Per-user activity: a Zipf-Mandelbrot law p(rank) ~ 1 / (rank + q)^s over
// the users, whose ranks are a fixed permutation of the user numbers.
class Activity {
 public:
  explicit Activity(int64_t users) : users_(users), cdf_(static_cast<size_t>(users)), rank_to_user_(static_cast<size_t>(users)),
                                     user_to_rank_(static_cast<size_t>(users)) {
    constexpr double kS = 1.0;
    constexpr double kQ = 10.0;
    double total = 0;
    for (int64_t r = 0; r < users; ++r) {
      total += 1.0 / std::pow(static_cast<double>(r + 1) + kQ, kS);
      cdf_[static_cast<size_t>(r)] = total;
    }
    for (double& c : cdf_) c /= total;
    for (int64_t i = 0; i < users; ++i) rank_to_user_[static_cast<size_t>(i)] = i + 1;
    for (int64_t i = users - 1; i > 0; --i)  // Fisher-Yates with the fixed hash
      std::swap(rank_to_user_[static_cast<size_t>(i)],
                rank_to_user_[static_cast<size_t>(Hash(i, 0xACE) % (i + 1))]);
    for (int64_t r = 0; r < users; ++r)
      user_to_rank_[static_cast<size_t>(rank_to_user_[static_cast<size_t>(r)] - 1)] = r;
  }

  // The user (1-based) behind the row (n, salt), drawn by activity.
  int64_t User(int64_t n, int64_t salt) const {
    const double u = Unit(n, salt);
    const size_t rank = static_cast<size_t>(std::lower_bound(cdf_.begin(), cdf_.end(), u) - cdf_.begin());
    return rank_to_user_[std::min(rank, cdf_.size() - 1)];
  }

  // A user's expected share of the rows times the number of users (mean 1).
  double Weight(int64_t user) const {
    if (user < 1 || user > users_) return 0;
    const size_t r = static_cast<size_t>(user_to_rank_[static_cast<size_t>(user - 1)]);
    const double p = cdf_[r] - (r ? cdf_[r - 1] : 0.0);
    return p * static_cast<double>(users_);
  }

 private:
  int64_t users_;
  std::vector<double> cdf_;
  std::vector<int64_t> rank_to_user_;
  std::vector<int64_t> user_to_rank_;
};

constexpr std::array<std::string_view, 64> kWords = {
    "fresh",  "basil",   "tomato",  "burrata", "sourdough", "crispy",  "smoked",   "brisket",
    "garlic", "butter",  "lemon",   "thyme",   "risotto",   "truffle", "seasonal", "menu",
    "chef",   "special", "tonight", "weekend", "brunch",    "dinner",  "local",    "farm",
    "market", "wine",    "pairing", "dessert", "chocolate", "tart",    "citrus",   "herb",
    "grilled", "octopus", "ramen",  "broth",   "noodles",   "spicy",   "chili",    "oil",
    "pasta",  "handmade", "ravioli", "ricotta", "spinach",  "salmon",  "cured",    "pickled",
    "onion",  "radish",  "crunchy", "golden",  "roasted",   "squash",  "maple",    "pecan",
    "cozy",   "terrace", "sunset",  "cocktail", "bar",      "team",    "kitchen",  "love"};

// Registers the generator's SQL functions on `db`. They are deterministic
// (same arguments, same result) and live only on this connection.
void RegisterFunctions(sqlite3* db, const Activity* activity) {
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC;

  // bench_hash(n, salt): a non-negative 63-bit integer.
  sqlite3_create_function_v2(
      db, "bench_hash", 2, flags, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        sqlite3_result_int64(ctx, Hash(sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1])));
      },
      nullptr, nullptr, nullptr);
  // bench_unit(n, salt): a real in [0, 1).
  sqlite3_create_function_v2(
      db, "bench_unit", 2, flags, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        sqlite3_result_double(ctx, Unit(sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1])));
      },
      nullptr, nullptr, nullptr);
  // bench_user(n, salt): a user number drawn by activity.
  sqlite3_create_function_v2(
      db, "bench_user", 2, flags, const_cast<Activity*>(activity),
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        const auto* a = static_cast<const Activity*>(sqlite3_user_data(ctx));
        sqlite3_result_int64(ctx, a->User(sqlite3_value_int64(argv[0]), sqlite3_value_int64(argv[1])));
      },
      nullptr, nullptr, nullptr);
  // bench_weight(user): the user's activity weight (mean 1).
  sqlite3_create_function_v2(
      db, "bench_weight", 1, flags, const_cast<Activity*>(activity),
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        const auto* a = static_cast<const Activity*>(sqlite3_user_data(ctx));
        sqlite3_result_double(ctx, a->Weight(sqlite3_value_int64(argv[0])));
      },
      nullptr, nullptr, nullptr);
  // bench_uuid(kind, n): a UUID v4 in text form.
  sqlite3_create_function_v2(
      db, "bench_uuid", 2, flags, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        const int64_t kind = sqlite3_value_int64(argv[0]);
        const int64_t n = sqlite3_value_int64(argv[1]);
        const uint64_t hi = static_cast<uint64_t>(Hash(n, kind * 2 + 1000)) << 1;
        const uint64_t lo = static_cast<uint64_t>(Hash(n, kind * 2 + 1001)) << 1;
        const std::string text = fmt::format("{:08x}-{:04x}-4{:03x}-{:x}{:03x}-{:012x}", hi >> 32, (hi >> 16) & 0xFFFF,
                                             hi & 0xFFF, 8 + ((lo >> 62) & 3), (lo >> 48) & 0xFFF,
                                             lo & 0xFFFFFFFFFFFFULL);
        sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
      },
      nullptr, nullptr, nullptr);
  // bench_hex(n, salt, length): lower-case hex digits.
  sqlite3_create_function_v2(
      db, "bench_hex", 3, flags, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        const int64_t n = sqlite3_value_int64(argv[0]);
        const int64_t salt = sqlite3_value_int64(argv[1]);
        const int64_t length = std::clamp<int64_t>(sqlite3_value_int64(argv[2]), 0, 4096);
        std::string text;
        text.reserve(static_cast<size_t>(length));
        for (int64_t block = 0; static_cast<int64_t>(text.size()) < length; ++block) {
          uint64_t h = static_cast<uint64_t>(Hash(n * 64 + block, salt));
          for (int i = 0; i < 15 && static_cast<int64_t>(text.size()) < length; ++i, h >>= 4)
            text.push_back("0123456789abcdef"[h & 15]);
        }
        sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
      },
      nullptr, nullptr, nullptr);
  // bench_text(n, salt, min_words, max_words): words from a food vocabulary.
  sqlite3_create_function_v2(
      db, "bench_text", 4, flags, nullptr,
      [](sqlite3_context* ctx, int, sqlite3_value** argv) {
        const int64_t n = sqlite3_value_int64(argv[0]);
        const int64_t salt = sqlite3_value_int64(argv[1]);
        const int64_t lo = std::max<int64_t>(1, sqlite3_value_int64(argv[2]));
        const int64_t hi = std::max<int64_t>(lo, sqlite3_value_int64(argv[3]));
        const int64_t count = lo + Hash(n, salt) % (hi - lo + 1);
        std::string text;
        uint64_t h = static_cast<uint64_t>(Hash(n, salt + 1));
        for (int64_t i = 0; i < count; ++i) {
          if (i % 10 == 9) h = static_cast<uint64_t>(Hash(n * 1024 + i, salt + 2));
          if (i) text.push_back(' ');
          text.append(kWords[h & 63]);
          h >>= 6;
        }
        sqlite3_result_text(ctx, text.data(), static_cast<int>(text.size()), SQLITE_TRANSIENT);
      },
      nullptr, nullptr, nullptr);
}

struct Sizes {
  int64_t users, conversations, content, audit_logs, user_sessions, notifications;
};

Sizes SizesFor(double scale) {
  auto scaled = [scale](double full, int64_t minimum) {
    return std::max(minimum, static_cast<int64_t>(std::llround(full * scale)));
  };
  return {.users = scaled(100'000, 100),
          .conversations = scaled(1'000'000, 1'000),
          .content = scaled(1'000'000, 1'000),
          .audit_logs = scaled(500'000, 500),
          .user_sessions = scaled(200'000, 200),
          .notifications = scaled(500'000, 500)};
}

// A recursive counter 1..count, as a common table expression.
std::string Seq(int64_t count) {
  return fmt::format("WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < {})", count);
}

// The plan of user n: 0 starter, 1 professional, 2 enterprise.
constexpr std::string_view kPlan =
    "(CASE WHEN bench_hash({0}, 20) % 100 < 50 THEN 0 WHEN bench_hash({0}, 20) % 100 < 85 THEN 1 ELSE 2 END)";
// Months a paying user n has been subscribed (1..12).
constexpr std::string_view kMonthsActive = "(1 + bench_hash({0}, 602) % 12)";

std::string Plan(std::string_view n) { return fmt::format(fmt::runtime(kPlan), n); }
std::string MonthsActive(std::string_view n) { return fmt::format(fmt::runtime(kMonthsActive), n); }

// A timestamp as CURRENT_TIMESTAMP writes it, from a Julian day expression.
std::string Timestamp(const std::string& julian_day) { return "datetime(" + julian_day + ")"; }

std::vector<std::pair<std::string, std::string>> FillStatements(const Sizes& s) {
  const std::string year_start = fmt::format("{}", kYearStart);
  const std::string now = fmt::format("{}", kNow);
  std::vector<std::pair<std::string, std::string>> out;

  // users: created over the 2.5 years before now; 70% pay through Stripe.
  out.emplace_back("users", fmt::format(R"(
INSERT INTO users(rowid, id, email, password_hash, name, restaurant_name, stripe_customer_id, brand_colors,
  brand_fonts, specialties, ambiance, target_audience, unique_selling_points, brand_personality, content_tone,
  key_messages, preferred_language, trial_ends_at, status, created_at, updated_at, last_login, email_verified)
{0}
SELECT n, bench_uuid(1, n),
  printf('chef%d@%s', n, CASE bench_hash(n, 11) % 5 WHEN 0 THEN 'gmail.com' WHEN 1 THEN 'outlook.com'
    WHEN 2 THEN 'yahoo.fr' WHEN 3 THEN 'icloud.com' ELSE 'restaurant.example' END),
  '$2b$12$' || bench_hex(n, 12, 53),
  printf('Chef %d', n),
  'Le ' || bench_text(n, 13, 1, 3),
  CASE WHEN bench_hash(n, 14) % 100 < 70 THEN 'cus_' || bench_hex(n, 15, 14) END,
  printf('{{"primary":"#%06x","secondary":"#%06x"}}', bench_hash(n, 16) % 16777216, bench_hash(n, 17) % 16777216),
  CASE bench_hash(n, 18) % 3 WHEN 0 THEN 'Playfair Display' WHEN 1 THEN 'Inter' ELSE 'Lora' END,
  bench_text(n, 19, 3, 8), bench_text(n, 21, 3, 8), bench_text(n, 22, 3, 8), bench_text(n, 23, 5, 12),
  CASE bench_hash(n, 24) % 4 WHEN 0 THEN 'warm' WHEN 1 THEN 'playful' WHEN 2 THEN 'refined' ELSE 'bold' END,
  CASE bench_hash(n, 25) % 3 WHEN 0 THEN 'friendly' WHEN 1 THEN 'professional' ELSE 'casual' END,
  bench_text(n, 26, 5, 12),
  CASE WHEN bench_hash(n, 27) % 100 < 75 THEN 'en' ELSE 'fr' END,
  {1},
  CASE WHEN bench_hash(n, 28) % 100 < 90 THEN 'active' WHEN bench_hash(n, 28) % 100 < 97 THEN 'inactive' ELSE 'suspended' END,
  {2}, {2},
  CASE WHEN bench_hash(n, 28) % 100 < 90 THEN {3} END,
  bench_hash(n, 29) % 10 < 8
FROM seq)",
                                        Seq(s.users), Timestamp(now + " - 900 * bench_unit(n, 30) + 14"),
                                        Timestamp(now + " - 900 * bench_unit(n, 30)"),
                                        Timestamp(now + " - 60 * bench_unit(n, 31)")));

  // conversations: in time order over the year, users by activity.
  out.emplace_back("conversations", fmt::format(R"(
INSERT INTO conversations(user_id, transcript, image_analysis, generated_content, language, created_at)
{0}
SELECT bench_uuid(1, bench_user(n, 101)), bench_text(n, 102, 10, 30),
  CASE WHEN bench_hash(n, 103) % 100 < 40 THEN bench_text(n, 104, 5, 12) END,
  '{{"instagram":"' || bench_text(n, 105, 4, 8) || '","facebook":"' || bench_text(n, 106, 4, 8) || '"}}',
  CASE WHEN bench_hash(n, 107) % 100 < 80 THEN 'en' ELSE 'fr' END,
  {1}
FROM seq)",
                                                Seq(s.conversations),
                                                Timestamp(fmt::format("{} + 365.0 * (n - 1) / {}", year_start, s.conversations))));

  // content: created in time order; 75% scheduled 0-14 days later, published
  // when that is in the past; viral_score 1-10, mostly low, 10% unset.
  const std::string created = fmt::format("({} - 7 + 365.0 * (n - 1) / {})", year_start, s.content);
  const std::string scheduled = "(" + created + " + 14 * bench_unit(n, 207))";
  out.emplace_back("content", fmt::format(R"(
INSERT INTO content(user_id, title, platform, content_text, hashtags, media_url, viral_score, scheduled_for,
  published_at, engagement_data, created_at)
{0}
SELECT bench_uuid(1, bench_user(n, 201)), bench_text(n, 202, 3, 7),
  CASE WHEN bench_hash(n, 203) % 100 < 40 THEN 'instagram' WHEN bench_hash(n, 203) % 100 < 65 THEN 'facebook'
    WHEN bench_hash(n, 203) % 100 < 85 THEN 'tiktok' WHEN bench_hash(n, 203) % 100 < 95 THEN 'twitter'
    ELSE 'linkedin' END,
  bench_text(n, 204, 8, 20),
  '#' || bench_text(n, 205, 1, 1) || ' #food #chefsocial',
  'https://cdn.chefsocial.example/m/' || bench_hex(n, 206, 16) || '.jpg',
  CASE WHEN bench_hash(n, 208) % 10 = 0 THEN NULL ELSE
    CASE WHEN bench_hash(n, 209) % 1000 < 300 THEN 1 WHEN bench_hash(n, 209) % 1000 < 520 THEN 2
      WHEN bench_hash(n, 209) % 1000 < 670 THEN 3 WHEN bench_hash(n, 209) % 1000 < 770 THEN 4
      WHEN bench_hash(n, 209) % 1000 < 840 THEN 5 WHEN bench_hash(n, 209) % 1000 < 890 THEN 6
      WHEN bench_hash(n, 209) % 1000 < 930 THEN 7 WHEN bench_hash(n, 209) % 1000 < 960 THEN 8
      WHEN bench_hash(n, 209) % 1000 < 985 THEN 9 ELSE 10 END END,
  CASE WHEN bench_hash(n, 210) % 100 < 75 THEN {1} END,
  CASE WHEN bench_hash(n, 210) % 100 < 75 AND {2} < {3} AND bench_hash(n, 211) % 10 < 9 THEN {1} END,
  CASE WHEN bench_hash(n, 210) % 100 < 75 AND {2} < {3} THEN
    printf('{{"likes":%d,"shares":%d,"comments":%d}}', bench_hash(n, 212) % 500, bench_hash(n, 213) % 50,
           bench_hash(n, 214) % 80) END,
  {4}
FROM seq)",
                                          Seq(s.content), Timestamp(scheduled), scheduled, now, Timestamp(created)));

  // usage_tracking: one row per user and month of the year, month by month;
  // counters grow with the user's activity.
  out.emplace_back("usage_tracking", fmt::format(R"(
INSERT INTO usage_tracking(user_id, month_year, voice_minutes_used, images_generated, videos_created,
  api_calls_made, extra_locations, extra_users, created_at, updated_at)
{0}, months(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM months WHERE m < 11)
SELECT bench_uuid(1, n), printf('%04d-%02d', 2024 + (6 + m) / 12, (6 + m) % 12 + 1),
  CAST(min(20.0, 0.2 + bench_weight(n)) * (bench_hash(n * 12 + m, 301) % 60) AS INTEGER),
  CAST(min(20.0, 0.2 + bench_weight(n)) * (bench_hash(n * 12 + m, 302) % 20) AS INTEGER),
  CAST(min(20.0, 0.2 + bench_weight(n)) * (bench_hash(n * 12 + m, 303) % 4) AS INTEGER),
  bench_hash(n * 12 + m, 304) % 1000,
  CASE WHEN bench_hash(n, 305) % 100 < 5 THEN 1 ELSE 0 END,
  CASE WHEN bench_hash(n, 306) % 100 < 8 THEN 1 + bench_hash(n, 306) % 3 ELSE 0 END,
  {1}, {2}
FROM months CROSS JOIN seq)",
                                                 Seq(s.users),
                                                 Timestamp(fmt::format("{} + 30.4375 * m", year_start)),
                                                 Timestamp(fmt::format("{} + 30.4375 * m + 30 * bench_unit(n * 12 + m, 307)", year_start))));

  // user_features: the features of each user's plan, from the reference rows.
  out.emplace_back("user_features", fmt::format(R"(
INSERT INTO user_features(user_id, feature_key, enabled, granted_at)
SELECT u.id, f.key, bench_hash(u.rowid * 16 + f.id, 401) % 50 <> 0, u.created_at
FROM users AS u CROSS JOIN features AS f
WHERE CASE {0} WHEN 0 THEN f.starter WHEN 1 THEN f.professional ELSE f.enterprise END
ORDER BY u.rowid, f.id)",
                                                Plan("u.rowid")));

  out.emplace_back("admin_users", R"(
INSERT INTO admin_users(id, email, password_hash, name, role, permissions, last_login, created_at)
WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < 10)
SELECT printf('admin-%02d', n), printf('admin%d@chefsocial.example', n), '$2b$12$' || bench_hex(n, 801, 53),
  printf('Admin %d', n), CASE WHEN n = 1 THEN 'super_admin' WHEN n <= 4 THEN 'admin' ELSE 'support' END,
  CASE WHEN n <= 4 THEN '["users","billing","content"]' ELSE '["users"]' END,
  datetime(2460850.5 + n / 3.0), datetime(2460000.5 + n)
FROM seq)");

  // audit_logs: in time order; 95% user events, 5% admin events.
  out.emplace_back("audit_logs", fmt::format(R"(
INSERT INTO audit_logs(user_id, admin_id, action, entity_type, entity_id, details, ip_address, user_agent, created_at)
{0}
SELECT CASE WHEN bench_hash(n, 901) % 100 < 95 THEN bench_uuid(1, bench_user(n, 902)) END,
  CASE WHEN bench_hash(n, 901) % 100 >= 95 THEN printf('admin-%02d', 1 + bench_hash(n, 903) % 10) END,
  CASE WHEN bench_hash(n, 904) % 100 < 50 THEN 'login' WHEN bench_hash(n, 904) % 100 < 70 THEN 'content_publish'
    WHEN bench_hash(n, 904) % 100 < 75 THEN 'subscription_change' WHEN bench_hash(n, 904) % 100 < 80 THEN 'feature_toggle'
    WHEN bench_hash(n, 904) % 100 < 85 THEN 'password_reset' ELSE 'settings_update' END,
  CASE WHEN bench_hash(n, 904) % 100 < 50 THEN 'user' WHEN bench_hash(n, 904) % 100 < 70 THEN 'content'
    WHEN bench_hash(n, 904) % 100 < 75 THEN 'subscription' ELSE 'user' END,
  CAST(bench_hash(n, 905) % 1000000 AS TEXT),
  printf('{{"source":"%s"}}', CASE bench_hash(n, 906) % 3 WHEN 0 THEN 'web' WHEN 1 THEN 'ios' ELSE 'android' END),
  printf('%d.%d.%d.%d', 1 + bench_hash(n, 907) % 223, bench_hash(n, 908) % 256, bench_hash(n, 909) % 256, bench_hash(n, 910) % 256),
  CASE bench_hash(n, 911) % 4 WHEN 0 THEN 'Mozilla/5.0 (Macintosh)' WHEN 1 THEN 'Mozilla/5.0 (iPhone)'
    WHEN 2 THEN 'Mozilla/5.0 (Windows NT 10.0)' ELSE 'ChefSocial/2.3 Android' END,
  {1}
FROM seq)",
                                             Seq(s.audit_logs),
                                             Timestamp(fmt::format("{} + 365.0 * (n - 1) / {}", year_start, s.audit_logs))));

  // user_sessions: in time order, users by activity, valid for 7 days.
  const std::string session_start = fmt::format("({} + 365.0 * (n - 1) / {})", year_start, s.user_sessions);
  out.emplace_back("user_sessions", fmt::format(R"(
INSERT INTO user_sessions(id, user_id, jwt_token, expires_at, ip_address, user_agent, created_at)
{0}
SELECT bench_uuid(3, n), bench_uuid(1, bench_user(n, 501)),
  'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.' || bench_hex(n, 502, 96) || '.' || bench_hex(n, 503, 43),
  {1},
  printf('%d.%d.%d.%d', 1 + bench_hash(n, 504) % 223, bench_hash(n, 505) % 256, bench_hash(n, 506) % 256, bench_hash(n, 507) % 256),
  CASE bench_hash(n, 508) % 3 WHEN 0 THEN 'Mozilla/5.0 (Macintosh)' WHEN 1 THEN 'Mozilla/5.0 (iPhone)' ELSE 'ChefSocial/2.3 Android' END,
  {2}
FROM seq)",
                                                Seq(s.user_sessions), Timestamp(session_start + " + 7"), Timestamp(session_start)));

  // notifications: in time order; the last two weeks' and a quarter of the
  // older ones are unread.
  const std::string notified = fmt::format("({} + 365.0 * (n - 1) / {})", year_start, s.notifications);
  out.emplace_back("notifications", fmt::format(R"(
INSERT INTO notifications(user_id, type, title, message, read_at, action_url, created_at)
{0}
SELECT bench_uuid(1, bench_user(n, 601)),
  CASE bench_hash(n, 602) % 3 WHEN 0 THEN 'usage_warning' WHEN 1 THEN 'billing' ELSE 'feature' END,
  CASE bench_hash(n, 602) % 3 WHEN 0 THEN 'You have used 80% of your voice minutes' WHEN 1 THEN 'Your invoice is ready'
    ELSE 'New: ' || bench_text(n, 603, 2, 4) END,
  bench_text(n, 604, 8, 20),
  CASE WHEN {1} < {2} - 14 AND bench_hash(n, 605) % 100 >= 25 THEN {3} END,
  CASE WHEN bench_hash(n, 606) % 2 = 0 THEN '/app/' || CASE bench_hash(n, 602) % 3 WHEN 0 THEN 'usage' WHEN 1 THEN 'billing' ELSE 'features' END END,
  {4}
FROM seq)",
                                                Seq(s.notifications), notified, now, Timestamp(notified + " + 2 * bench_unit(n, 607)"),
                                                Timestamp(notified)));

  // content_calendar: a quarter of the scheduled content, planned by date.
  out.emplace_back("content_calendar", R"(
INSERT INTO content_calendar(user_id, content_id, title, scheduled_date, status, notes, created_at)
SELECT user_id, id, coalesce(title, 'Untitled'), date(scheduled_for),
  CASE WHEN published_at IS NOT NULL THEN 'published' ELSE 'scheduled' END,
  CASE WHEN bench_hash(id, 701) % 10 = 0 THEN bench_text(id, 702, 4, 10) END, created_at
FROM content WHERE id % 4 = 0 AND scheduled_for IS NOT NULL ORDER BY id)");

  // subscriptions: one per paying user, for 1-12 months.
  out.emplace_back("subscriptions", fmt::format(R"(
INSERT INTO subscriptions(id, user_id, stripe_subscription_id, plan_name, status, current_period_start,
  current_period_end, trial_start, trial_end, created_at, updated_at)
SELECT bench_uuid(4, u.rowid), u.id, 'sub_' || bench_hex(u.rowid, 603, 14),
  CASE {0} WHEN 0 THEN 'starter' WHEN 1 THEN 'professional' ELSE 'enterprise' END,
  CASE WHEN bench_hash(u.rowid, 604) % 100 < 85 THEN 'active' WHEN bench_hash(u.rowid, 604) % 100 < 90 THEN 'past_due' ELSE 'canceled' END,
  datetime({2} - 30 + bench_unit(u.rowid, 605) * 30), datetime({2} + bench_unit(u.rowid, 605) * 30),
  datetime({2} - 30.4375 * {1} - 14), datetime({2} - 30.4375 * {1}),
  datetime({2} - 30.4375 * {1} - 14), datetime({2} - bench_unit(u.rowid, 606) * 30)
FROM users AS u WHERE u.stripe_customer_id IS NOT NULL ORDER BY u.rowid)",
                                                Plan("u.rowid"), MonthsActive("u.rowid"), now));

  // invoices: one per subscribed month, month by month.
  out.emplace_back("invoices", fmt::format(R"(
INSERT INTO invoices(id, user_id, stripe_invoice_id, amount_due, amount_paid, currency, status, due_date, paid_at,
  invoice_pdf, created_at)
WITH RECURSIVE months(m) AS (SELECT 0 UNION ALL SELECT m + 1 FROM months WHERE m < 11)
SELECT bench_uuid(5, u.rowid * 12 + m), u.id, 'in_' || bench_hex(u.rowid * 12 + m, 610, 24),
  7900 + 100 * (bench_hash(u.rowid * 12 + m, 611) % 40),
  CASE WHEN bench_hash(u.rowid * 12 + m, 612) % 100 < 92 THEN 7900 + 100 * (bench_hash(u.rowid * 12 + m, 611) % 40) ELSE 0 END,
  CASE WHEN bench_hash(u.rowid, 27) % 100 < 75 THEN 'usd' ELSE 'eur' END,
  CASE WHEN bench_hash(u.rowid * 12 + m, 612) % 100 < 92 THEN 'paid' WHEN bench_hash(u.rowid * 12 + m, 612) % 100 < 97 THEN 'open' ELSE 'void' END,
  datetime({0} - 30.4375 * ({1} - m) + 7),
  CASE WHEN bench_hash(u.rowid * 12 + m, 612) % 100 < 92 THEN datetime({0} - 30.4375 * ({1} - m) + bench_unit(u.rowid * 12 + m, 613) * 3) END,
  'https://pay.stripe.example/invoice/' || bench_hex(u.rowid * 12 + m, 614, 24) || '.pdf',
  datetime({0} - 30.4375 * ({1} - m))
FROM months CROSS JOIN users AS u
WHERE u.stripe_customer_id IS NOT NULL AND m < {1})",
                                           now, MonthsActive("u.rowid")));

  // content_performance: one row per published piece of content.
  out.emplace_back("content_performance", R"(
INSERT INTO content_performance(content_id, platform, views, likes, shares, comments, engagement_rate, reach, updated_at)
SELECT id, platform, coalesce(viral_score, 1) * coalesce(viral_score, 1) * (50 + bench_hash(id, 720) % 500),
  coalesce(viral_score, 1) * (bench_hash(id, 721) % 200), coalesce(viral_score, 1) * (bench_hash(id, 722) % 20),
  coalesce(viral_score, 1) * (bench_hash(id, 723) % 30), round(0.5 + bench_unit(id, 724) * 9.5, 2),
  coalesce(viral_score, 1) * coalesce(viral_score, 1) * (40 + bench_hash(id, 725) % 400),
  datetime(julianday(published_at) + 3)
FROM content WHERE published_at IS NOT NULL ORDER BY id)");

  // teams: 8% of professional and enterprise users own one; members are the
  // owner plus one to three other users.
  out.emplace_back("teams", fmt::format(R"(
INSERT INTO teams(rowid, id, owner_id, name, description, max_members, created_at)
SELECT u.rowid, bench_uuid(6, u.rowid), u.id, coalesce(u.restaurant_name, u.name) || ' team',
  CASE WHEN bench_hash(u.rowid, 730) % 2 = 0 THEN bench_text(u.rowid, 731, 4, 10) END,
  CASE {0} WHEN 1 THEN 2 ELSE 10 END, u.created_at
FROM users AS u WHERE {0} > 0 AND bench_hash(u.rowid, 732) % 100 < 8 ORDER BY u.rowid)",
                                        Plan("u.rowid")));
  out.emplace_back("team_members", fmt::format(R"(
INSERT OR IGNORE INTO team_members(team_id, user_id, role, invited_by, joined_at)
WITH RECURSIVE k(j) AS (SELECT 0 UNION ALL SELECT j + 1 FROM k WHERE j < 3)
SELECT t.id,
  CASE WHEN j = 0 THEN t.owner_id ELSE bench_uuid(1, 1 + bench_hash(t.rowid * 4 + j, 740) % {0}) END,
  CASE WHEN j = 0 THEN 'owner' WHEN j = 1 THEN 'admin' WHEN j = 2 THEN 'member' ELSE 'viewer' END,
  CASE WHEN j > 0 THEN t.owner_id END,
  datetime(julianday(t.created_at) + 30 * j)
FROM teams AS t CROSS JOIN k
WHERE j <= 1 + bench_hash(t.rowid, 741) % 3 ORDER BY t.rowid, j)",
                                               s.users));

  // user_profiles: 80% of users filled in a profile.
  out.emplace_back("user_profiles", R"(
INSERT INTO user_profiles(user_id, avatar_url, bio, website_url, phone_number, timezone, notification_preferences,
  onboarding_completed)
SELECT u.id, 'https://cdn.chefsocial.example/a/' || bench_hex(u.rowid, 750, 16) || '.png',
  bench_text(u.rowid, 751, 6, 20),
  CASE WHEN bench_hash(u.rowid, 752) % 2 = 0 THEN printf('https://restaurant%d.example', u.rowid) END,
  printf('+33 6 %02d %02d %02d %02d', bench_hash(u.rowid, 753) % 100, bench_hash(u.rowid, 754) % 100,
         bench_hash(u.rowid, 755) % 100, bench_hash(u.rowid, 756) % 100),
  CASE bench_hash(u.rowid, 757) % 4 WHEN 0 THEN 'UTC' WHEN 1 THEN 'Europe/Paris' WHEN 2 THEN 'America/New_York'
    ELSE 'America/Montreal' END,
  '{"email":true,"push":' || CASE WHEN bench_hash(u.rowid, 758) % 2 = 0 THEN 'true' ELSE 'false' END || '}',
  bench_hash(u.rowid, 759) % 10 < 7
FROM users AS u WHERE bench_hash(u.rowid, 760) % 100 < 80 ORDER BY u.rowid)");
  return out;
}

std::string ScaleText(double scale) { return fmt::format("{}", scale); }

std::map<std::string, std::string> ReadMeta(const std::filesystem::path& path) {
  std::map<std::string, std::string> out;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) out[line.substr(0, eq)] = line.substr(eq + 1);
  }
  return out;
}

Status Exec(sqlite::Database& db, const std::string& sql, const std::string& what) {
  char* error = nullptr;
  if (sqlite3_exec(db.handle(), sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
    std::string message = error ? error : "unknown error";
    sqlite3_free(error);
    return Status::Database(what + ": " + message);
  }
  return Status::Ok();
}

// Progress on standard error while the data is generated: a line per step
// (its rows and seconds), and one every 10 seconds while a long step runs
// (SQLite's progress handler; a fill of 1,000,000 rows is one statement).
class Progress {
 public:
  using Clock = std::chrono::steady_clock;
  explicit Progress(size_t steps) : steps_(steps) {}

  void Begin(std::string step) {
    step_ = std::move(step);
    step_start_ = last_line_ = Clock::now();
  }
  // `rows` < 0: the step inserts no rows.
  void End(int64_t rows) {
    const Clock::time_point now = Clock::now();
    ++done_;
    const std::string what = rows < 0 ? step_ : fmt::format("{:<22} {:>10} rows", step_, rows);
    std::cerr << fmt::format("  [{:>2}/{}] {:<44} {:6.2f} s  ({:.0f} s in all)\n", done_, steps_,
                             what, Seconds(step_start_, now), Seconds(start_, now));
    last_line_ = now;
  }
  static int Tick(void* self) {
    auto* p = static_cast<Progress*>(self);
    const Clock::time_point now = Clock::now();
    if (Seconds(p->last_line_, now) >= 10) {
      std::cerr << fmt::format("          {} still running: {:.0f} s so far ({:.0f} s in all)\n", p->step_,
                               Seconds(p->step_start_, now), Seconds(p->start_, now));
      p->last_line_ = now;
    }
    return 0;
  }

 private:
  static double Seconds(Clock::time_point from, Clock::time_point to) {
    return std::chrono::duration<double>(to - from).count();
  }
  size_t steps_;
  size_t done_ = 0;
  std::string step_;
  Clock::time_point start_ = Clock::now();
  Clock::time_point step_start_ = start_;
  Clock::time_point last_line_ = start_;
};

Status Generate(const Schema& schema, double scale, const std::string& path,
                std::vector<std::pair<std::string, int64_t>>& row_counts) {
  const Sizes sizes = SizesFor(scale);
  const auto activity = std::make_unique<Activity>(sizes.users);  // outlives the connection
  Result<sqlite::Database> opened = sqlite::Database::Open(path);
  if (!opened.ok()) return opened.status();
  sqlite::Database& db = *opened;
  if (Status s = sqlite::CreateSchema(db, schema); !s.ok()) return s.WithContext("create schema");

  // Secondary indexes are built after the load (one sort each instead of
  // 1,000,000 random inserts); the automatic ones of UNIQUE and PRIMARY KEY
  // constraints stay.
  std::vector<std::string> index_sql;
  {
    Result<sqlite::Statement> st =
        db.Prepare("SELECT sql FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
    if (!st.ok()) return st.status();
    while (true) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      index_sql.push_back(st->Text(0));
    }
  }
  RegisterFunctions(db.handle(), activity.get());
  if (Status s = Exec(db,
                      "PRAGMA foreign_keys = OFF; PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;"
                      "PRAGMA cache_size = -1048576; PRAGMA temp_store = MEMORY; PRAGMA threads = 2; PRAGMA locking_mode = EXCLUSIVE;",
                      "pragmas");
      !s.ok())
    return s;
  if (Status s = Exec(db, "BEGIN", "begin"); !s.ok()) return s;
  {
    Result<sqlite::Statement> st = db.Prepare(
        "SELECT name FROM sqlite_schema WHERE type = 'index' AND sql IS NOT NULL ORDER BY name");
    if (!st.ok()) return st.status();
    std::vector<std::string> names;
    while (true) {
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status();
      if (!*row) break;
      names.push_back(st->Text(0));
    }
    for (const std::string& name : names)
      if (Status s = Exec(db, "DROP INDEX " + sqlite::QuoteIdentifier(name), "drop index"); !s.ok()) return s;
  }
  const std::vector<std::pair<std::string, std::string>> fills = FillStatements(sizes);
  const bool verify = scale <= 0.1;
  Progress progress(fills.size() + index_sql.size() + (verify ? 1 : 0));
  sqlite3_progress_handler(db.handle(), 1'000'000, &Progress::Tick, &progress);
  for (const auto& [table, sql] : fills) {
    progress.Begin(table);
    if (Status s = Exec(db, sql, "fill " + table); !s.ok()) return s;
    progress.End(sqlite3_changes64(db.handle()));
  }
  for (const std::string& sql : index_sql) {
    std::string name = sql.substr(13, sql.find(' ', 13) - 13);  // CREATE INDEX "name" ON ...
    if (name.size() > 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
    progress.Begin("index " + name);
    if (Status s = Exec(db, sql, "create index"); !s.ok()) return s;
    progress.End(-1);
  }
  if (Status s = Exec(db, "COMMIT", "commit"); !s.ok()) return s;

  // Every foreign key holds: the data is consistent by construction, which
  // the small scales (CI) verify; at full size the check would cost 7 s.
  if (verify) {
    progress.Begin("foreign_key_check");
    Result<int64_t> orphans = db.QueryInt("SELECT count(*) FROM pragma_foreign_key_check");
    if (!orphans.ok()) return orphans.status();
    if (*orphans != 0) return Status::Database(fmt::format("generated data has {} orphaned rows", *orphans));
    progress.End(-1);
  }
  sqlite3_progress_handler(db.handle(), 0, nullptr, nullptr);

  row_counts.clear();
  for (const Table& table : schema.tables) {
    Result<int64_t> n = db.QueryInt("SELECT count(*) FROM " + sqlite::QuoteIdentifier(table.name));
    if (!n.ok()) return n.status();
    row_counts.emplace_back(table.name, *n);
  }
  return Exec(db, "PRAGMA journal_mode = DELETE", "journal mode");
}

}  // namespace

std::filesystem::path DefaultDataDir() {
  if (const char* dir = std::getenv("STRATA_BENCH_DATA_DIR"); dir && *dir) return dir;
  return std::filesystem::current_path() / "bench-data";
}

std::string DataHash(const VersionedSchema& schema, double scale) {
  return Sha256Hex(fmt::format("{}\ngenerator={}\nscale={}", sqlite::CreateSchemaSql(schema.Latest()),
                               kGeneratorVersion, ScaleText(scale)));
}

Result<ChefSocialData> ChefSocialDatabase(const VersionedSchema& schema, double scale,
                                          const std::filesystem::path& dir) {
  ChefSocialData data;
  data.scale = scale;
  data.schema_hash = DataHash(schema, scale);
  const std::filesystem::path db_path = dir / fmt::format("chefsocial-s{}.db", ScaleText(scale));
  const std::filesystem::path meta_path = db_path.string() + ".meta";
  data.path = db_path.string();

  std::map<std::string, std::string> meta = ReadMeta(meta_path);
  std::error_code ec;
  if (std::filesystem::exists(db_path, ec) && meta["hash"] == data.schema_hash) {
    data.reused = true;
    data.generate_seconds = std::atof(meta["generate_seconds"].c_str());
    std::istringstream counts(meta["rows"]);
    std::string item;
    while (std::getline(counts, item, ',')) {
      const size_t colon = item.find(':');
      if (colon != std::string::npos)
        data.row_counts.emplace_back(item.substr(0, colon), std::atoll(item.c_str() + colon + 1));
    }
    data.size_bytes = static_cast<int64_t>(std::filesystem::file_size(db_path, ec));
    return data;
  }

  std::filesystem::create_directories(dir, ec);
  std::filesystem::remove(meta_path, ec);
  const std::string temp = db_path.string() + fmt::format(".tmp{}", getpid());
  std::filesystem::remove(temp, ec);
  const Sizes sizes = SizesFor(scale);
  std::cerr << fmt::format("generating {} at scale {}: {} users, {} conversations, {} content rows, ...\n",
                           data.path, ScaleText(scale), sizes.users, sizes.conversations, sizes.content);
  const auto start = std::chrono::steady_clock::now();
  Status s = Generate(schema.Latest(), scale, temp, data.row_counts);
  if (!s.ok()) {
    std::filesystem::remove(temp, ec);
    return s.WithContext("generating " + data.path);
  }
  data.generate_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::filesystem::rename(temp, db_path, ec);
  if (ec) return Status::IOError("rename " + temp + ": " + ec.message());
  data.size_bytes = static_cast<int64_t>(std::filesystem::file_size(db_path, ec));

  std::string rows;
  for (const auto& [table, n] : data.row_counts) rows += fmt::format("{}{}:{}", rows.empty() ? "" : ",", table, n);
  std::ofstream out(meta_path);
  out << "hash=" << data.schema_hash << "\nscale=" << ScaleText(scale) << "\ngenerate_seconds=" << data.generate_seconds
      << "\nrows=" << rows << "\n";
  if (!out) return Status::IOError("cannot write " + meta_path.string());
  return data;
}

std::string ToJson(const ChefSocialData& data) {
  std::string rows;
  int64_t total = 0;
  for (const auto& [table, n] : data.row_counts) {
    rows += fmt::format("{}\"{}\": {}", rows.empty() ? "" : ", ", table, n);
    total += n;
  }
  return fmt::format(
      "{{\"path\": \"{}\", \"scale\": {}, \"schema_hash\": \"{}\", \"reused\": {}, \"generate_seconds\": {:.3f}, "
      "\"size_bytes\": {}, \"total_rows\": {}, \"rows\": {{{}}}}}\n",
      data.path, ScaleText(data.scale), data.schema_hash, data.reused ? "true" : "false", data.generate_seconds,
      data.size_bytes, total, rows);
}


namespace {

// How to pick realistic parameter values of a query: SQL over a "driver"
// table, run for rows spread evenly over it (`s.rowid = ?`), or fixed values.
struct Recipe {
  std::string driver;
  std::string sql;
  std::vector<QueryParams> fixed;
};

const std::map<std::string, Recipe>& Recipes() {
  static const std::map<std::string, Recipe> recipes = {
      {"login_by_email",
       {"conversations", "SELECT u.email FROM conversations AS s JOIN users AS u ON u.id = s.user_id WHERE s.rowid = ?"}},
      {"user_by_stripe_customer",
       {"invoices", "SELECT u.stripe_customer_id FROM invoices AS s JOIN users AS u ON u.id = s.user_id WHERE s.rowid = ?"}},
      {"user_conversation_history", {"conversations", "SELECT s.user_id FROM conversations AS s WHERE s.rowid = ?"}},
      {"user_content_by_platform", {"content", "SELECT s.user_id, s.platform FROM content AS s WHERE s.rowid = ?"}},
      // A publisher run every 15 minutes.
      {"scheduled_content_window",
       {"content",
        "SELECT s.scheduled_for, datetime(s.scheduled_for, '+15 minutes') FROM content AS s "
        "WHERE s.rowid = ? AND s.scheduled_for IS NOT NULL"}},
      {"user_usage_for_month",
       {"conversations", "SELECT s.user_id, strftime('%Y-%m', s.created_at) FROM conversations AS s WHERE s.rowid = ?"}},
      {"usage_for_billing_month", {"usage_tracking", "SELECT s.month_year FROM usage_tracking AS s WHERE s.rowid = ?"}},
      {"feature_access_check", {"user_features", "SELECT s.user_id, s.feature_key FROM user_features AS s WHERE s.rowid = ?"}},
      // The admin lists: suspended and inactive accounts (90% are active).
      {"users_by_status", {"", "", {{"suspended"}, {"inactive"}}}},
      {"active_session_by_token", {"user_sessions", "SELECT s.jwt_token FROM user_sessions AS s WHERE s.rowid = ?"}},
      {"unread_notifications", {"notifications", "SELECT s.user_id FROM notifications AS s WHERE s.rowid = ?"}},
      // The month around a planned entry of the user.
      {"user_content_calendar",
       {"content_calendar",
        "SELECT s.user_id, date(s.scheduled_date, 'start of month'), "
        "date(s.scheduled_date, 'start of month', '+1 month', '-1 day') FROM content_calendar AS s WHERE s.rowid = ?"}},
      {"user_invoices", {"invoices", "SELECT s.user_id FROM invoices AS s WHERE s.rowid = ?"}},
  };
  return recipes;
}

}  // namespace

Result<std::vector<QueryParams>> SampleQueryParameters(sqlite::Database& db, const std::string& query) {
  auto found = Recipes().find(query);
  if (found == Recipes().end())
    return Status::NotFound("no parameter values for query " + query + " (add a recipe to bench/chefsocial_data.cc)");
  const Recipe& recipe = found->second;
  if (recipe.driver.empty()) return recipe.fixed;
  Result<int64_t> max_rowid =
      db.QueryInt("SELECT coalesce(max(rowid), 0) FROM " + sqlite::QuoteIdentifier(recipe.driver));
  if (!max_rowid.ok()) return max_rowid.status().WithContext("max rowid of " + recipe.driver);
  Result<sqlite::Statement> st = db.Prepare(recipe.sql);
  if (!st.ok()) return st.status().WithContext("parameter SQL of " + query);
  std::vector<QueryParams> out;
  for (int k = 0; k < kQueryParameterSets && *max_rowid > 0; ++k) {
    // Evenly spread rows; a row without values (a NULL column) yields to the next one.
    for (int64_t rowid = 1 + k * *max_rowid / kQueryParameterSets, tries = 0; tries < 100; ++rowid, ++tries) {
      if (Status s = st->Reset(); !s.ok()) return s;
      if (Status s = st->Bind(1, rowid); !s.ok()) return s;
      Result<bool> row = st->Step();
      if (!row.ok()) return row.status().WithContext("parameter row of " + query);
      if (!*row) continue;
      QueryParams params;
      bool null = false;
      for (int c = 0; c < st->column_count(); ++c) {
        null = null || st->IsNull(c);
        params.push_back(st->Text(c));
      }
      if (null) continue;
      out.push_back(std::move(params));
      break;
    }
  }
  return out;
}

}  // namespace strata::bench
