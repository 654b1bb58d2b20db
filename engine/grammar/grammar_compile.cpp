// JSON Schema (subset) and OpenAI tools → Grammar.
#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "chat/tool_syntax.h"
#include "grammar/grammar.h"

namespace facet::grammar {

namespace {

using nlohmann::ordered_json;

// Keywords that only describe a value: ignored.
bool isAnnotation(const std::string& key) {
    static const char* const kNames[] = {"title", "description", "default", "examples", "$schema", "$id",
                                         "$comment", "format", "deprecated", "readOnly", "writeOnly",
                                         "$defs", "definitions", "strict", "nullable", "minimum", "maximum",
                                         "exclusiveMinimum", "exclusiveMaximum", "multipleOf", "uniqueItems",
                                         "minProperties", "maxProperties", "contentMediaType", "contentEncoding"};
    return std::any_of(std::begin(kNames), std::end(kNames), [&](const char* k) { return key == k; });
}

class Compiler {
public:
    Compiler(const ordered_json& rootSchema, Dialect dialect) : root_(&rootSchema) { g_.dialect = dialect; }

    void setRoot(const ordered_json& rootSchema) {
        root_ = &rootSchema;
        refs_.clear();
    }
    GrammarNode::Kind kindOf(NodeId id) const { return g_.nodes[id].kind; }

    Grammar take() { return std::move(g_); }

    NodeId add(GrammarNode n) {
        g_.nodes.push_back(std::move(n));
        return static_cast<NodeId>(g_.nodes.size() - 1);
    }
    NodeId literal(std::string text) {
        GrammarNode n;
        n.kind = GrammarNode::Literal;
        n.text = std::move(text);
        return add(std::move(n));
    }
    NodeId alt(std::vector<NodeId> children) {
        if (children.size() == 1) return children[0];
        GrammarNode n;
        n.kind = GrammarNode::Alt;
        n.children = std::move(children);
        return add(std::move(n));
    }
    NodeId simple(GrammarNode::Kind kind) {
        GrammarNode n;
        n.kind = kind;
        return add(std::move(n));
    }
    NodeId valueLiteral(const ordered_json& v) {
        return literal(g_.dialect == Dialect::Json ? v.dump() : gemmaValueText(v.dump(), false));
    }

    // Any JSON value (built once; objects and arrays refer back to it).
    NodeId any() {
        if (any_ >= 0) return any_;
        any_ = add(GrammarNode{});  // placeholder, filled below
        GrammarNode obj;
        obj.kind = GrammarNode::Object;
        obj.additional = any_;
        GrammarNode arr;
        arr.kind = GrammarNode::Array;
        arr.items = any_;
        std::vector<NodeId> kids{add(std::move(obj)), add(std::move(arr)), simple(GrammarNode::String),
                                 simple(GrammarNode::Number), literal("true"), literal("false"), literal("null")};
        g_.nodes[any_].kind = GrammarNode::Alt;
        g_.nodes[any_].children = std::move(kids);
        return any_;
    }

