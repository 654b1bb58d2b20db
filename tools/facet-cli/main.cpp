// facet-cli: the engine from the command line. Results go to stdout;
// diagnostics and speed to stderr; any failure exits non-zero with one line.
#include <cstdio>
#include <exception>
#include <string>
#include <vector>

#include "cli_common.h"

static const char* kUsage =
    "usage: facet-cli COMMAND [options]\n"
    "  tokenize --model PATH [--no-bos]            ids of stdin's UTF-8 text\n"
    "  generate --model PATH (--prompt TEXT | --tokens \"ID ...\") [-n N] [--temp T] [--top-k K]\n"
    "           [--top-p P] [--min-p P] [--repeat-penalty R] [--seed S] [--ctx N]\n"
    "           [--backend vulkan|cpu] [--device N|NAME] [--chat] [--think] [--system TEXT]\n"
    "           [--mmproj PATH --image FILE [--image FILE ...] [--image-tokens N]]   pictures before the prompt\n"
    "  logits   --model PATH --tokens \"ID ...\" --out FILE [--backend vulkan|cpu] [--device N|NAME]\n"
    "           [--mmproj PATH --image FILE]   the picture's soft tokens replace the image placeholders\n"
    "           (with a picture the backend defaults to cpu)\n"
    "  embed-image --model PATH --mmproj PATH --image FILE [--backend vulkan|cpu] --out FILE\n"
    "           soft tokens of a picture (float32 [n][hidden]); prints n on stdout\n"
    "  embed    --model PATH (--text TEXT | --tokens \"ID ...\") [--dim N] [--backend vulkan|cpu]\n"
    "           --out FILE                       EmbeddingGemma sentence embedding (float32 row)\n"
    "  info     --model PATH [--ctx N]\n"
    "  devices  [--validation]                     Vulkan devices and their capabilities\n"
    "  download --url URL --out PATH [--sha256 HEX] [--token TOKEN] [--stall-timeout MS]\n"
    "           [--retry-delay MS] [--retries N]   resumable HTTPS download (HF_TOKEN also read)\n"
    "  docs add    --db DB [--embed-model PATH] PATH...   index files and folders (progress on stderr)\n"
    "  docs search --db DB --query TEXT [-k N] [--mode keyword|semantic|hybrid] [--json]\n"
    "  docs ask    --db DB --model PATH --query TEXT [-k N] [--embed-model PATH] [-n N]\n"
    "              [--backend vulkan|cpu] [--device N|NAME]   answer from the passages, citing [n]\n"
    "  docs status --db DB [--json]\n"
    "  docs remove --db DB PATH...\n"
    "  serve    --model PATH [--host 127.0.0.1] [--port N] [--api-key KEY | --no-auth] [--ctx N]\n"
    "           [--backend vulkan|cpu] [--embed-model PATH]   OpenAI-compatible API; prints\n"
    "           \"listening on http://HOST:PORT\" when ready (--port 0: a free port)\n"
    "           [--reasoning-field reasoning_content|reasoning]   where thinking goes\n"
    "           [--mmproj PATH [--allow-image-urls]]   pictures (image_url data URLs; http(s) fetched if allowed)\n"
    "The backend is Vulkan when a device exists, else the CPU reference; --device or\n"
    "FACET_DEVICE picks a device by index or name (facet-cli devices lists them).\n";

int main(int argc, char** argv) {
    using namespace facet::cli;
    if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
        std::fputs(kUsage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    const std::string cmd = argv[1];
    const std::vector<std::string> rest(argv + 2, argv + argc);
    try {
        if (cmd == "tokenize") return commandTokenize(rest);
        if (cmd == "generate") return commandGenerate(rest);
        if (cmd == "logits") return commandLogits(rest);
        if (cmd == "embed") return commandEmbed(rest);
#ifdef FACET_CLI_VISION
        if (cmd == "embed-image") return commandEmbedImage(rest);
#endif
        if (cmd == "info") return commandInfo(rest);
        if (cmd == "devices") return commandDevices(rest);
#ifdef FACET_CLI_DOWNLOAD
        if (cmd == "download") return commandDownload(rest);
#else
        if (cmd == "download") return fail("download: this facet-cli was built without Qt Network");
#endif
#ifdef FACET_CLI_SERVE
        if (cmd == "serve") return commandServe(rest);
#else
        if (cmd == "serve") return fail("serve: this facet-cli was built without the server (Qt Network)");
#endif
#ifdef FACET_CLI_DOCS
        if (cmd == "docs") return commandDocs(rest);
#else
        if (cmd == "docs") return fail("docs: this facet-cli was built without QtPdf/QtSql");
#endif
    } catch (const std::exception& e) {
        return fail(std::string("internal error: ") + e.what());
    }
    return fail("unknown command '" + cmd + "' (try --help)");
}
