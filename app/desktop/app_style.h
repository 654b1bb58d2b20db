// The Qt Quick Controls style the app and its window tests run under:
// Material, Dense (a desktop's tighter metrics), unless the environment
// names another (QT_QUICK_CONTROLS_STYLE, QT_QUICK_CONTROLS_MATERIAL_VARIANT).
// Call before the first QML engine is made.
#pragma once

#include <QQuickStyle>
#include <QtGlobal>

namespace facet {

inline void applyAppStyle() {
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_STYLE")) QQuickStyle::setStyle(QStringLiteral("Material"));
    if (qEnvironmentVariableIsEmpty("QT_QUICK_CONTROLS_MATERIAL_VARIANT"))
        qputenv("QT_QUICK_CONTROLS_MATERIAL_VARIANT", "Dense");
}

}  // namespace facet
