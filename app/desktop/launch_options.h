// What `facet` was started with: `facet [--new-instance] [MODEL]`.
#pragma once

#include <QString>

class QCoreApplication;

namespace facet {

struct LaunchOptions {
    QString modelPath;         // absolute, or empty
    bool newInstance = false;  // a window of its own, not the running one's
};

// Parses the application's arguments; --help and --version print and exit here.
LaunchOptions parseLaunchOptions(const QCoreApplication& app);

// A path or file: URL made absolute against the working directory; empty stays empty.
QString absolutePathArgument(const QString& argument);

}  // namespace facet
