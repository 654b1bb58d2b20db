#include "catalog_model.h"

#include "embedding/embedding_fit.h"
#include "model/variants.h"

facet::FitEstimate CatalogModel::fitOf(const CatalogEntry& e, const facet::MachineMemory& machine, int context) {
    if (e.kind == QLatin1String("embedding")) {
        facet::EmbeddingDesc ed;
        if (!facet::embeddingVariantByName(e.variant.toStdString(), ed))
            return {facet::Fit::WontFit, QObject::tr("unknown variant %1").arg(e.variant).toStdString()};
        facet::GgmlType type = facet::GgmlType::BF16;
        facet::typeFromName(e.type.toStdString(), type);
        return facet::estimateFit(facet::estimateEmbeddingMemory(ed, type), machine);  // no context: each batch is encoded once
    }
    facet::ModelDesc d;
    if (!facet::variantByName(e.variant.toStdString(), d))
        return {facet::Fit::WontFit, QObject::tr("unknown variant %1").arg(e.variant).toStdString()};
    facet::GgmlType type = facet::GgmlType::BF16;  // a name the engine does not know counts as the widest common type
    facet::typeFromName(e.type.toStdString(), type);
    return facet::estimateFit(facet::estimateMemory(d, type, context), machine);
}

QVariant CatalogModel::data(const QModelIndex& index, int role) const {
    if (!index.isValid() || index.row() >= entries_.size()) return {};
    const CatalogEntry& e = entries_[index.row()];
    const facet::FitEstimate& f = fits_[index.row()];
    switch (role) {
        case Qt::DisplayRole:
        case NameRole: return e.name;
        case IdRole: return e.id;
        case VariantRole: return e.variant;
        case KindRole: return e.kind;
        case FormatRole: return e.format;
        case TypeRole: return e.type;
        case RepoRole: return e.repo;
        case SizeRole: return e.approxBytes;
        case LicenseRole: return e.license;
        case DescriptionRole: return e.description;
        case FitRole: return QString::fromUtf8(facet::fitName(f.fit));
        case FitReasonRole: return QString::fromStdString(f.reason);
        case InstalledRole: return installed_.contains(e.id);
        default: return {};
    }
}

QHash<int, QByteArray> CatalogModel::roleNames() const {
    return {{IdRole, "entryId"}, {NameRole, "name"}, {VariantRole, "variant"}, {KindRole, "kind"}, {FormatRole, "format"},
            {TypeRole, "weightType"}, {RepoRole, "repo"}, {SizeRole, "sizeBytes"}, {LicenseRole, "license"},
            {DescriptionRole, "description"}, {FitRole, "fit"}, {FitReasonRole, "fitReason"}, {InstalledRole, "installed"}};
}

void CatalogModel::setEntries(const QList<CatalogEntry>& entries) {
    beginResetModel();
    entries_ = entries;
    fits_.clear();
    for (const CatalogEntry& e : entries_) fits_ << fitOf(e, machine_, context_);
    endResetModel();
}

const CatalogEntry* CatalogModel::find(const QString& id) const {
    for (const CatalogEntry& e : entries_)
        if (e.id == id) return &e;
    return nullptr;
}

void CatalogModel::setMachine(const facet::MachineMemory& machine, int context) {
    machine_ = machine;
    context_ = context;
    for (int i = 0; i < entries_.size(); ++i) fits_[i] = fitOf(entries_[i], machine_, context_);
    if (!entries_.isEmpty()) emit dataChanged(index(0), index(int(entries_.size()) - 1), {FitRole, FitReasonRole});
}

void CatalogModel::setInstalled(const QStringList& ids) {
    installed_ = ids;
    if (!entries_.isEmpty()) emit dataChanged(index(0), index(int(entries_.size()) - 1), {InstalledRole});
}
