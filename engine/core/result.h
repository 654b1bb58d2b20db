// Result<T>: the engine's error channel. Engine calls never abort or exit on
// bad input; they return an Error whose message names the file, key or tensor,
// the offset, and what was expected versus found (house style rule 5).
#pragma once

#include <cstdio>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>

namespace facet {

struct Error {
    std::string message;
};

inline Error makeError(std::string message) { return Error{std::move(message)}; }

// printf-style error text; keeps call sites to one line. A message with no
// arguments is taken as it is (this overload wins), so no format string ever
// reaches printf without arguments (-Wformat-security, Debian's build flags).
inline Error errorf(const char* message) { return Error{message}; }
template <typename... Args>
Error errorf(const char* fmt, Args&&... args) {
    int n = std::snprintf(nullptr, 0, fmt, args...);
    std::string s(n > 0 ? static_cast<size_t>(n) : 0, '\0');
    if (n > 0) std::snprintf(s.data(), s.size() + 1, fmt, args...);
    return Error{std::move(s)};
}

template <typename T>
class [[nodiscard]] Result {
public:
    Result(T value) : v_(std::move(value)) {}
    Result(Error error) : v_(std::move(error)) {}

    bool ok() const { return v_.index() == 0; }
    explicit operator bool() const { return ok(); }

    T& value() & { return std::get<0>(v_); }
    const T& value() const& { return std::get<0>(v_); }
    T&& value() && { return std::get<0>(std::move(v_)); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    T& operator*() & { return value(); }

    const Error& error() const { return std::get<1>(v_); }
    const std::string& message() const { return error().message; }

private:
    std::variant<T, Error> v_;
};

// Result<void> equivalent.
class [[nodiscard]] Status {
public:
    Status() = default;
    Status(Error error) : error_(std::move(error)), failed_(true) {}
    static Status success() { return Status(); }

    bool ok() const { return !failed_; }
    explicit operator bool() const { return ok(); }
    const Error& error() const { return error_; }
    const std::string& message() const { return error_.message; }

private:
    Error error_;
    bool failed_ = false;
};

}  // namespace facet

// Propagate an error in one line: FACET_TRY(status_expression);
#define FACET_TRY(expr)                                   \
    do {                                                  \
        auto facet_try_r_ = (expr);                       \
        if (!facet_try_r_.ok()) return facet_try_r_.error(); \
    } while (0)

#define FACET_CONCAT_INNER(a, b) a##b
#define FACET_CONCAT(a, b) FACET_CONCAT_INNER(a, b)
// FACET_ASSIGN(auto x, resultExpression); binds the value or returns the error.
#define FACET_ASSIGN(decl, expr) FACET_ASSIGN_IMPL(FACET_CONCAT(facet_r_, __LINE__), decl, expr)
#define FACET_ASSIGN_IMPL(tmp, decl, expr)       \
    auto tmp = (expr);                            \
    if (!tmp.ok()) return tmp.error();            \
    decl = std::move(tmp).value()
