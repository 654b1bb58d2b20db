// The models on disk: every .gguf (not a vision projector) and every Hugging
// Face folder (config.json beside *.safetensors) under the models folder, with
// what the model description says (variant, weight type, parameters, context
// length), the size on disk, and whether it sees images: a GGUF paired with
// its projector (vision/projector_pairing.h), a folder with the vision tower.
// Scans and imports run on worker threads.
#pragma once

#include <QAbstractListModel>
#include <QList>
#include <QThread>
#include <QtQml/qqmlregistration.h>

// A split GGUF's part: "m-00002-of-00003.gguf" → {"m", 2, 3}; {"", 0, 0} for other names.
struct SplitPartName {
    QString stem;
    int index = 0, count = 0;
};
SplitPartName ggufSplit(const QString& path);
// Every file of the split set `path` belongs to, part 1 first (whether or not
// each exists); {path} for any other path.
QStringList ggufSplitParts(const QString& path);
// Part 1 of a split set, which stands for the model (its name keys settings
// and recent lists); `path` itself for any other path.
QString ggufFirstPart(const QString& path);

struct InstalledModel {
    QString name, path;  // a .gguf file or an HF folder
    QString variant, weightType, error;
    QString kind = QStringLiteral("chat");  // "embedding": EmbeddingGemma, for Documents
    qint64 parameters = 0, sizeBytes = 0;
    int contextLength = 0;
    bool seesImages = false;
    QString projector;      // the paired mmproj GGUF; empty for none (and for HF folders)
    QString projectorNote;  // why there is none, when there is none
};

class InstalledModelsModel : public QAbstractListModel {
    Q_OBJECT
    QML_ELEMENT
    QML_UNCREATABLE("owned by ModelManager")
    Q_PROPERTY(QString folder READ folder WRITE setFolder NOTIFY folderChanged)
    Q_PROPERTY(qint64 totalBytes READ totalBytes NOTIFY scanned)
    Q_PROPERTY(bool scanning READ scanning NOTIFY scanningChanged)
    Q_PROPERTY(int count READ count NOTIFY scanned)
public:
    enum Role { NameRole = Qt::UserRole + 1, PathRole, VariantRole, WeightTypeRole, ParametersRole, SizeRole, ContextRole, ErrorRole, KindRole,
                SeesImagesRole, ProjectorRole,
                ImageSupportAvailableRole };  // no projector yet, but its catalog entry offers one
    explicit InstalledModelsModel(QObject* parent = nullptr);
    ~InstalledModelsModel() override;

    int rowCount(const QModelIndex& parent = {}) const override { return parent.isValid() ? 0 : int(items_.size()); }
    QVariant data(const QModelIndex& index, int role) const override;
    QHash<int, QByteArray> roleNames() const override;

    QString folder() const { return folder_; }
    void setFolder(const QString& dir);
    qint64 totalBytes() const;
    bool scanning() const { return scanning_ > 0; }
    int count() const { return int(items_.size()); }
    const QList<InstalledModel>& items() const { return items_; }
    bool contains(const QString& fileName) const;  // by file or folder name
    // Catalog entries with a projector to download: a model in <folder>/<id>/
    // without one shows "Download image support".
    void setProjectorEntries(const QStringList& entryIds);

    Q_INVOKABLE void rescan();
    // Deletes a model that lies inside the folder (file, or HF folder with its
    // files), and its projector when no other model of the last scan uses it.
    Q_INVOKABLE bool remove(const QString& path);
    // Copies (or symlinks) a .gguf or HF folder into the folder, then rescans.
    // Returns false at once for what cannot be imported (error in lastError).
    Q_INVOKABLE bool importModel(const QString& source, bool link);
    Q_INVOKABLE QString lastError() const { return lastError_; }

    // What one path holds (runs the engine's model reader): used by the scan.
    static InstalledModel describe(const QString& path);

signals:
    void folderChanged();
    void scanned();
    void scanningChanged();
    void importFinished(const QString& path, const QString& error);

private:
    void runInThread(std::function<void()> work);
    bool offersProjector(const InstalledModel& m) const;
    QList<InstalledModel> items_;
    QStringList projectorEntries_;
    QString folder_, lastError_;
    int scanning_ = 0;
    quint64 generation_ = 0;
    QList<QThread*> threads_;
};
