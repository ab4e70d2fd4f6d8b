#include "image_io.h"

#include <cerrno>
#include <csetjmp>
#include <cstdio>
#include <cstring>
#include <memory>

#include <jpeglib.h>
#include <png.h>

namespace hkdemo {

namespace {

using File = std::unique_ptr<FILE, int (*)(FILE *)>;

// libpng's simplified API: no longjmp out of our frames, errors in image.message.
bool load_png(const std::string &path, Image *out, std::string *error) {
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    if (!png_image_begin_read_from_file(&png, path.c_str())) {
        *error = std::string("not a readable PNG: ") + png.message;
        return false;
    }
    // Keep grey / grey+alpha / RGB / RGBA; 16-bit samples become 8-bit.
    const bool colour = png.format & PNG_FORMAT_FLAG_COLOR, alpha = png.format & PNG_FORMAT_FLAG_ALPHA;
    png.format = colour ? (alpha ? PNG_FORMAT_RGBA : PNG_FORMAT_RGB) : (alpha ? PNG_FORMAT_GA : PNG_FORMAT_GRAY);
    out->width = int(png.width);
    out->height = int(png.height);
    out->channels = int(PNG_IMAGE_SAMPLE_CHANNELS(png.format));
    out->pixels.resize(PNG_IMAGE_SIZE(png));
    if (!png_image_finish_read(&png, nullptr, out->pixels.data(), 0, nullptr)) {
        *error = std::string("PNG data is damaged or truncated: ") + png.message;
        png_image_free(&png);
        return false;
    }
    return true;
}

// libjpeg with an error manager that returns here instead of exiting the process.
struct JpegError {
    jpeg_error_mgr mgr;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
};

void jpeg_fail(j_common_ptr cinfo) {
    JpegError *e = reinterpret_cast<JpegError *>(cinfo->err);
    (*cinfo->err->format_message)(cinfo, e->message);
    std::longjmp(e->jump, 1);
}

bool load_jpeg(FILE *f, Image *out, std::string *error) {
    jpeg_decompress_struct cinfo;
    JpegError err;
    cinfo.err = jpeg_std_error(&err.mgr);
    err.mgr.error_exit = jpeg_fail;
    err.mgr.output_message = [](j_common_ptr) {};  // warnings: the error, if any, says enough
    if (setjmp(err.jump)) {  // only C objects live across the jump
        jpeg_destroy_decompress(&cinfo);
        *error = std::string("JPEG data is damaged or truncated: ") + err.message;
        return false;
    }
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, f);
    jpeg_read_header(&cinfo, TRUE);
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        jpeg_destroy_decompress(&cinfo);
        *error = "CMYK JPEG is not supported (grey or colour only)";
        return false;
    }
    jpeg_start_decompress(&cinfo);
    out->width = int(cinfo.output_width);
    out->height = int(cinfo.output_height);
    out->channels = int(cinfo.output_components);
    out->pixels.resize(size_t(out->width) * out->height * out->channels);
    while (cinfo.output_scanline < cinfo.output_height) {
        JSAMPROW row = out->pixels.data() + size_t(cinfo.output_scanline) * out->width * out->channels;
        jpeg_read_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    return true;
}

}  // namespace

bool load_image(const std::string &path, Image *image, std::string *error) {
    File f(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!f) {
        *error = "cannot open '" + path + "': " + std::strerror(errno);
        return false;
    }
    unsigned char magic[8] = {};
    const size_t got = std::fread(magic, 1, sizeof magic, f.get());
    bool ok;
    if (got == 8 && !png_sig_cmp(magic, 0, 8)) {
        f.reset();
        ok = load_png(path, image, error);
    } else if (got >= 3 && magic[0] == 0xFF && magic[1] == 0xD8 && magic[2] == 0xFF) {
        std::rewind(f.get());
        ok = load_jpeg(f.get(), image, error);
    } else {
        *error = "not a PNG or JPEG file (its first bytes are neither signature)";
        ok = false;
    }
    if (ok && (image->width < 1 || image->height < 1 || image->channels < 1 || image->channels > 4)) {
        *error = "unsupported image: " + std::to_string(image->width) + "x" + std::to_string(image->height) + " with " +
                 std::to_string(image->channels) + " channels";
        ok = false;
    }
    if (!ok) *error = "'" + path + "': " + *error;
    return ok;
}

bool save_png(const Image &image, const std::string &path, std::string *error) {
    png_image png;
    std::memset(&png, 0, sizeof png);
    png.version = PNG_IMAGE_VERSION;
    png.width = png_uint_32(image.width);
    png.height = png_uint_32(image.height);
    const png_uint_32 formats[] = {PNG_FORMAT_GRAY, PNG_FORMAT_GA, PNG_FORMAT_RGB, PNG_FORMAT_RGBA};
    png.format = formats[image.channels - 1];
    if (!png_image_write_to_file(&png, path.c_str(), 0, image.pixels.data(), 0, nullptr)) {
        *error = "cannot write '" + path + "': " + png.message;
        return false;
    }
    return true;
}

}  // namespace hkdemo
