// The small project the history tests share (SQLite and PostgreSQL): tag b
// adds a column, and the edit renames it after tag b was applied.
#pragma once

namespace strata::testing {

inline constexpr const char* kHistoryItems =
    "tables:\n  - name: items\n    columns:\n"
    "      - {name: id, type: INTEGER, primary_key: true}\n"
    "      - {name: name, type: TEXT, nullable: false}\n"
    "      - {name: note, type: TEXT, since: b}\n";
inline constexpr const char* kHistoryItemsEdited =
    "tables:\n  - name: items\n    columns:\n"
    "      - {name: id, type: INTEGER, primary_key: true}\n"
    "      - {name: name, type: TEXT, nullable: false}\n"
    "      - {name: memo, type: TEXT, since: b}\n";

}  // namespace strata::testing
