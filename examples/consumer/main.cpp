// Minimal hkernels user: 5x5 box filter and a Gabor filter on the CPU, checked against a
// direct loop. Prints "consumer ok" and exits 0 when both agree.
#include <cmath>
#include <cstdio>
#include <vector>

#include <hk/hk.h>

int main() {
    const hk::Shape shape{1, 32, 48, 3};
    std::vector<float> image(size_t(shape.elements())), out(image.size());
    for (size_t i = 0; i < image.size(); i++) image[i] = float((i * 37) % 101) / 100.0f;
    hk::ConstTensor in = hk::ConstTensor::dense(image.data(), shape);
    hk::Tensor dst = hk::Tensor::dense(out.data(), shape);

    hk::BoxFilterParams box;
    box.ksize_w = box.ksize_h = 5;
    if (hk::Status s = hk::box_filter(in, dst, box, hk::Device::cpu); !s.ok()) {
        std::printf("box_filter failed: %s\n", s.to_string().c_str());
        return 1;
    }
    // An interior pixel, where no border is involved.
    double want = 0;
    for (int y = 8; y <= 12; y++)
        for (int x = 18; x <= 22; x++) want += in.at(0, y, x, 1) / 25.0;
    const double got = dst.at(0, 10, 20, 1);

    hk::GaborParams gabor;
    gabor.ksize_w = gabor.ksize_h = 7;
    gabor.sigma = 2;
    gabor.lambda = 5;
    hk::Status gs = hk::gabor(in, dst, gabor, hk::Device::cpu);

    hk::Status bad = hk::gabor(in, dst, hk::GaborParams{});  // sigma = 0: must be an error
    std::printf("cpu variant: %s\n", hk::cpu_variant().c_str());
    std::printf("box 5x5 at (10, 20, 1): got %.6f want %.6f\n", got, want);
    std::printf("gabor: %s; bad params: %s\n", gs.to_string().c_str(), bad.to_string().c_str());
    const bool ok = std::fabs(got - want) < 1e-5 && gs.ok() &&
                    bad.code() == hk::StatusCode::invalid_argument;
    std::printf(ok ? "consumer ok\n" : "consumer FAILED\n");
    return ok ? 0 : 1;
}
