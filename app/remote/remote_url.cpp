#include "remote_url.h"

#include <QHostAddress>
#include <QObject>

bool isLoopbackHost(const QString& host) {
    const QString h = host.toLower();
    if (h == QLatin1String("localhost") || h.endsWith(QLatin1String(".localhost"))) return true;
    QHostAddress address;
    return address.setAddress(h) && address.isLoopback();
}

NormalizedUrl normalizeBaseUrl(const QString& text) {
    QString t = text.trimmed();
    if (t.isEmpty()) return {{}, QObject::tr("Enter the server's address, for example http://localhost:8080")};
    if (!t.contains(QLatin1String("://"))) {
        // The host decides the default scheme: loopback servers rarely have TLS.
        const QString host = QUrl(QStringLiteral("http://") + t).host();
        t.prepend(isLoopbackHost(host) ? QStringLiteral("http://") : QStringLiteral("https://"));
    }
    QUrl url(t, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty())
        return {{}, QObject::tr("“%1” is not a server address").arg(text.trimmed())};
    if (scheme != QLatin1String("http") && scheme != QLatin1String("https"))
        return {{}, QObject::tr("Only http:// and https:// addresses are supported, not %1://").arg(scheme)};
    if (!url.userInfo().isEmpty())
        return {{}, QObject::tr("Put the API key in its own field, not in the address")};
    QString path = url.path();
    while (path.endsWith('/')) path.chop(1);
    if (path.endsWith(QLatin1String("/v1"), Qt::CaseInsensitive)) path.chop(3);
    while (path.endsWith('/')) path.chop(1);
    QUrl out;
    out.setScheme(scheme);
    out.setHost(url.host().toLower());
    out.setPort(url.port());
    out.setPath(path);
    return {out, {}};
}

QUrl apiUrl(const QUrl& base, const QString& route) {
    QUrl u = base;
    u.setPath(base.path() + QStringLiteral("/v1/") + route);
    return u;
}

bool needsInsecureConfirmation(const QUrl& base) {
    return base.scheme() == QLatin1String("http") && !isLoopbackHost(base.host());
}

QString checkTransport(const QUrl& base, bool allowInsecure) {
    if (needsInsecureConfirmation(base) && !allowInsecure)
        return QObject::tr("%1 uses plain http to another computer: the API key and your messages would travel "
                           "unencrypted. Use https, or confirm that this is what you want.")
            .arg(base.toString());
    return {};
}
