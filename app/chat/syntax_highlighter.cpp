#include "syntax_highlighter.h"

#include <QSet>
#include <QTextDocument>

struct CodeLanguage {
    QString name;
    QStringList aliases;
    QSet<QString> keywords;
    QString lineComment;    // "" = none
    bool blockComments;     // /* ... */
    QString quotes;         // characters that open strings
    bool caseInsensitive;
};

namespace {

QSet<QString> words(const char* list) {
    QSet<QString> s;
    for (const QString& w : QString::fromLatin1(list).split(' ', Qt::SkipEmptyParts)) s.insert(w);
    return s;
}

const QList<CodeLanguage>& languages() {
    static const QList<CodeLanguage> all = {
        {"cpp", {"c", "c++", "cc", "cxx", "h", "hpp", "objc"},
         words("alignas alignof auto bool break case catch char class const constexpr consteval continue co_await "
               "co_return co_yield decltype default delete do double else enum explicit extern false float for friend "
               "goto if inline int long mutable namespace new noexcept nullptr operator private protected public "
               "register return short signed sizeof static static_assert struct switch template this throw true try "
               "typedef typename union unsigned using virtual void volatile while #include #define #pragma #if #endif "
               "#ifdef #ifndef #else uint8_t uint16_t uint32_t uint64_t int8_t int16_t int32_t int64_t size_t std"),
         "//", true, "\"'", false},
        {"python", {"py", "python3"},
         words("False None True and as assert async await break class continue def del elif else except finally for "
               "from global if import in is lambda nonlocal not or pass raise return try while with yield self print"),
         "#", false, "\"'", false},
        {"javascript", {"js", "jsx", "typescript", "ts", "tsx", "node", "mjs"},
         words("async await break case catch class const continue debugger default delete do else enum export extends "
               "false finally for function if implements import in instanceof interface let new null of package private "
               "protected public return static super switch this throw true try type typeof undefined var void while "
               "with yield readonly number string boolean any unknown never as"),
         "//", true, "\"'`", false},
        {"rust", {"rs"},
         words("as async await break const continue crate dyn else enum extern false fn for if impl in let loop match "
               "mod move mut pub ref return self Self static struct super trait true type unsafe use where while i8 "
               "i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64 bool char str String Vec Option Some None Ok "
               "Err Result"),
         "//", true, "\"", false},
        {"go", {"golang"},
         words("break case chan const continue default defer else fallthrough for func go goto if import interface map "
               "package range return select struct switch type var nil true false int int8 int16 int32 int64 uint "
               "uint8 uint16 uint32 uint64 float32 float64 string bool byte rune error make len cap append"),
         "//", true, "\"'`", false},
        {"java", {"kotlin", "kt"},
         words("abstract assert boolean break byte case catch char class const continue default do double else enum "
               "extends final finally float for goto if implements import instanceof int interface long native new "
               "null package private protected public return short static strictfp super switch synchronized this "
               "throw throws transient true false try void volatile while var record"),
         "//", true, "\"'", false},
        {"shell", {"sh", "bash", "zsh", "console", "shellscript", "ksh"},
         words("if then else elif fi for while until do done case esac function in select return exit export local "
               "readonly declare set unset source echo cd"),
         "#", false, "\"'", false},
        {"json", {"jsonc", "json5"}, words("true false null"), "", false, "\"", false},
        {"sql", {"mysql", "postgres", "postgresql", "sqlite", "plsql"},
         words("select from where insert into values update set delete create table drop alter add index primary key "
               "foreign references join left right inner outer on group by order having limit offset as and or not "
               "null is in like between distinct union all case when then else end count sum avg min max exists "
               "integer text real blob varchar int default begin commit rollback transaction"),
         "--", true, "'\"", true},
    };
    return all;
}

const CodeLanguage* findLanguage(const QString& name) {
    const QString n = name.trimmed().toLower();
    if (n.isEmpty()) return nullptr;
    for (const CodeLanguage& l : languages())
        if (l.name == n || l.aliases.contains(n)) return &l;
    return nullptr;
}

bool isIdent(QChar c) { return c.isLetterOrNumber() || c == '_'; }

}  // namespace

