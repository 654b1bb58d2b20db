// The sidebar's date groups: ConversationListModel's "group" role against a
// clock the test sets (now, yesterday, 3, 20 and 90 days ago; the day
// boundaries at midnight and at 7 and 30 days), and the real main window
// (Main.qml, offscreen) showing them as section headers in that order.
// The window case also saves chat_sidebar.png beside this binary.
#include <QGuiApplication>
#include <QQmlApplicationEngine>
#include <QQuickItem>
#include <QQuickWindow>
#include <QRegularExpression>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtQml/qqmlextensionplugin.h>
#include <QtTest>
#include <algorithm>

#include "chat_controller.h"
#include "chat_store.h"
#include "conversation_list_model.h"
#include "support/hang_guard.h"
#include "support/window_shot.h"

Q_IMPORT_QML_PLUGIN(FacetPlugin)

using namespace facet::test;

namespace {

// A fixed "now": midday, local time.
const QDateTime kNoon(QDate(2025, 3, 15), QTime(12, 0));

StoredConversation conv(qint64 id, const QDateTime& updated) {
    return {id, QString("Conversation %1").arg(id), updated, updated};
}

QString groupAt(const ConversationListModel& m, int row) {
    return m.data(m.index(row), ConversationListModel::GroupRole).toString();
}

void collect(QQuickItem* item, const QString& name, QList<QQuickItem*>* out) {
    if (!item) return;
    if (item->objectName() == name && item->isVisible()) out->append(item);
    for (QQuickItem* c : item->childItems()) collect(c, name, out);
}

}  // namespace

class TstAppConversationGroups : public QObject {
    Q_OBJECT
    QTemporaryDir dir_;

private slots:
    void initTestCase() {
        QVERIFY(dir_.isValid());
        useWindowTestEnvironment(dir_);
    }
    void init() { QTest::failOnWarning(QRegularExpression("qrc:/Facet/")); }

    void groupsByCalendarDay() {
        ConversationListModel m;
        m.setClock([] { return kNoon; });
        m.reset({conv(1, kNoon), conv(2, kNoon.addDays(-1)), conv(3, kNoon.addDays(-3)), conv(4, kNoon.addDays(-20)),
                 conv(5, kNoon.addDays(-90))});
        QCOMPARE(m.roleNames().value(ConversationListModel::GroupRole), QByteArray("group"));
        QCOMPARE(groupAt(m, 0), QString("Today"));
        QCOMPARE(groupAt(m, 1), QString("Yesterday"));
        QCOMPARE(groupAt(m, 2), QString("Previous 7 days"));
        QCOMPARE(groupAt(m, 3), QString("Previous 30 days"));
        QCOMPARE(groupAt(m, 4), QString("Older"));

        // The edges: 7 days is still "Previous 7 days", 8 is not; 30 and 31 likewise.
        m.reset({conv(1, kNoon.addDays(-7)), conv(2, kNoon.addDays(-8)), conv(3, kNoon.addDays(-30)),
                 conv(4, kNoon.addDays(-31))});
        QCOMPARE(groupAt(m, 0), QString("Previous 7 days"));
        QCOMPARE(groupAt(m, 1), QString("Previous 30 days"));
        QCOMPARE(groupAt(m, 2), QString("Previous 30 days"));
        QCOMPARE(groupAt(m, 3), QString("Older"));

        // Stored times are UTC; the groups follow the local calendar.
        m.reset({conv(1, kNoon.toUTC())});
        QCOMPARE(groupAt(m, 0), QString("Today"));
    }

