// Writes a whole file so that readers never see half of it: the bytes go to
// PATH.tmp, which is then renamed over PATH; a failure removes the temporary
// and leaves PATH as it was.
#pragma once

#include <string>
#include <string_view>

#include "core/result.h"

namespace facet {

Status replaceFile(const std::string& path, std::string_view bytes);

}  // namespace facet
