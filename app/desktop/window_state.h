// The main window's size, position and maximized state, kept across runs in
// the settings file (group "window"). A saved place on no screen any more (a
// monitor unplugged) becomes the primary screen's centre, and a size never
// exceeds the screen's available area. Nothing saved: 1280x800, centred.
#pragma once

#include <QList>
#include <QObject>
#include <QRect>
#include <QString>

class QWindow;

class WindowState : public QObject {
    Q_OBJECT
public:
    static constexpr QSize kDefaultSize{1280, 800};

    // Follows `window` (as its child) and saves to `settingsFile` when the
    // window closes or the application quits. Call restore() to apply the saved state.
    WindowState(QWindow* window, const QString& settingsFile);

    void restore();
    void save() const;

    // Where a window saved at `saved` (invalid: nothing saved) goes, given the
    // screens' available areas, the primary screen first.
    static QRect place(const QRect& saved, const QList<QRect>& screens);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void remember();
    void onStatesChanged();

    QWindow* window_;
    QString file_;
    QRect normal_;          // the last geometry while neither maximized nor minimized
    QRect previousNormal_;  // the one before it (a maximize may move the window before saying so)
};
