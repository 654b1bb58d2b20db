#include "support/gemma4_markers.h"

#include <QFile>

#include "support/test_paths.h"

namespace facet::test {

const Marker kGemma4Markers[12] = {
    {"<|tool>", 46, PieceType::Control},              {"<tool|>", 47, PieceType::Control},
    {"<|tool_call>", 48, PieceType::UserDefined},     {"<tool_call|>", 49, PieceType::UserDefined},
    {"<|tool_response>", 50, PieceType::UserDefined}, {"<tool_response|>", 51, PieceType::UserDefined},
    {"<|\"|>", 52, PieceType::UserDefined},           {"<|think|>", 98, PieceType::Control},
    {"<|channel>", 100, PieceType::UserDefined},      {"<channel|>", 101, PieceType::UserDefined},
    {"<|turn>", 105, PieceType::Control},             {"<turn|>", 106, PieceType::Control},
};

Vocab withGemma4Markers(Vocab v) {
    for (const Marker& m : kGemma4Markers) {
        v.pieces[m.id] = m.piece;
        v.types[m.id] = m.type;
    }
    return v;
}

Result<std::unique_ptr<Tokenizer>> gemma4Tokenizer() {
    const QString path = tokenizerJsonPath();
    if (!QFile::exists(path))
        return errorf("the real Gemma vocabulary is missing (ctest fixture fetch_gemma_tokenizer): %s", qPrintable(path));
    FACET_ASSIGN(Vocab vocab, vocabFromTokenizerJson(path.toStdString()));
    return Tokenizer::fromVocab(withGemma4Markers(std::move(vocab)));
}

}  // namespace facet::test
