// Image files for the demo: PNG (8 or 16 bits, 1-4 channels) and JPEG (grey or colour) in,
// PNG out, as interleaved 8-bit pixels. Every failure (missing, unreadable, not an image,
// truncated, unsupported depth or colour space) is an error message, never an abort: Halide's
// halide_image_io.h aborts on a corrupt file, and libjpeg's default error handler exits.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

namespace hkdemo {

struct Image {
    int width = 0, height = 0, channels = 0;
    std::vector<uint8_t> pixels;  // (y, x, c), c innermost
};

// False with `error` set when the file cannot be read as an image.
bool load_image(const std::string &path, Image *image, std::string *error);
bool save_png(const Image &image, const std::string &path, std::string *error);

}  // namespace hkdemo
