// hk::Status: every hkernels call returns one (no exceptions, no aborts).
#pragma once
#include <string>
#include <utility>

namespace hk {

enum class StatusCode {
    ok = 0,
    invalid_argument,    // a parameter is out of range, NaN, or inconsistent (null data, ksize < 1, ...)
    shape_mismatch,      // tensor shapes do not fit together (output shape, channels, batch)
    unsupported,         // valid, but outside what this build supports (e.g. > 2 GiB tensors)
    device_unavailable,  // the requested device is not present or was not compiled in
    runtime_error,       // a kernel failed while running (device error, out of memory)
};

const char *to_string(StatusCode code);

class [[nodiscard]] Status {
public:
    Status() = default;  // ok
    Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

    bool ok() const { return code_ == StatusCode::ok; }
    StatusCode code() const { return code_; }
    // What went wrong, naming the argument and the values involved. Empty when ok().
    const std::string &message() const { return message_; }
    // "invalid_argument: sigma must be > 0 (got -1)"; "ok" when ok().
    std::string to_string() const;

private:
    StatusCode code_ = StatusCode::ok;
    std::string message_;
};

}  // namespace hk
