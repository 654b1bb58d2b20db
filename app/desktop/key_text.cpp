#include "key_text.h"

#include <QKeySequence>

QString KeyText::native(const QString& portable) {
    return QKeySequence(portable, QKeySequence::PortableText).toString(QKeySequence::NativeText);
}

QString KeyText::standard(int key) {
    const QList<QKeySequence> bindings = QKeySequence::keyBindings(QKeySequence::StandardKey(key));
    return bindings.isEmpty() ? QString() : bindings.first().toString(QKeySequence::NativeText);
}
