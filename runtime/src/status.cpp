#include "hk/status.h"

namespace hk {

const char *to_string(StatusCode code) {
    switch (code) {
    case StatusCode::ok: return "ok";
    case StatusCode::invalid_argument: return "invalid_argument";
    case StatusCode::shape_mismatch: return "shape_mismatch";
    case StatusCode::unsupported: return "unsupported";
    case StatusCode::device_unavailable: return "device_unavailable";
    case StatusCode::runtime_error: return "runtime_error";
    }
    return "unknown";
}

std::string Status::to_string() const {
    if (ok()) return "ok";
    return std::string(hk::to_string(code_)) + ": " + message_;
}

}  // namespace hk
