#include "chat/tool_syntax.h"

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>

namespace facet {

namespace protocol {
const char* const kMarkerPieces[kMarkerCount] = {"<|\"|>",           "<|tool_call>", "<tool_call|>", "<|tool_response>",
                                                 "<tool_response|>", "<|tool>",      "<tool|>"};
}

namespace {

using nlohmann::ordered_json;
using namespace protocol;

std::string gemmaQuoted(std::string_view s) {
    std::string out(1, kQuote);
    out += sanitizeProtocolText(s);
    out += kQuote;
    return out;
}

std::string upper(std::string s) {
    for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// Jinja's dictsort: items by key, case-insensitively, stable.
std::vector<std::pair<std::string, const ordered_json*>> dictsort(const ordered_json& o) {
    std::vector<std::pair<std::string, const ordered_json*>> items;
    if (!o.is_object()) return items;
    for (const auto& [k, v] : o.items()) items.emplace_back(k, &v);
    std::stable_sort(items.begin(), items.end(), [](const auto& a, const auto& b) {
        return std::lexicographical_compare(a.first.begin(), a.first.end(), b.first.begin(), b.first.end(),
                                            [](char x, char y) { return std::tolower((unsigned char)x) < std::tolower((unsigned char)y); });
    });
    return items;
}

// Jinja truthiness of a looked-up member (undefined and empty are false).
bool truthy(const ordered_json& o, const char* key) {
    if (!o.is_object() || !o.contains(key)) return false;
    const auto& v = o.at(key);
    if (v.is_null()) return false;
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_string() || v.is_array() || v.is_object()) return !v.empty();
    if (v.is_number()) return v.get<double>() != 0.0;
    return true;
}
std::string str(const ordered_json& o, const char* key) {
    return o.is_object() && o.contains(key) && o.at(key).is_string() ? o.at(key).get<std::string>() : std::string();
}

std::string argument(const ordered_json& v, bool escapeKeys) {  // format_argument
    if (v.is_string()) return gemmaQuoted(v.get<std::string>());
    if (v.is_boolean()) return v.get<bool>() ? "true" : "false";
    if (v.is_object()) {
        std::string out = "{";
        bool first = true;
        for (const auto& [k, item] : dictsort(v)) {
            if (!first) out += ',';
            first = false;
            out += escapeKeys ? gemmaQuoted(k) : sanitizeProtocolText(k);
            out += ':' + argument(*item, escapeKeys);
        }
        return out + "}";
    }
    if (v.is_array()) {
        std::string out = "[";
        for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + argument(v[i], escapeKeys);
        return out + "]";
    }
    if (v.is_null()) return "None";  // Python's str(None)
    return v.dump();
}

std::string requiredList(const ordered_json& req) {
    std::string out = "required:[";
    if (req.is_array())
        for (size_t i = 0; i < req.size(); ++i) out += (i ? "," : "") + gemmaQuoted(req[i].is_string() ? req[i].get<std::string>() : req[i].dump());
    return out + "]";
}

std::string parameters(const ordered_json& properties) {  // format_parameters
    static const char* const kStandard[] = {"description", "type", "properties", "required", "nullable"};
    std::string out;
    bool foundFirst = false;
    for (const auto& [key, vp] : dictsort(properties)) {
        if (std::any_of(std::begin(kStandard), std::end(kStandard), [&](const char* s) { return key == s; })) continue;
        const ordered_json value = vp->is_object() ? *vp : ordered_json::object();
        if (foundFirst) out += ',';
        foundFirst = true;
        out += sanitizeProtocolText(key) + ":{";
        bool comma = false;
        auto sep = [&] {
            if (comma) out += ',';
            comma = true;
        };
        if (truthy(value, "description")) {
            out += "description:" + gemmaQuoted(str(value, "description"));
            comma = true;
        }
        const std::string type = upper(str(value, "type"));
        if (type == "STRING") {
            if (truthy(value, "enum")) {
                sep();
                out += "enum:" + argument(value.at("enum"), true);
            }
        } else if (type == "ARRAY") {
            if (truthy(value, "items") && value.at("items").is_object()) {
                const ordered_json& items = value.at("items");
                sep();
                out += "items:{";
                bool firstItem = true;
                for (const auto& [ik, iv] : dictsort(items)) {
                    if (iv->is_null()) continue;
                    if (!firstItem) out += ',';
                    firstItem = false;
                    if (ik == "properties") {
                        out += "properties:{" + (iv->is_object() ? parameters(*iv) : std::string()) + "}";
                    } else if (ik == "required") {
                        out += requiredList(*iv);
                    } else if (ik == "type") {
                        if (iv->is_string()) {
                            out += "type:" + argument(upper(iv->get<std::string>()), true);
                        } else {
                            ordered_json list = ordered_json::array();
                            if (iv->is_array())
                                for (const auto& t : *iv) list.push_back(t.is_string() ? upper(t.get<std::string>()) : t.dump());
                            out += "type:" + argument(list, true);
                        }
                    } else {
                        out += sanitizeProtocolText(ik) + ":" + argument(*iv, true);
                    }
                }
                out += "}";
            }
        }
        if (truthy(value, "nullable")) {
            sep();
            out += "nullable:true";
        }
        if (type == "OBJECT") {
            sep();
            const bool hasProps = value.contains("properties") && value.at("properties").is_object();
            out += "properties:{" + parameters(hasProps ? value.at("properties") : value) + "}";
            if (truthy(value, "required")) {
                sep();
                out += requiredList(value.at("required"));
            }
        }
        sep();
        out += "type:" + gemmaQuoted(type) + "}";
    }
    return out;
}

std::string declaration(const ordered_json& tool) {  // format_function_declaration
    const ordered_json fn = tool.value("function", ordered_json::object());
    std::string out = "declaration:" + sanitizeProtocolText(str(fn, "name")) + "{description:" + gemmaQuoted(str(fn, "description"));
    if (truthy(fn, "parameters") && fn.at("parameters").is_object()) {
        const ordered_json& params = fn.at("parameters");
        out += ",parameters:{";
        if (truthy(params, "properties")) out += "properties:{" + parameters(params.at("properties")) + "},";
        if (truthy(params, "required")) out += requiredList(params.at("required")) + ",";
        if (truthy(params, "type")) out += "type:" + gemmaQuoted(upper(str(params, "type"))) + "}";
    }
    if (fn.contains("response")) {
        const ordered_json r = fn.at("response").is_object() ? fn.at("response") : ordered_json::object();
        out += ",response:{";
        if (truthy(r, "description")) out += "description:" + gemmaQuoted(str(r, "description")) + ",";
        if (upper(str(r, "type")) == "OBJECT") out += "type:" + gemmaQuoted("OBJECT") + "}";
    }
    return out + "}";
}

bool isJsonNumber(const std::string& s) {
    size_t i = 0;
    if (i < s.size() && s[i] == '-') ++i;
    if (i >= s.size() || !std::isdigit((unsigned char)s[i])) return false;
    if (s[i] == '0' && i + 1 < s.size() && std::isdigit((unsigned char)s[i + 1])) return false;
    char* end = nullptr;
    std::strtod(s.c_str(), &end);
    return end == s.c_str() + s.size() && s.find_first_of("xXpP") == std::string::npos && s.find("inf") == std::string::npos &&
           s.find("nan") == std::string::npos;
}

void appendJsonEscaped(std::string& out, char c) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
        if (static_cast<unsigned char>(c) < 0x20) {
            char buf[8];
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(c));
            out += buf;
        } else {
            out += c;
        }
    }
}

}  // namespace