    void groupsAroundMidnight() {
        const QDate today(2025, 3, 15);
        QDateTime now(today, QTime(0, 1));
        ConversationListModel m;
        m.setClock([&now] { return now; });
        // Two minutes apart, on either side of midnight.
        m.reset({conv(1, QDateTime(today, QTime(0, 0, 30))), conv(2, QDateTime(today.addDays(-1), QTime(23, 59)))});
        QCOMPARE(groupAt(m, 0), QString("Today"));
        QCOMPARE(groupAt(m, 1), QString("Yesterday"));

        // Late the same day: nothing moves.
        now = QDateTime(today, QTime(23, 59));
        m.setClock([&now] { return now; });
        QCOMPARE(groupAt(m, 0), QString("Today"));
        QCOMPARE(groupAt(m, 1), QString("Yesterday"));

        // One minute past the next midnight: each moves one group back, and
        // the model regroups (a reset, so a ListView rebuilds its sections).
        QSignalSpy resets(&m, &QAbstractItemModel::modelReset);
        now = QDateTime(today.addDays(1), QTime(0, 0, 30));
        m.setClock([&now] { return now; });
        QCOMPARE(resets.count(), 1);
        QCOMPARE(groupAt(m, 0), QString("Yesterday"));
        QCOMPARE(groupAt(m, 1), QString("Previous 7 days"));
    }

    void sidebarShowsSectionsInOrder() {
        // Five conversations in the window's database, one per group.
        const QString data = dir_.filePath("data");
        QVERIFY(QDir().mkpath(data));
        const QDateTime now = QDateTime::currentDateTime();
        const QList<QPair<QString, int>> rows = {{"Trip to Lisbon", 90},     {"Sourdough starter", 20},
                                                 {"Quarterly report", 3},    {"Fix the CMake build", 1},
                                                 {"Explain a Python decorator", 0}};
        {
            ChatStore store;
            QVERIFY(store.open(data + "/chats.sqlite"));
            QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "groups-test");
            db.setDatabaseName(data + "/chats.sqlite");
            QVERIFY(db.open());
            for (const auto& [title, days] : rows) {
                const qint64 id = store.createConversation(title);
                QVERIFY(id > 0);
                if (days == 0) {
                    StoredMessage user;
                    user.conversationId = id;
                    user.role = "user";
                    user.text = "What does a decorator do in Python? Show me a small example.";
                    QVERIFY(store.addMessage(user));
                    StoredMessage model;
                    model.conversationId = id;
                    model.role = "model";
                    model.tokens = 96;
                    model.text =
                        "A **decorator** wraps a function to add behaviour without changing its code. "
                        "It takes a function and returns a new one:\n\n"
                        "```python\nimport functools, time\n\ndef timed(fn):\n    @functools.wraps(fn)\n"
                        "    def wrapper(*args, **kwargs):\n        start = time.perf_counter()\n"
                        "        result = fn(*args, **kwargs)\n        print(f\"{fn.__name__} took "
                        "{time.perf_counter() - start:.3f} s with args={args!r} kwargs={kwargs!r}\")\n"
                        "        return result\n    return wrapper\n```\n\n"
                        "Apply it with `@timed` above a definition; every call is then timed.";
                    QVERIFY(store.addMessage(model));
                }
                QSqlQuery q(db);
                q.prepare("UPDATE conversations SET updated_at = ? WHERE id = ?");
                q.addBindValue(now.addDays(-days).toUTC().toString(Qt::ISODateWithMs));
                q.addBindValue(id);
                QVERIFY(q.exec());
            }
            db.close();
        }
        QSqlDatabase::removeDatabase("groups-test");

        QQmlApplicationEngine engine;
        QQuickWindow* window = loadMainWindow(engine);
        QVERIFY(window);
        window->resize(1280, 800);
        auto* chat = window->findChild<ChatController*>("chat");
        QVERIFY(chat);
        QTRY_COMPARE_WITH_TIMEOUT(chat->conversations()->count(), 5, kHangMs);
        chat->conversations()->setClock([now] { return now; });

        const QStringList expected = {"Today", "Yesterday", "Previous 7 days", "Previous 30 days", "Older"};
        auto headers = [&] {
            QList<QQuickItem*> found;
            collect(window->contentItem(), "conversationSection", &found);
            std::sort(found.begin(), found.end(), [&](QQuickItem* a, QQuickItem* b) {
                return a->mapToScene({0, 0}).y() < b->mapToScene({0, 0}).y();
            });
            QStringList texts;
            for (QQuickItem* h : found) texts << h->property("text").toString();
            return texts;
        };
        QTRY_COMPARE_WITH_TIMEOUT(headers(), expected, kHangMs);