    Result<NodeId> compile(const ordered_json& s, int depth) {
        if (depth > 32) return errorf("the schema nests deeper than 32 levels");
        if (s.is_boolean()) {
            if (s.get<bool>()) return any();
            return errorf("the schema 'false' matches nothing");
        }
        if (!s.is_object()) return errorf("a schema must be an object, got %s", s.dump().substr(0, 60).c_str());
        if (s.contains("$ref")) return ref(s.at("$ref"), depth);
        for (const char* k : {"pattern", "not", "if", "then", "else", "prefixItems", "patternProperties",
                              "dependentRequired", "dependentSchemas", "contains", "propertyNames"})
            if (s.contains(k)) return errorf("the schema keyword '%s' is not supported", k);
        if (s.contains("const")) return valueLiteral(s.at("const"));
        if (s.contains("enum")) {
            const auto& e = s.at("enum");
            if (!e.is_array() || e.empty()) return errorf("'enum' must be a non-empty array");
            std::vector<NodeId> kids;
            for (const auto& v : e) kids.push_back(valueLiteral(v));
            return alt(std::move(kids));
        }
        for (const char* k : {"anyOf", "oneOf", "allOf"}) {
            if (!s.contains(k)) continue;
            const auto& list = s.at(k);
            if (!list.is_array() || list.empty()) return errorf("'%s' must be a non-empty array", k);
            if (std::string(k) == "allOf" && list.size() != 1) return errorf("'allOf' with more than one schema is not supported");
            std::vector<NodeId> kids;
            for (const auto& sub : list) {
                FACET_ASSIGN(NodeId id, compile(sub, depth + 1));
                kids.push_back(id);
            }
            return alt(std::move(kids));
        }
        if (s.contains("type")) {
            const auto& t = s.at("type");
            if (t.is_string()) return typed(s, t.get<std::string>(), depth);
            if (!t.is_array() || t.empty()) return errorf("'type' must be a string or a non-empty array");
            std::vector<NodeId> kids;
            for (const auto& one : t) {
                if (!one.is_string()) return errorf("'type' entries must be strings");
                FACET_ASSIGN(NodeId id, typed(s, one.get<std::string>(), depth));
                kids.push_back(id);
            }
            return alt(std::move(kids));
        }
        if (s.contains("properties") || s.contains("required") || s.contains("additionalProperties"))
            return typed(s, "object", depth);
        if (s.contains("items") || s.contains("minItems") || s.contains("maxItems")) return typed(s, "array", depth);
        if (s.contains("minLength") || s.contains("maxLength")) return typed(s, "string", depth);
        for (const auto& [key, value] : s.items())
            if (!isAnnotation(key)) return errorf("the schema keyword '%s' is not supported", key.c_str());
        return any();
    }

private:
    Result<NodeId> ref(const ordered_json& r, int depth) {
        if (!r.is_string()) return errorf("'$ref' must be a string");
        const std::string path = r.get<std::string>();
        if (auto it = refs_.find(path); it != refs_.end()) return it->second;
        for (const char* prefix : {"#/$defs/", "#/definitions/"}) {
            const std::string p(prefix);
            if (path.compare(0, p.size(), p) != 0) continue;
            const std::string section = p.substr(2, p.size() - 3), name = path.substr(p.size());
            if (!root_->contains(section) || !root_->at(section).contains(name))
                return errorf("'$ref' %s names no definition", path.c_str());
            // A placeholder Alt of one child lets a definition refer to itself.
            const NodeId slot = simple(GrammarNode::Alt);
            refs_[path] = slot;
            FACET_ASSIGN(NodeId id, compile(root_->at(section).at(name), depth + 1));
            g_.nodes[slot].children = {id};
            return slot;
        }
        return errorf("'$ref' %s is not supported (only #/$defs/... and #/definitions/...)", path.c_str());
    }

    static Result<int> count(const ordered_json& s, const char* key, int fallback) {
        if (!s.contains(key)) return fallback;
        const auto& v = s.at(key);
        if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() > (1 << 20))
            return errorf("'%s' must be a non-negative integer", key);
        return static_cast<int>(v.get<int64_t>());
    }

    Result<NodeId> typed(const ordered_json& s, const std::string& type, int depth) {
        if (type == "null") return literal("null");
        if (type == "boolean") return alt({literal("true"), literal("false")});
        if (type == "number") return simple(GrammarNode::Number);
        if (type == "integer") return simple(GrammarNode::Integer);
        if (type == "string") {
            GrammarNode n;
            n.kind = GrammarNode::String;
            FACET_ASSIGN(n.minLength, count(s, "minLength", 0));
            FACET_ASSIGN(n.maxLength, count(s, "maxLength", -1));
            if (n.maxLength >= 0 && n.maxLength < n.minLength) return errorf("'maxLength' is below 'minLength'");
            return add(std::move(n));
        }
        if (type == "array") {
            GrammarNode n;
            n.kind = GrammarNode::Array;
            FACET_ASSIGN(n.minCount, count(s, "minItems", 0));
            FACET_ASSIGN(n.maxCount, count(s, "maxItems", -1));
            if (n.maxCount >= 0 && n.maxCount < n.minCount) return errorf("'maxItems' is below 'minItems'");
            if (s.contains("items")) {
                FACET_ASSIGN(n.items, compile(s.at("items"), depth + 1));
            } else {
                n.items = any();
            }
            return add(std::move(n));
        }
        if (type == "object") return object(s, depth);
        return errorf("unknown schema type '%s'", type.c_str());
    }

