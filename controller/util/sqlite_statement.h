#pragma once

#include <sqlite3.h>

#include <cstdint>
#include <stdexcept>
#include <string>

namespace pedisim::util {

// One prepared SQLite statement, finalized when it goes out of scope. Errors
// throw std::runtime_error with `what` (the database's purpose) in front.
class SqliteStatement {
 public:
  SqliteStatement(sqlite3* db, const std::string& sql, const char* what = "sqlite") : what_(what) {
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &statement_, nullptr) != SQLITE_OK) {
      throw std::runtime_error(std::string(what_) + ": " + sqlite3_errmsg(db));
    }
  }
  ~SqliteStatement() { sqlite3_finalize(statement_); }
  SqliteStatement(const SqliteStatement&) = delete;
  SqliteStatement& operator=(const SqliteStatement&) = delete;

  SqliteStatement& Bind(int index, const std::string& text) {
    sqlite3_bind_text(statement_, index, text.c_str(), static_cast<int>(text.size()),
                      SQLITE_TRANSIENT);
    return *this;
  }
  SqliteStatement& Bind(int index, int64_t value) {
    sqlite3_bind_int64(statement_, index, value);
    return *this;
  }
  SqliteStatement& Bind(int index, double value) {
    sqlite3_bind_double(statement_, index, value);
    return *this;
  }
  SqliteStatement& BindNull(int index) {
    sqlite3_bind_null(statement_, index);
    return *this;
  }
  // True while there is a row.
  bool Step() {
    const int result = sqlite3_step(statement_);
    if (result == SQLITE_ROW) return true;
    if (result == SQLITE_DONE) return false;
    throw std::runtime_error(std::string(what_) + ": " +
                             sqlite3_errmsg(sqlite3_db_handle(statement_)));
  }
  std::string Text(int column) const {
    const unsigned char* text = sqlite3_column_text(statement_, column);
    return text ? std::string(reinterpret_cast<const char*>(text),
                              static_cast<size_t>(sqlite3_column_bytes(statement_, column)))
                : std::string();
  }
  int64_t Int(int column) const { return sqlite3_column_int64(statement_, column); }
  bool IsNull(int column) const { return sqlite3_column_type(statement_, column) == SQLITE_NULL; }
  double Real(int column) const { return sqlite3_column_double(statement_, column); }

 private:
  const char* what_;
  sqlite3_stmt* statement_ = nullptr;
};

}  // namespace pedisim::util
