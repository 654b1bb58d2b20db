// Writes generated test models into a temporary folder via the engine's
// model maker (the same code facet-mkmodel runs).
#pragma once

#include <QString>
#include <QTemporaryDir>

#include "model/model_maker.h"
#include "model/variants.h"

namespace facet::test {

// Writes `d` as a GGUF (or HF folder when hf) under `dir`; returns the path or
// an empty string after recording a test failure message in `error`.
QString writeModel(const QTemporaryDir& dir, const QString& name, const ModelDesc& d, const MakeOptions& opt,
                   bool hf, QString& error);

}  // namespace facet::test
