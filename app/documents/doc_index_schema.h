// The index file's schema and its migrations. The version lives in SQLite's
// PRAGMA user_version: 0 is an empty file, 1 is the first layout. A file
// newer than this build is refused untouched, never "repaired".
#pragma once

#include <QSqlDatabase>

#include "core/result.h"

namespace facet::docs {

// Stored in index files; a new layout gets a new number and a step in migrate().
inline constexpr int kIndexSchemaVersion = 1;

// Brings `db` to kIndexSchemaVersion in one transaction per step.
// Errors name the file's version and the supported one.
Status migrateIndexSchema(QSqlDatabase& db);

int indexSchemaVersion(QSqlDatabase& db);

}  // namespace facet::docs
