#include "model_loader.h"

#include <QFileInfo>
#include <algorithm>

#include "model/model.h"
#include "model/model_summary.h"
#include "vision/projector_pairing.h"

void ModelLoader::load(const QString& path, int ctx) {
    auto model = facet::Model::open(path.toStdString());
    if (!model.ok()) {
        emit failed(path, QString::fromStdString(model.message()));
        return;
    }
    const facet::Model& m = *model.value();
    QVector<ModelFactRow> facts;
    const int c = std::min(ctx, m.desc().contextLength);
    for (const facet::ModelFact& f : facet::summarizeModel(m, c))
        facts.push_back({QString::fromStdString(f.key), QString::fromStdString(f.value)});
    // Image input: the projector the chat opens with it (EngineWorker::load pairs the same way).
    if (m.format() == facet::ModelFormat::Gguf) {
        const facet::ProjectorPairing p = facet::findProjector(path.toStdString(), m.desc().hidden);
        facts.push_back({QStringLiteral("image input"),
                         p.paired() ? tr("yes, with %1").arg(QFileInfo(QString::fromStdString(p.path)).fileName())
                                    : tr("no: %1").arg(QString::fromStdString(p.reason))});
    } else {
        facts.push_back({QStringLiteral("image input"), tr("no: a GGUF model with its mmproj file sees pictures")});
    }
    QStringList layers;
    for (const std::string& l : facet::describeLayers(m.desc())) layers << QString::fromStdString(l);
    emit loaded(path, facts, layers);
}
