#include "window_state.h"

#include <QEvent>
#include <QGuiApplication>
#include <QScreen>
#include <QSettings>
#include <QWindow>

namespace {

const QString kGroup = QStringLiteral("window");
// Less of the window than this on a screen counts as off every screen.
constexpr int kMinVisibleArea = 64 * 64;

QList<QRect> availableScreens() {
    QList<QRect> out;
    if (QScreen* primary = QGuiApplication::primaryScreen()) out << primary->availableGeometry();
    for (QScreen* s : QGuiApplication::screens())
        if (s != QGuiApplication::primaryScreen()) out << s->availableGeometry();
    return out;
}

}  // namespace

WindowState::WindowState(QWindow* window, const QString& settingsFile)
    : QObject(window), window_(window), file_(settingsFile) {
    connect(window, &QWindow::xChanged, this, &WindowState::remember);
    connect(window, &QWindow::yChanged, this, &WindowState::remember);
    connect(window, &QWindow::widthChanged, this, &WindowState::remember);
    connect(window, &QWindow::heightChanged, this, &WindowState::remember);
    connect(window, &QWindow::windowStateChanged, this, &WindowState::onStatesChanged);
    connect(qApp, &QCoreApplication::aboutToQuit, this, &WindowState::save);
    window->installEventFilter(this);
    normal_ = previousNormal_ = window->geometry();
}

QRect WindowState::place(const QRect& saved, const QList<QRect>& screens) {
    if (screens.isEmpty()) return saved.isValid() ? saved : QRect(QPoint(0, 0), kDefaultSize);
    // The screen showing the most of the saved window.
    QRect home;
    qint64 best = 0;
    if (saved.isValid()) {
        for (const QRect& s : screens) {
            const QRect shown = s.intersected(saved);
            const qint64 area = qint64(shown.width()) * shown.height();
            if (area > best) {
                best = area;
                home = s;
            }
        }
    }
    if (best < kMinVisibleArea) {  // nothing saved, or saved on a screen that is gone
        const QRect primary = screens.first();
        const QSize size = (saved.isValid() ? saved.size() : kDefaultSize).boundedTo(primary.size());
        QRect r(QPoint(0, 0), size);
        r.moveCenter(primary.center());
        return r;
    }
    const QSize size = saved.size().boundedTo(home.size());
    // Inside the screen whole: a title bar off its top could not be grabbed.
    const int x = qBound(home.left(), saved.x(), home.left() + home.width() - size.width());
    const int y = qBound(home.top(), saved.y(), home.top() + home.height() - size.height());
    return QRect(QPoint(x, y), size);
}

void WindowState::restore() {
    QSettings settings(file_, QSettings::IniFormat);
    settings.beginGroup(kGroup);
    QRect saved;
    if (settings.contains(QStringLiteral("width")) && settings.contains(QStringLiteral("height")))
        saved = QRect(settings.value(QStringLiteral("x")).toInt(), settings.value(QStringLiteral("y")).toInt(),
                      settings.value(QStringLiteral("width")).toInt(), settings.value(QStringLiteral("height")).toInt());
    const QRect placed = place(saved, availableScreens());
    window_->setWindowStates(Qt::WindowNoState);
    window_->setGeometry(placed);
    normal_ = previousNormal_ = placed;
    if (settings.value(QStringLiteral("maximized"), false).toBool()) window_->setWindowStates(Qt::WindowMaximized);
}

void WindowState::save() const {
    const Qt::WindowStates states = window_->windowStates();
    const bool plain = !(states & (Qt::WindowMaximized | Qt::WindowMinimized | Qt::WindowFullScreen));
    const QRect normal = plain ? window_->geometry() : normal_;
    QSettings settings(file_, QSettings::IniFormat);
    settings.beginGroup(kGroup);
    settings.setValue(QStringLiteral("x"), normal.x());
    settings.setValue(QStringLiteral("y"), normal.y());
    settings.setValue(QStringLiteral("width"), normal.width());
    settings.setValue(QStringLiteral("height"), normal.height());
    settings.setValue(QStringLiteral("maximized"), bool(states & Qt::WindowMaximized));
}

bool WindowState::eventFilter(QObject* watched, QEvent* event) {
    if (watched == window_ && event->type() == QEvent::Close) save();
    return QObject::eventFilter(watched, event);
}

void WindowState::remember() {
    if (window_->windowStates() != Qt::WindowNoState) return;
    const QRect now = window_->geometry();
    if (now == normal_) return;
    previousNormal_ = normal_;
    normal_ = now;
}

void WindowState::onStatesChanged() {
    // A window manager may report the maximized size before the maximized
    // state: that size is not the one to come back to.
    if ((window_->windowStates() & Qt::WindowMaximized) && normal_ == window_->geometry()) normal_ = previousNormal_;
}
