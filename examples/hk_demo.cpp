// hkernels demo (the README's main job): filters an image with the Gabor filter and the box
// filter on every device present, writes the results as PNGs, and prints per-device times,
// the CPU variant Halide's dispatcher chose, and each device's agreement with the CPU.
//
//   hk_demo [IMAGE] [--out DIR] [--repeat N]     IMAGE: PNG or JPEG (default: data/sample.png)
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <functional>
#include <string>
#include <vector>

#include "hk/hk.h"
#include "image_io.h"

namespace {

struct Options {
    std::string image = HK_DEFAULT_IMAGE;
    std::string out_dir = "out";
    int repeat = 10;
};

bool parse(int argc, char **argv, Options &o) {
    for (int i = 1; i < argc; i++) {
        std::string a = argv[i];
        if ((a == "--out" || a == "--repeat") && i + 1 < argc) {
            std::string v = argv[++i];
            if (a == "--out") o.out_dir = v;
            else o.repeat = std::max(1, std::atoi(v.c_str()));
        } else if (a == "-h" || a == "--help" || a[0] == '-') {
            return false;
        } else {
            o.image = a;
        }
    }
    return true;
}

// The loaded image (interleaved uint8) as hkernels' NHWC float in [0, 1].
std::vector<float> to_nhwc(const hkdemo::Image &img, hk::Shape &shape) {
    shape = {1, img.height, img.width, img.channels};
    std::vector<float> out(img.pixels.size());
    for (size_t i = 0; i < out.size(); i++) out[i] = img.pixels[i] / 255.0f;
    return out;
}

// Signed responses (Gabor) map [-m, m] to [0, 255] with 0 as mid-gray; others clamp [0, 1].
bool save_png(const std::vector<float> &data, const hk::Shape &s, bool is_signed, const std::string &path) {
    float m = 1.0f;
    if (is_signed) {
        m = 1e-12f;
        for (float v : data) m = std::max(m, std::fabs(v));
    }
    hkdemo::Image img{int(s.w), int(s.h), int(s.c), std::vector<uint8_t>(data.size())};
    for (size_t i = 0; i < data.size(); i++) {
        const float u = is_signed ? 0.5f + 0.5f * data[i] / m : data[i];
        img.pixels[i] = uint8_t(std::clamp(u, 0.0f, 1.0f) * 255.0f + 0.5f);
    }
    std::string error;
    if (!hkdemo::save_png(img, path, &error)) std::fprintf(stderr, "error: %s\n", error.c_str());
    return error.empty();
}

double ms_since(std::chrono::steady_clock::time_point t0) {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

int main(int argc, char **argv) {
    Options opt;
    if (!parse(argc, argv, opt)) {
        std::printf("usage: %s [IMAGE] [--out DIR] [--repeat N]\n", argv[0]);
        return 2;
    }
    // 8- or 16-bit PNG, or JPEG: converted to 8 bits. A file that is not such an image is an
    // error message and exit status 1.
    hkdemo::Image loaded;
    if (std::string error; !hkdemo::load_image(opt.image, &loaded, &error)) {
        std::fprintf(stderr, "error: %s\n", error.c_str());
        return 1;
    }
    hk::Shape shape;
    const std::vector<float> input = to_nhwc(loaded, shape);
    std::filesystem::create_directories(opt.out_dir);

    std::printf("image: %s (%lld x %lld, %lld channels)\n", opt.image.c_str(),
                (long long)shape.w, (long long)shape.h, (long long)shape.c);
    std::printf("CPU variant chosen by Halide's dispatcher: %s; CPU threads: %d\n",
                hk::cpu_variant().c_str(), hk::num_threads());
    const auto devices = hk::available_devices();
    for (const auto &d : devices)
        std::printf("device %-7s %s%s\n", hk::to_string(d.device), d.name.c_str(), d.is_gpu ? " (GPU)" : "");
    for (hk::Device d : {hk::Device::opencl, hk::Device::cuda})
        if (hk::Status s = hk::check_device(d); !s.ok()) std::printf("skipped: %s\n", s.message().c_str());

    hk::GaborParams gabor;  // oriented at 45 degrees, wavelength 12 px: lights up one quadrant
    gabor.ksize_w = gabor.ksize_h = 31;
    gabor.sigma = 5;
    gabor.theta = M_PI / 4;
    gabor.lambda = 12;
    gabor.gamma = 0.5;
    gabor.psi = 0;
    hk::BoxFilterParams box;
    box.ksize_w = box.ksize_h = 15;

    struct Filter {
        const char *name;
        bool is_signed;
        std::function<hk::Status(const hk::ConstTensor &, const hk::Tensor &, hk::Device)> run;
    };
    const Filter filters[] = {
        {"gabor31", true, [&](auto &i, auto &o, hk::Device d) { return hk::gabor(i, o, gabor, d); }},
        {"box15", false, [&](auto &i, auto &o, hk::Device d) { return hk::box_filter(i, o, box, d); }},
    };

    const double mpix = double(shape.w) * shape.h / 1e6;
    std::printf("\n%-8s %-7s %12s %12s %10s %14s  %s\n", "filter", "device", "first (ms)",
                "median (ms)", "Mpix/s", "max|d| vs cpu", "output");
    int failures = 0;
    for (const Filter &f : filters) {
        std::vector<float> cpu_result;
        for (const auto &dev : devices) {
            std::vector<float> out(input.size(), 0.0f);
            hk::ConstTensor in = hk::ConstTensor::dense(input.data(), shape);
            hk::Tensor dst = hk::Tensor::dense(out.data(), shape);
            auto t0 = std::chrono::steady_clock::now();
            hk::Status s = f.run(in, dst, dev.device);
            const double first = ms_since(t0);
            if (!s.ok()) {
                std::printf("%-8s %-7s failed: %s\n", f.name, hk::to_string(dev.device), s.to_string().c_str());
                failures++;
                continue;
            }
            std::vector<double> times;
            for (int r = 0; r < opt.repeat; r++) {
                t0 = std::chrono::steady_clock::now();
                (void)f.run(in, dst, dev.device);
                times.push_back(ms_since(t0));
            }
            std::nth_element(times.begin(), times.begin() + times.size() / 2, times.end());
            const double median = times[times.size() / 2];
            double max_diff = 0;
            if (dev.device == hk::Device::cpu) cpu_result = out;
            else if (cpu_result.size() == out.size())
                for (size_t i = 0; i < out.size(); i++)
                    max_diff = std::max(max_diff, double(std::fabs(out[i] - cpu_result[i])));
            else
                max_diff = NAN;  // no CPU result to compare with
            const std::string path = opt.out_dir + "/" + f.name + "_" + hk::to_string(dev.device) + ".png";
            if (!save_png(out, shape, f.is_signed, path)) failures++;
            std::printf("%-8s %-7s %12.2f %12.3f %10.1f %14.2e  %s\n", f.name, hk::to_string(dev.device),
                        first, median, mpix / (median / 1e3), max_diff, path.c_str());
        }
    }
    std::printf("\n'first' includes one-time costs (OpenCL/CUDA kernel compilation and context set-up);\n"
                "'median' is over %d further calls, each copying the image to and from the device.\n",
                opt.repeat);
    return failures ? 1 : 0;
}
