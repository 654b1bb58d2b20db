#include "text_decoding.h"

#include <QStringDecoder>

namespace facet::docs {

namespace {

// 0x80..0x9F in Windows-1252 (https://www.unicode.org/Public/MAPPINGS/VENDORS/MICSFT/WINDOWS/CP1252.TXT);
// 0 marks the undefined bytes, which keep their Latin-1 (C1) value.
constexpr char16_t kCp1252High[32] = {
    0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
    0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178};

// Text files have no NUL bytes and few control characters (tab, CR, LF and FF
// are normal). Only the first 64 KiB is sniffed, as file(1) does.
bool looksBinary(const QByteArray& bytes) {
    const qsizetype n = std::min<qsizetype>(bytes.size(), 64 * 1024);
    qsizetype control = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const auto c = static_cast<unsigned char>(bytes[i]);
        if (c == 0) return true;
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != 0x1b) ++control;
    }
    return n > 0 && control * 20 > n;  // > 5 % control bytes
}

Result<DecodedText> decodeUtf16(const QByteArray& bytes, bool littleEndian) {
    QStringDecoder dec(littleEndian ? QStringConverter::Utf16LE : QStringConverter::Utf16BE);
    QString s = dec.decode(bytes.mid(2));
    if (dec.hasError()) return errorf("corrupt: invalid UTF-16%s text", littleEndian ? "LE" : "BE");
    if (s.contains(QChar(0))) return makeError("binary: NUL characters in UTF-16 text");
    return DecodedText{s, littleEndian ? TextEncoding::Utf16LE : TextEncoding::Utf16BE};
}

}  // namespace

QString fromWindows1252(const QByteArray& bytes) {
    QString out;
    out.reserve(bytes.size());
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        const char16_t mapped = (c >= 0x80 && c < 0xA0) ? kCp1252High[c - 0x80] : 0;
        out.append(QChar(mapped ? mapped : char16_t(c)));
    }
    return out;
}

Result<DecodedText> decodeText(const QByteArray& bytes) {
    if (bytes.startsWith("\xFF\xFE")) return decodeUtf16(bytes, true);
    if (bytes.startsWith("\xFE\xFF")) return decodeUtf16(bytes, false);
    const bool bom = bytes.startsWith("\xEF\xBB\xBF");
    const QByteArray body = bom ? bytes.mid(3) : bytes;
    if (looksBinary(body)) return makeError("binary: not a text file (NUL or control bytes)");
    QStringDecoder utf8(QStringConverter::Utf8, QStringConverter::Flag::Stateless);
    QString s = utf8.decode(body);
    if (!utf8.hasError()) return DecodedText{s, TextEncoding::Utf8};
    // Not valid UTF-8: a legacy 8-bit file. Windows-1252 is what such files
    // almost always are on the desktop, and it decodes every byte.
    return DecodedText{fromWindows1252(body), TextEncoding::Windows1252};
}

}  // namespace facet::docs