QString SyntaxHighlighter::canonicalLanguage(const QString& name) {
    const CodeLanguage* l = findLanguage(name);
    return l ? l->name : QString();
}

SyntaxHighlighter::SyntaxHighlighter(QTextDocument* doc, const QString& language, bool dark)
    : QSyntaxHighlighter(doc), lang_(findLanguage(language)) {
    keyword_.setForeground(QColor(dark ? "#c792ea" : "#7c3aed"));
    keyword_.setFontWeight(QFont::DemiBold);
    string_.setForeground(QColor(dark ? "#c3e88d" : "#15803d"));
    comment_.setForeground(QColor(dark ? "#7f8c98" : "#6b7280"));
    comment_.setFontItalic(true);
    number_.setForeground(QColor(dark ? "#f78c6c" : "#b45309"));
}

// Block state 1: inside a /* */ comment that continues on the next line.
void SyntaxHighlighter::highlightBlock(const QString& text) {
    setCurrentBlockState(0);
    if (!lang_) return;
    const CodeLanguage& L = *lang_;
    int i = 0;
    const int n = int(text.size());
    if (previousBlockState() == 1) {
        const int end = text.indexOf("*/");
        if (end < 0) {
            setFormat(0, n, comment_);
            setCurrentBlockState(1);
            return;
        }
        setFormat(0, end + 2, comment_);
        i = end + 2;
    }
    while (i < n) {
        const QChar c = text[i];
        if (!L.lineComment.isEmpty() && text.mid(i, L.lineComment.size()) == L.lineComment &&
            !(L.name == "shell" && i > 0 && text[i - 1] == '$')) {
            setFormat(i, n - i, comment_);
            return;
        }
        if (L.blockComments && c == '/' && i + 1 < n && text[i + 1] == '*') {
            const int end = text.indexOf("*/", i + 2);
            if (end < 0) {
                setFormat(i, n - i, comment_);
                setCurrentBlockState(1);
                return;
            }
            setFormat(i, end + 2 - i, comment_);
            i = end + 2;
            continue;
        }
        if (L.quotes.contains(c)) {
            int j = i + 1;
            while (j < n && text[j] != c) j += text[j] == '\\' ? 2 : 1;
            j = std::min(j + 1, n);
            setFormat(i, j - i, string_);
            i = j;
            continue;
        }
        if (c.isDigit() && (i == 0 || !isIdent(text[i - 1]))) {
            int j = i + 1;
            while (j < n && (isIdent(text[j]) || text[j] == '.')) ++j;
            setFormat(i, j - i, number_);
            i = j;
            continue;
        }
        if (isIdent(c) || (c == '#' && L.name == "cpp")) {
            int j = i + 1;
            while (j < n && isIdent(text[j])) ++j;
            const QString w = text.mid(i, j - i);
            if (L.keywords.contains(L.caseInsensitive ? w.toLower() : w)) setFormat(i, j - i, keyword_);
            i = j;
            continue;
        }
        ++i;
    }
}

void CodeHighlighter::setDocument(QQuickTextDocument* d) {
    if (d == document_) return;
    document_ = d;
    rebuild();
    emit changed();
}

void CodeHighlighter::setLanguage(const QString& l) {
    if (l == language_) return;
    language_ = l;
    rebuild();
    emit changed();
}

void CodeHighlighter::setDark(bool d) {
    if (d == dark_) return;
    dark_ = d;
    rebuild();
    emit changed();
}

void CodeHighlighter::rebuild() {
    delete highlighter_.data();
    if (document_ && document_->textDocument())
        highlighter_ = new SyntaxHighlighter(document_->textDocument(), language_, dark_);
}
