// Shape formatting for error messages and `facet-cli info`.
#include "model/tensor_view.h"

namespace facet {

std::string shapeString(const TensorView& t) {
    std::string s = "[";
    // A view made without nDims still has a meaningful ne[0].
    const int n = t.nDims < 1 ? 1 : (t.nDims > 4 ? 4 : t.nDims);
    for (int i = 0; i < n; ++i) {
        if (i > 0) s += ", ";
        s += std::to_string(t.ne[static_cast<size_t>(i)]);
    }
    s += "]";
    return s;
}

}  // namespace facet