std::string sanitizeProtocolText(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text)
        if (c < 1 || c > kMarkerCount) out += c;
    return out;
}

std::string gemmaValueText(std::string_view json, bool escapeKeys) {
    const ordered_json v = ordered_json::parse(json.begin(), json.end(), nullptr, false);
    if (v.is_discarded()) return gemmaQuoted(json);
    return argument(v, escapeKeys);
}

Result<std::string> toolDeclarationsText(std::string_view toolsJson) {
    const ordered_json tools = ordered_json::parse(toolsJson.begin(), toolsJson.end(), nullptr, false);
    if (tools.is_discarded() || !tools.is_array()) return errorf("the tools are not a JSON array");
    std::string out;
    for (const auto& t : tools) out += kDeclarationOpen + declaration(t) + kDeclarationClose;
    return out;
}

std::string toolCallText(std::string_view name, std::string_view argumentsJson) {
    std::string out = std::string(1, kCallOpen) + "call:" + sanitizeProtocolText(name) + "{";
    const ordered_json args = ordered_json::parse(argumentsJson.begin(), argumentsJson.end(), nullptr, false);
    if (!args.is_discarded() && args.is_object()) {
        bool first = true;
        for (const auto& [k, v] : dictsort(args)) {
            if (!first) out += ',';
            first = false;
            out += sanitizeProtocolText(k) + ":" + argument(*v, false);
        }
    } else {
        out += sanitizeProtocolText(argumentsJson);
    }
    return out + "}" + kCallClose;
}

std::string toolResponseText(std::string_view name, std::string_view content) {
    return std::string(1, kResponseOpen) + "response:" + sanitizeProtocolText(name) + "{value:" + gemmaQuoted(content) + "}" +
           kResponseClose;
}

// ------------------------------------------------------------ ToolCallStream

void ToolCallStream::appendArgs(std::vector<ToolCallEvent>& out, std::string text) {
    if (text.empty()) return;
    if (!out.empty() && out.back().kind == ToolCallEvent::Arguments && out.back().index == calls_ - 1)
        out.back().text += text;
    else
        out.push_back({ToolCallEvent::Arguments, calls_ - 1, std::move(text)});
}

