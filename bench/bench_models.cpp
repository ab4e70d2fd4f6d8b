// The seed's three models at the seed's shapes: one fused pipeline vs the same hk ops in
// sequence (unfused), per device.
#include "bench_common.h"

namespace hkbench {

namespace {

struct Model1 {
    std::vector<float> w = std::vector<float>(3 * 3 * 3 * 32, 0.02f), b = std::vector<float>(32, 0.1f);
    hk::GaborConvModel m;
    Model1() {
        m.gabor.ksize_w = m.gabor.ksize_h = 7;
        m.gabor.sigma = 1.5;
        m.gabor.theta = 0.5;
        m.gabor.lambda = 4;
        m.gabor.psi = 0;
        m.gabor.border = hk::Border::zero;
        m.weights = {w.data(), 3, 3, 3, 32};
        m.bias = b.data();
        m.conv.padding = hk::Padding::valid;
        m.conv.activation = {hk::Activation::relu, 0};
    }
};

template <typename Model>
void bench_model(benchmark::State &st, Size s, const Model &m, hk::Fusion f, hk::Device d) {
    Data data(s);
    hk::Shape out_shape;
    (void)hk::output_shape(data.shape(), m, &out_shape);
    std::vector<float> out(size_t(std::max<int64_t>(out_shape.elements(), 1)));
    hk::Tensor o = hk::Tensor::dense(out.data(), out_shape);
    time_status(st, [&] { return hk::run_model(data.tensor(), o, m, f, d); });
    set_mpix(st, s);
}

}  // namespace

void register_models(const std::vector<hk::Device> &devices) {
    static const Model1 m1;
    static hk::BoxPoolModel m2;
    m2.box.ksize_w = m2.box.ksize_h = 5;
    m2.box.border = hk::Border::zero;
    static hk::DerivativeActivationModel m3;
    m3.derivative.theta = 0.785398;
    m3.derivative.border = hk::Border::zero;
    m3.activation = {hk::Activation::relu, 0};
    for (hk::Device d : devices)
        for (hk::Fusion f : {hk::Fusion::fused, hk::Fusion::unfused}) {
            const std::string suffix = std::string(f == hk::Fusion::fused ? "fused" : "unfused") + "_" + hk::to_string(d);
            add("model1_gabor_conv_relu/256x256x3/" + suffix,
                [=](benchmark::State &st) { bench_model(st, {256, 256, 3}, m1.m, f, d); });
            add("model2_average_maxpool/64x64x1/" + suffix,
                [=](benchmark::State &st) { bench_model(st, {64, 64, 1}, m2, f, d); });
            add("model3_derivative_relu/128x128x1/" + suffix,
                [=](benchmark::State &st) { bench_model(st, {128, 128, 1}, m3, f, d); });
            // Large shapes: the unfused intermediate (e.g. model 1's 1024x1024x3 Gabor
            // response, 12 MiB) no longer fits in L2, the fused one is a band of rows.
            if (d == hk::Device::cpu) {
                add("model1_gabor_conv_relu/1024x1024x3/" + suffix,
                    [=](benchmark::State &st) { bench_model(st, {1024, 1024, 3}, m1.m, f, d); });
                add("model2_average_maxpool/1024x1024x1/" + suffix,
                    [=](benchmark::State &st) { bench_model(st, {1024, 1024, 1}, m2, f, d); });
                add("model3_derivative_relu/1024x1024x1/" + suffix,
                    [=](benchmark::State &st) { bench_model(st, {1024, 1024, 1}, m3, f, d); });
            }
        }
}

}  // namespace hkbench
