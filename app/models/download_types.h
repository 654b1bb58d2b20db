// DownloadManager lives in facet_download (no QML module: facet-cli uses it
// too); this registers it with the app's QML module as a foreign type.
#pragma once

#include <QObject>
#include <QtQml/qqmlregistration.h>

#include "download_manager.h"

struct DownloadManagerForeign {
    Q_GADGET
    QML_FOREIGN(DownloadManager)
    QML_NAMED_ELEMENT(DownloadManager)
    QML_UNCREATABLE("owned by ModelManager")
};
