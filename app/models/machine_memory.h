// What this machine offers a model: physical RAM and the chosen GPU's
// device-local memory (0 when there is no GPU or the "GPU" is a CPU such as
// lavapipe; an integrated GPU shares the RAM). Probing Vulkan takes a moment,
// so callers run it off the UI thread.
#pragma once

#include <QString>

#include "runtime/fit_estimate.h"

struct MachineProbe {
    facet::MachineMemory memory;
    QString gpuName;  // "" when there is none
};

// `device`: the settings' device choice ("" = the best, "N" or a name).
MachineProbe probeMachine(const QString& device);
