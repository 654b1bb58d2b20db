// The catalog as the model manager shows it: each entry with its fit on
// this machine at the chosen context ("fits", "may be slow", "won't fit",
// computed from the variant's description, see runtime/fit_estimate.h) and
// whether it is already installed.
#pragma once

#include <QAbstractListModel>
#include <QtQml/qqmlregistration.h>

#include "catalog.h"
#include "runtime/fit_estimate.h"

class CatalogModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ModelManager")
public:
    enum Role { IdRole = Qt::UserRole + 1, NameRole, VariantRole, FormatRole, TypeRole, RepoRole, SizeRole,
                LicenseRole, DescriptionRole, FitRole, FitReasonRole, InstalledRole, KindRole };
    using QAbstractListModel::QAbstractListModel;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(entries_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    void setEntries(const QList<CatalogEntry>& entries);
    const QList<CatalogEntry>& entries() const { return entries_; }
    const CatalogEntry* find(const QString& id) const;
    // Recomputes every row's fit for this machine and context length.
    void setMachine(const facet::MachineMemory& machine, int context);
    void setInstalled(const QStringList& ids);

    // The estimate for one entry (exposed for tests and the CLI-free check).
    static facet::FitEstimate fitOf(const CatalogEntry& e, const facet::MachineMemory& machine, int context);

private:
    QList<CatalogEntry> entries_;
    QList<facet::FitEstimate> fits_;
    QStringList installed_;
    facet::MachineMemory machine_;
    int context_ = 8192;
};
