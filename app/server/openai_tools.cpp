#include "openai_tools.h"

#include <QJsonDocument>
#include <QRegularExpression>

#include "chat/tool_syntax.h"

namespace facet::server {

namespace {

std::string compact(const QJsonValue& v) {
    if (v.isObject()) return QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact).toStdString();
    return QJsonDocument(v.toArray()).toJson(QJsonDocument::Compact).toStdString();
}

std::optional<ApiError> readTools(const QJsonObject& o, ToolUse& t) {
    if (o.contains(QLatin1String("functions")))
        return unsupportedParameter(QStringLiteral("functions"),
                                    QStringLiteral("'functions' is deprecated and not supported; use 'tools'"));
    const QJsonValue v = o.value(QLatin1String("tools"));
    if (v.isUndefined() || v.isNull()) return std::nullopt;
    if (!v.isArray()) return invalidValue(QStringLiteral("tools"), QStringLiteral("'tools' must be an array"));
    static const QRegularExpression kName(QStringLiteral("^[A-Za-z0-9_.-]{1,64}$"));
    const QJsonArray tools = v.toArray();
    for (int i = 0; i < tools.size(); ++i) {
        const QString at = QStringLiteral("tools[%1]").arg(i);
        const QJsonObject tool = tools[i].toObject();
        if (tool.value(QLatin1String("type")).toString() != QLatin1String("function"))
            return unsupportedParameter(at + QStringLiteral(".type"), QStringLiteral("Only tools of type 'function' are supported"));
        const QJsonObject fn = tool.value(QLatin1String("function")).toObject();
        if (!kName.match(fn.value(QLatin1String("name")).toString()).hasMatch())
            return invalidValue(at + QStringLiteral(".function.name"),
                                QStringLiteral("A function name must be 1 to 64 letters, digits, '_', '.' or '-'"));
        const QJsonValue params = fn.value(QLatin1String("parameters"));
        if (!params.isUndefined() && !params.isObject())
            return invalidValue(at + QStringLiteral(".function.parameters"), QStringLiteral("'parameters' must be a JSON Schema object"));
    }
    if (!tools.isEmpty()) t.toolsJson = compact(tools);
    return std::nullopt;
}

std::optional<ApiError> readChoice(const QJsonObject& o, ToolUse& t) {
    const QJsonValue c = o.value(QLatin1String("tool_choice"));
    if (c.isUndefined() || c.isNull()) return std::nullopt;
    const QString param = QStringLiteral("tool_choice");
    if (c.isString()) {
        const QString s = c.toString();
        if (s == QLatin1String("auto")) t.choice = ToolUse::Choice::Auto;
        else if (s == QLatin1String("none")) t.choice = ToolUse::Choice::None;
        else if (s == QLatin1String("required")) t.choice = ToolUse::Choice::Required;
        else return invalidValue(param, QStringLiteral("'tool_choice' must be 'auto', 'none', 'required' or a function"));
    } else {
        const QString name = c.toObject().value(QLatin1String("function")).toObject().value(QLatin1String("name")).toString();
        if (c.toObject().value(QLatin1String("type")).toString() != QLatin1String("function") || name.isEmpty())
            return invalidValue(param, QStringLiteral("'tool_choice' must name a function: {\"type\":\"function\",\"function\":{\"name\":…}}"));
        t.choice = ToolUse::Choice::Named;
        t.named = name;
    }
    if (t.choice != ToolUse::Choice::Auto && t.choice != ToolUse::Choice::None && t.toolsJson.empty())
        return invalidValue(param, QStringLiteral("'tool_choice' requires 'tools'"));
    return std::nullopt;
}

std::optional<ApiError> readResponseFormat(const QJsonObject& o, ToolUse& t) {
    const QJsonValue rf = o.value(QLatin1String("response_format"));
    if (rf.isUndefined() || rf.isNull()) return std::nullopt;
    const QString param = QStringLiteral("response_format");
    const QString type = rf.toObject().value(QLatin1String("type")).toString();
    if (type == QLatin1String("text")) return std::nullopt;
    if (type == QLatin1String("json_object")) {
        t.jsonOutput = true;
        t.grammar = grammar::anyJsonObject();
        return std::nullopt;
    }
    if (type != QLatin1String("json_schema"))
        return invalidValue(param + QStringLiteral(".type"), QStringLiteral("'type' must be 'text', 'json_object' or 'json_schema'"));
    const QJsonValue schema = rf.toObject().value(QLatin1String("json_schema")).toObject().value(QLatin1String("schema"));
    if (!schema.isObject())
        return invalidValue(param + QStringLiteral(".json_schema.schema"), QStringLiteral("'json_schema.schema' must be an object"));
    auto g = grammar::compileJsonSchema(compact(schema));
    if (!g.ok())
        return invalidValue(param + QStringLiteral(".json_schema.schema"), QString::fromStdString(g.message()));
    t.jsonOutput = true;
    t.grammar = std::move(g).value();
    return std::nullopt;
}

}  // namespace