void ToolCallStream::flushLiteral(std::string& json) {
    std::string lit = literal_;
    while (!lit.empty() && std::isspace((unsigned char)lit.back())) lit.pop_back();
    literal_.clear();
    if (lit == "true" || lit == "True") json += "true";
    else if (lit == "false" || lit == "False") json += "false";
    else if (lit == "null" || lit == "None" || lit == "none") json += "null";
    else if (isJsonNumber(lit)) json += lit;
    else {
        json += '"';
        for (char c : lit) appendJsonEscaped(json, c);
        json += '"';
    }
}

void ToolCallStream::closeCall(std::vector<ToolCallEvent>& out) {
    // A call cut short (a marker where a value should go on) is closed so
    // that its arguments stay JSON.
    std::string json;
    if (state_ == State::Args) {
        if (sub_ == Sub::InLiteral) flushLiteral(json);
        if (sub_ == Sub::InString) json += '"';
        if (sub_ == Sub::ExpectValue && !nesting_.empty() && nesting_.back() == '{') json += "null";
        while (!nesting_.empty()) {
            json += nesting_.back() == '{' ? '}' : ']';
            nesting_.pop_back();
        }
    }
    if (state_ == State::Header) {
        out.push_back({ToolCallEvent::Begin, calls_++, name_.rfind("call:", 0) == 0 ? name_.substr(5) : name_});
        json = "{}";
    }
    appendArgs(out, json);
    if (state_ != State::Outside) out.push_back({ToolCallEvent::End, calls_ - 1, {}});
    state_ = State::Outside;
}

void ToolCallStream::argsByte(char c, std::vector<ToolCallEvent>& out) {
    std::string json;
    const bool inObject = !nesting_.empty() && nesting_.back() == '{';
    auto afterValue = [&](char b) {
        if (std::isspace((unsigned char)b)) return;
        if (b == ',') {
            json += ',';
            sub_ = inObject ? Sub::ExpectKey : Sub::ExpectValue;
        } else if (b == '}' || b == ']') {
            json += nesting_.empty() ? b : (nesting_.back() == '{' ? '}' : ']');
            if (!nesting_.empty()) nesting_.pop_back();
            sub_ = Sub::AfterValue;
            if (nesting_.empty()) state_ = State::AfterArgs;
        }
    };
    switch (sub_) {
    case Sub::ExpectKey:
        if (c == '}') {
            afterValue(c);
        } else if (!std::isspace((unsigned char)c)) {
            key_.assign(c == kQuote ? "" : std::string(1, c));
            sub_ = Sub::InKey;
        }
        break;
    case Sub::InKey:
        if (c == ':') {
            json += '"';
            for (char k : key_) appendJsonEscaped(json, k);
            json += "\":";
            key_.clear();
            sub_ = Sub::ExpectValue;
        } else if (c != kQuote) {
            key_ += c;
        }
        break;
    case Sub::ExpectValue:
        if (c == kQuote) {
            json += '"';
            sub_ = Sub::InString;
        } else if (c == '{' || c == '[') {
            json += c;
            nesting_ += c;
            sub_ = c == '{' ? Sub::ExpectKey : Sub::ExpectValue;
        } else if (c == ']' && !inObject) {
            afterValue(c);
        } else if (!std::isspace((unsigned char)c)) {
            literal_.assign(1, c);
            sub_ = Sub::InLiteral;
        }
        break;
    case Sub::InString:
        if (c == kQuote) {
            json += '"';
            sub_ = Sub::AfterValue;
        } else {
            appendJsonEscaped(json, c);
        }
        break;
    case Sub::InLiteral:
        if (c == ',' || c == '}' || c == ']') {
            flushLiteral(json);
            sub_ = Sub::AfterValue;
            afterValue(c);
        } else {
            literal_ += c;
        }
        break;
    case Sub::AfterValue: afterValue(c); break;
    }
    appendArgs(out, std::move(json));
}

std::vector<ToolCallEvent> ToolCallStream::feed(std::string_view bytes) {
    std::vector<ToolCallEvent> out;
    for (char c : bytes) {
        if (c == kCallOpen) {
            if (state_ != State::Outside) closeCall(out);
            state_ = State::Header;
            name_.clear();
            continue;
        }
        if (c == kCallClose) {
            closeCall(out);
            continue;
        }
        switch (state_) {
        case State::Outside:
        case State::AfterArgs: break;
        case State::Header:
            if (c == '{') {
                std::string name = name_;
                if (name.rfind("call:", 0) == 0) name.erase(0, 5);
                out.push_back({ToolCallEvent::Begin, calls_++, name});
                state_ = State::Args;
                sub_ = Sub::ExpectKey;
                nesting_ = "{";
                appendArgs(out, "{");
            } else if (!std::isspace((unsigned char)c)) {
                name_ += c;
            }
            break;
        case State::Args: argsByte(c, out); break;
        }
    }
    return out;
}

}  // namespace facet
