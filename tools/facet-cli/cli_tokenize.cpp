// facet-cli tokenize: ids of stdin's UTF-8 text, space-separated on one line.
// User text never becomes control tokens; BOS is prepended unless --no-bos.
#include <cstdio>
#include <iostream>
#include <iterator>

#include "cli_common.h"

namespace facet::cli {

int commandTokenize(const std::vector<std::string>& argv) {
    auto args = Args::parse(argv, {"--model"}, {"--no-bos"});
    if (!args.ok()) return fail(args.message());
    auto path = args->require("--model");
    if (!path.ok()) return fail(path.message());
    auto tok = openTokenizer(path.value());
    if (!tok.ok()) return fail(tok.message());
    const std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    const std::vector<int> ids = args->has("--no-bos") ? tok.value()->encode(text) : tok.value()->encodeWithBos(text);
    std::string line;
    for (size_t i = 0; i < ids.size(); ++i) line += (i ? " " : "") + std::to_string(ids[i]);
    std::printf("%s\n", line.c_str());
    return 0;
}

}  // namespace facet::cli