        // Each header sits right above its conversation: the conversation lies
        // below its group's header and above the next one.
        auto* list = findItem(window->contentItem(), "conversationList");
        QVERIFY(list);
        QList<QQuickItem*> sections;
        collect(window->contentItem(), "conversationSection", &sections);
        auto yOf = [](QQuickItem* item) { return item->mapToScene({0, 0}).y(); };
        std::sort(sections.begin(), sections.end(), [&](QQuickItem* a, QQuickItem* b) { return yOf(a) < yOf(b); });
        QCOMPARE(sections.size(), expected.size());
        const QStringList titlesByGroup = {"Explain a Python decorator", "Fix the CMake build", "Quarterly report",
                                           "Sourdough starter", "Trip to Lisbon"};
        for (int i = 0; i < titlesByGroup.size(); ++i) {
            QQuickItem* title = findItem(list, titlesByGroup[i]);
            QVERIFY2(title, qPrintable(titlesByGroup[i]));
            QVERIFY2(yOf(title) > yOf(sections[i]), qPrintable(titlesByGroup[i] + " above its header"));
            if (i + 1 < sections.size())
                QVERIFY2(yOf(title) < yOf(sections[i + 1]), qPrintable(titlesByGroup[i] + " below the next header"));
        }

        chat->selectConversation(chat->conversations()->items().first().id);
        QTRY_COMPARE_WITH_TIMEOUT(chat->messages()->rowCount(), 2, kHangMs);
        const QString shot = qEnvironmentVariable("FACET_SHOT_DIR", QCoreApplication::applicationDirPath());
        QVERIFY(saveFrame(window, shot + "/chat_sidebar.png"));

        // A hovered conversation shows its actions (rename, export, delete).
        QQuickItem* row = findItem(list, "conversation-2");
        QVERIFY(row);
        QVERIFY(!findItem(row, "deleteConversation"));  // hidden until hovered
        QTest::mouseMove(window, row->mapToScene({row->width() / 2, row->height() / 2}).toPoint());
        QTRY_VERIFY_WITH_TIMEOUT(findItem(row, "deleteConversation"), kHangMs);
        QVERIFY(findItem(row, "renameConversation") && findItem(row, "exportConversation"));
        QVERIFY(saveFrame(window, shot + "/chat_sidebar_hover.png"));
        QTest::mouseMove(window, QPoint(window->width() - 5, window->height() / 2));
        chat->settings()->setTheme("dark");
        QVERIFY(saveFrame(window, shot + "/chat_sidebar_dark.png"));
        chat->settings()->setTheme("light");

        // The sidebar's edge, dragged: the sidebar follows (within 180-480)
        // and the width is kept in the settings for the next start.
        auto* sidebar = findItem(window->contentItem(), "sidebar");
        auto* handle = findItem(window->contentItem(), "sidebarHandle");
        QVERIFY(sidebar && handle);
        QCOMPARE(sidebar->width(), 260.0);
        const QPoint from = handle->mapToScene({handle->width() / 2, handle->height() / 2}).toPoint();
        QTest::mousePress(window, Qt::LeftButton, {}, from);
        QTest::mouseMove(window, from + QPoint(40, 0));
        QTest::mouseMove(window, from + QPoint(80, 0));
        QTRY_COMPARE_WITH_TIMEOUT(sidebar->width(), 340.0, kHangMs);
        QCOMPARE(chat->settings()->sidebarWidth(), 260);  // stored once released
        QTest::mouseRelease(window, Qt::LeftButton, {}, from + QPoint(80, 0));
        QCOMPARE(chat->settings()->sidebarWidth(), 340);
        QCOMPARE(sidebar->width(), 340.0);
        chat->settings()->setSidebarWidth(1000);  // out of range: clamped
        QCOMPARE(sidebar->width(), 480.0);
        chat->settings()->setSidebarWidth(260);

        // An empty conversation shows its hint.
        chat->newConversation();
        auto* hint = findItem(window->contentItem(), "emptyHint");
        QVERIFY(hint);
        QVERIFY(saveFrame(window, shot + "/chat_empty.png"));
    }
};

QTEST_MAIN(TstAppConversationGroups)
#include "tst_app_conversation_groups.moc"
