#include "catalog.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>

#include "vision/projector_pairing.h"

namespace {

bool matchesAny(const QString& path, const QStringList& patterns) {
    const QString name = path.section('/', -1);
    for (const QString& p : patterns) {
        // Anchored; '*' stops at '/', so "*.gguf" matches names and "BF16/*" paths.
        const QRegularExpression re(QRegularExpression::wildcardToRegularExpression(p), QRegularExpression::CaseInsensitiveOption);
        if (re.match(name).hasMatch() || re.match(path).hasMatch()) return true;
    }
    return false;
}

QStringList strings(const QJsonValue& v) {
    QStringList out;
    for (const QJsonValue& s : v.toArray()) out << s.toString();
    return out;
}

}  // namespace

bool CatalogEntry::wants(const QString& path) const {
    return matchesAny(path, include) && !matchesAny(path, exclude) && !wantsProjector(path);
}

bool CatalogEntry::wantsProjector(const QString& path) const { return !mmproj.isEmpty() && matchesAny(path, {mmproj}); }

QString CatalogEntry::pickProjector(const QStringList& paths) const {
    QString best;
    int bestRank = 0;
    for (const QString& p : paths) {
        if (!wantsProjector(p)) continue;
        // Half precision first: half the download of F32 for the same soft tokens.
        const int rank = facet::projectorNamePrecisionRank(p.section('/', -1).toStdString());
        if (best.isEmpty() || rank < bestRank || (rank == bestRank && p < best)) {
            best = p;
            bestRank = rank;
        }
    }
    return best;
}

QList<CatalogEntry> parseCatalog(const QByteArray& json, QString* error) {
    const auto fail = [&](const QString& e) {
        if (error) *error = e;
        return QList<CatalogEntry>{};
    };
    QJsonParseError pe;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &pe);
    if (doc.isNull()) return fail(QObject::tr("catalog: %1 at offset %2").arg(pe.errorString()).arg(pe.offset));
    const QJsonValue models = doc.object().value("models");
    if (!models.isArray()) return fail(QObject::tr("catalog: no \"models\" array"));
    QList<CatalogEntry> out;
    QStringList ids;
    for (const QJsonValue& v : models.toArray()) {
        const QJsonObject o = v.toObject();
        CatalogEntry e;
        e.id = o.value("id").toString();
        e.name = o.value("name").toString();
        e.variant = o.value("variant").toString();
        e.kind = o.value("kind").toString(QStringLiteral("chat"));
        e.format = o.value("format").toString();
        e.type = o.value("type").toString();
        e.repo = o.value("repo").toString();
        e.include = strings(o.value("include"));
        e.exclude = strings(o.value("exclude"));
        e.mmproj = o.value("mmproj").toString();
        e.approxBytes = o.value("approxBytes").toInteger();
        e.sha256 = o.value("sha256").toString().toLower();
        e.license = o.value("license").toString();
        e.description = o.value("description").toString();
        const QString where = QObject::tr("catalog entry %1").arg(out.size() + 1);
        if (e.id.isEmpty() || ids.contains(e.id)) return fail(where + QObject::tr(": missing or repeated \"id\""));
        for (const auto& [field, value] : {std::pair{"name", e.name}, {"variant", e.variant}, {"type", e.type}, {"repo", e.repo}})
            if (value.isEmpty()) return fail(QObject::tr("%1 (%2): missing \"%3\"").arg(where, e.id, field));
        if (e.format != "gguf" && e.format != "safetensors")
            return fail(QObject::tr("%1 (%2): format must be gguf or safetensors").arg(where, e.id));
        if (e.kind != "chat" && e.kind != "embedding")
            return fail(QObject::tr("%1 (%2): kind must be chat or embedding").arg(where, e.id));
        if (e.include.isEmpty()) return fail(QObject::tr("%1 (%2): no include patterns").arg(where, e.id));
        if (!e.mmproj.isEmpty() && (e.format != "gguf" || e.kind != "chat"))
            return fail(QObject::tr("%1 (%2): \"mmproj\" is only for GGUF chat models").arg(where, e.id));
        if (o.contains("mmproj") && (!o.value("mmproj").isString() || e.mmproj.isEmpty()))
            return fail(QObject::tr("%1 (%2): \"mmproj\" must be a file name pattern").arg(where, e.id));
        if (!e.repo.contains('/') || e.repo.startsWith('/') || e.repo.contains(".."))
            return fail(QObject::tr("%1 (%2): repo must be owner/name").arg(where, e.id));
        static const QRegularExpression hex("^[0-9a-f]{64}$");
        if (!e.sha256.isEmpty() && !hex.match(e.sha256).hasMatch())
            return fail(QObject::tr("%1 (%2): sha256 must be 64 hex digits").arg(where, e.id));
        ids << e.id;
        out << e;
    }
    return out;
}

QList<CatalogEntry> builtinCatalog(QString* error) {
    QFile f(QStringLiteral(":/facet/catalog.json"));
    if (!f.open(QIODevice::ReadOnly)) {
        if (error) *error = QObject::tr("the built-in catalog is missing");
        return {};
    }
    return parseCatalog(f.readAll(), error);
}
