// Loads a reference JSON from tests/data (the reference model set, copied in):
// the llama.cpp outputs ("reference") and the float64 NumPy outputs
// ("exact_reference") for one small Gemma 4 GGUF.
#pragma once

#include <QJsonObject>
#include <QString>
#include <vector>

namespace facet::test {

struct PromptLogits {
    int pos = 0;
    std::vector<double> logits;
};

struct GenStep {
    int pos = 0;
    int token = 0;
    double margin = 0;
};

struct ReferenceRun {
    std::vector<PromptLogits> promptLogits;
    std::vector<int> generated;
    std::vector<GenStep> steps;
};

struct ReferenceModel {
    QString name;
    QString ggufPath;
    std::vector<int> promptIds;
    std::vector<int> promptArgmax;        // llama.cpp, every prompt position
    std::vector<double> promptMargin;
    ReferenceRun llama;                   // "reference"
    ReferenceRun exact;                   // "exact_reference"
    QJsonObject captures;                 // reference.captures
    std::vector<int> capturePositions;
};

// Reads tests/data/<jsonName>; fails the current test (QFAIL-style via a bool) when unreadable.
bool loadReferenceModel(const QString& jsonName, ReferenceModel& out, QString& error);

// Max |a - b| over the shorter length.
double maxAbsDiff(const float* a, const std::vector<double>& b);

}  // namespace facet::test
