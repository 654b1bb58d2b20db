// Whether a path can be a model at all, asked before the loaded model is let
// go: "Open with Facet" hands over any folder or file. A model is a file that
// starts with the GGUF magic or a folder with config.json (Hugging Face); the
// engine says what else is wrong once it reads one.
#pragma once

#include <QString>

// Empty when `path` may be a model; else a sentence for the user saying why not.
QString modelPathProblem(const QString& path);