ApiResult<ToolUse> readToolUse(const QJsonObject& o) {
    ToolUse t;
    if (auto e = readTools(o, t)) return *e;
    if (auto e = readChoice(o, t)) return *e;
    const QJsonValue par = o.value(QLatin1String("parallel_tool_calls"));
    if (!par.isUndefined() && !par.isNull()) {
        if (!par.isBool()) return invalidValue(QStringLiteral("parallel_tool_calls"), QStringLiteral("'parallel_tool_calls' must be a boolean"));
        t.parallel = par.toBool();
    }
    if (auto e = readResponseFormat(o, t)) return *e;
    if (t.choice == ToolUse::Choice::Required || t.choice == ToolUse::Choice::Named) {
        if (t.jsonOutput)
            return invalidValue(QStringLiteral("response_format"),
                                QStringLiteral("A required tool call and a JSON response format cannot both apply"));
        auto g = grammar::compileToolCalls(t.toolsJson, t.named.toStdString(), t.parallel ? kMaxParallelCalls : 1);
        if (!g.ok())
            return invalidValue(t.choice == ToolUse::Choice::Named ? QStringLiteral("tool_choice") : QStringLiteral("tools"),
                                QString::fromStdString(g.message()));
        t.grammar = std::move(g).value();
    }
    return t;
}

std::optional<ApiError> readToolTurn(const QJsonObject& m, const QString& at, std::vector<ChatMessage>& out,
                                     QHash<QString, QString>& callNames) {
    const QString role = m.value(QLatin1String("role")).toString();
    if (role == QLatin1String("assistant")) {
        ChatMessage cm;
        cm.role = ChatMessage::Model;
        const QJsonArray calls = m.value(QLatin1String("tool_calls")).toArray();
        for (int i = 0; i < calls.size(); ++i) {
            const QJsonObject fn = calls[i].toObject().value(QLatin1String("function")).toObject();
            const QString name = fn.value(QLatin1String("name")).toString();
            if (name.isEmpty())
                return invalidValue(QStringLiteral("%1.tool_calls[%2].function.name").arg(at).arg(i), QStringLiteral("A tool call needs a function name"));
            const QJsonValue args = fn.value(QLatin1String("arguments"));
            const std::string argsText = args.isString() ? args.toString().toStdString() : compact(args);
            cm.toolCalls += toolCallText(name.toStdString(), argsText);
            callNames.insert(calls[i].toObject().value(QLatin1String("id")).toString(), name);
        }
        const QJsonValue content = m.value(QLatin1String("content"));
        if (content.isString()) cm.text = content.toString().toStdString();
        for (const char* k : {"reasoning_content", "reasoning"})
            if (m.value(QLatin1String(k)).isString()) cm.thinking = m.value(QLatin1String(k)).toString().toStdString();
        out.push_back(std::move(cm));
        return std::nullopt;
    }
    // role "tool": the result of a call the assistant message before made.
    if (out.empty() || out.back().role != ChatMessage::Model || out.back().toolCalls.empty())
        return invalidValue(at + QStringLiteral(".role"),
                            QStringLiteral("A 'tool' message must follow an assistant message with 'tool_calls'"));
    const QString id = m.value(QLatin1String("tool_call_id")).toString();
    // The name comes from the call with this id, as the template resolves it.
    QString name = callNames.value(id, m.value(QLatin1String("name")).toString());
    QString text;
    const QJsonValue c = m.value(QLatin1String("content"));
    if (c.isString()) {
        text = c.toString();
    } else if (c.isArray()) {
        for (const QJsonValue& part : c.toArray())
            if (part.toObject().value(QLatin1String("type")).toString() == QLatin1String("text"))
                text += part.toObject().value(QLatin1String("text")).toString();
    } else {
        return invalidValue(at + QStringLiteral(".content"), QStringLiteral("A tool result's 'content' must be a string or text parts"));
    }
    if (name.isEmpty()) name = QStringLiteral("unknown");
    out.back().toolResponses += toolResponseText(name.toStdString(), text.toStdString());
    return std::nullopt;
}

void declareTools(const ToolUse& tools, std::vector<ChatMessage>& messages) {
    if (tools.toolsJson.empty()) return;
    auto text = toolDeclarationsText(tools.toolsJson);
    if (!text.ok()) return;  // readToolUse checked the array
    if (messages.empty() || messages.front().role != ChatMessage::System) {
        ChatMessage system;
        system.role = ChatMessage::System;
        messages.insert(messages.begin(), system);
    }
    messages.front().toolDeclarations = text.value();
}

}  // namespace facet::server
