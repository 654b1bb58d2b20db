// KeyText: key sequences as the platform writes them (Ctrl+N, ⌘N), for the
// keyboard shortcuts sheet and tooltips. QML has no way to turn a portable
// sequence or a StandardKey into native text.
#pragma once

#include <QObject>
#include <QString>
#include <QtQml/qqmlregistration.h>

class KeyText : public QObject {
    Q_OBJECT
    QML_ELEMENT

public:
    explicit KeyText(QObject* parent = nullptr) : QObject(parent) {}
    // "Ctrl+Shift+C" → the native text of that sequence.
    Q_INVOKABLE static QString native(const QString& portable);
    // A StandardKey (QKeySequence::StandardKey) → its first binding's native text.
    Q_INVOKABLE static QString standard(int key);
};
