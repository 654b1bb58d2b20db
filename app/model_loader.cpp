#include "model_loader.h"

#include <algorithm>

#include "model/model.h"
#include "model/model_summary.h"

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
    QStringList layers;
    for (const std::string& l : facet::describeLayers(m.desc())) layers << QString::fromStdString(l);
    emit loaded(path, facts, layers);
}