    Result<NodeId> object(const ordered_json& s, int depth) {
        GrammarNode n;
        n.kind = GrammarNode::Object;
        if (s.contains("properties")) {
            const auto& props = s.at("properties");
            if (!props.is_object()) return errorf("'properties' must be an object");
            if (props.size() > static_cast<size_t>(kMaxProperties))
                return errorf("an object schema may have at most %d properties", kMaxProperties);
            for (const auto& [name, sub] : props.items()) {
                if (g_.dialect == Dialect::GemmaCall &&
                    (name.empty() || name.find_first_of(":,{}[] \x01\x02\x03") != std::string::npos))
                    return errorf("the tool argument name '%s' cannot be written in Gemma's call syntax", name.c_str());
                if (g_.dialect == Dialect::Json && name.find_first_of("\"\\") != std::string::npos)
                    return errorf("property names with quotes or backslashes are not supported");
                FACET_ASSIGN(NodeId id, compile(sub, depth + 1));
                n.properties.emplace_back(name, id);
            }
        }
        if (s.contains("required")) {
            const auto& req = s.at("required");
            if (!req.is_array()) return errorf("'required' must be an array");
            for (const auto& r : req) {
                const std::string name = r.is_string() ? r.get<std::string>() : std::string();
                const auto it = std::find_if(n.properties.begin(), n.properties.end(),
                                             [&](const auto& p) { return p.first == name; });
                if (it == n.properties.end())
                    return errorf("required property '%s' is not among 'properties'", name.c_str());
                n.requiredMask |= uint64_t(1) << (it - n.properties.begin());
            }
        }
        const ordered_json extra = s.value("additionalProperties", ordered_json(true));
        if (extra.is_boolean()) {
            n.additional = extra.get<bool>() ? any() : -1;
        } else {
            FACET_ASSIGN(n.additional, compile(extra, depth + 1));
        }
        return add(std::move(n));
    }

    const ordered_json* root_;
    Grammar g_;
    NodeId any_ = -1;
    std::map<std::string, NodeId> refs_;
};

Result<ordered_json> parseJson(std::string_view text, const char* what) {
    ordered_json j = ordered_json::parse(text.begin(), text.end(), nullptr, false);
    if (j.is_discarded()) return errorf("%s is not valid JSON", what);
    return j;
}

}  // namespace

Result<Grammar> compileJsonSchema(std::string_view schemaJson, Dialect dialect) {
    FACET_ASSIGN(ordered_json schema, parseJson(schemaJson, "the schema"));
    Compiler c(schema, dialect);
    FACET_ASSIGN(NodeId root, c.compile(schema, 0));
    Grammar g = c.take();
    g.root = root;
    return g;
}

Grammar anyJsonObject() {
    ordered_json schema = {{"type", "object"}};
    Compiler c(schema, Dialect::Json);
    const NodeId root = c.compile(schema, 0).value();
    Grammar g = c.take();
    g.root = root;
    return g;
}

Result<Grammar> compileToolCalls(std::string_view toolsJson, std::string_view onlyName, int maxCalls) {
    FACET_ASSIGN(ordered_json tools, parseJson(toolsJson, "the tools"));
    if (!tools.is_array() || tools.empty()) return errorf("the tools must be a non-empty array");
    const ordered_json empty = ordered_json::object();
    Compiler c(empty, Dialect::GemmaCall);
    std::vector<NodeId> calls;
    for (const auto& tool : tools) {
        const auto fn = tool.value("function", ordered_json::object());
        const std::string name = fn.value("name", std::string());
        if (name.empty()) return errorf("a tool has no function name");
        if (!onlyName.empty() && name != onlyName) continue;
        ordered_json params = fn.value("parameters", ordered_json{{"type", "object"}, {"properties", ordered_json::object()}});
        // Function parameters are an object: no stray keys unless the schema asks.
        if (params.is_object() && !params.contains("additionalProperties")) params["additionalProperties"] = false;
        c.setRoot(params);  // $ref inside resolves against this tool's schema
        FACET_ASSIGN(NodeId args, c.compile(params, 0));
        if (c.kindOf(args) != GrammarNode::Object)
            return errorf("the parameters of tool '%s' must be an object schema", name.c_str());
        GrammarNode seq;
        seq.kind = GrammarNode::Seq;
        seq.children = {c.literal(std::string(1, kCallOpenMarker) + "call:" + name), args,
                        c.literal(std::string(1, kCallCloseMarker))};
        calls.push_back(c.add(std::move(seq)));
    }
    if (calls.empty()) return errorf("no tool is named '%.*s'", static_cast<int>(onlyName.size()), onlyName.data());
    GrammarNode rep;
    rep.kind = GrammarNode::Repeat;
    rep.items = c.alt(std::move(calls));
    rep.minCount = 1;
    rep.maxCount = std::max(1, maxCalls);
    const NodeId root = c.add(std::move(rep));
    Grammar g = c.take();
    g.root = root;
    return g;
}

}  // namespace facet::grammar
