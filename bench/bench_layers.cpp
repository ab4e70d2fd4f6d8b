// Layers: hkernels vs oneDNN (same shapes, NHWC, forward inference, same thread count).
// conv2d 3x3 3->32 at 256x256 and 64->64 at 56x56, 1x1 64->256 at 56x56 (SAME, stride 1);
// max pooling 2x2/2 and relu on 56x56x64 and 256x256x32. hkernels' conv2d rows time weights
// packed once (hk::PackedConv2DWeights, as oneDNN's are reordered once); hk_cpu_hwio_per_call
// rows time the one-shot call on HWIO weights.
#include <oneapi/dnnl/dnnl.hpp>

#include "bench_common.h"

namespace hkbench {

namespace {

using dnnl::memory;
using tag = memory::format_tag;
using dt = memory::data_type;

dnnl::engine &engine() {
    static dnnl::engine e(dnnl::engine::kind::cpu, 0);
    return e;
}

struct ConvShape {
    int hw, in, out, k;
    std::string name() const {
        return std::to_string(k) + "x" + std::to_string(k) + "_" + std::to_string(in) + "to" +
               std::to_string(out) + "/" + std::to_string(hw) + "x" + std::to_string(hw);
    }
    double flops() const { return 2.0 * hw * hw * out * in * k * k; }
};

// `prepacked`: the weights packed once outside the timed loop (hk::PackedConv2DWeights), as
// oneDNN's are reordered once below; else the one-shot call on HWIO weights.
void bench_hk_conv(benchmark::State &st, ConvShape c, hk::Device d, bool prepacked) {
    Data data({c.hw, c.hw, c.in}, size_t(c.hw) * c.hw * c.out);
    std::vector<float> w(size_t(c.k) * c.k * c.in * c.out, 0.01f), b(size_t(c.out), 0.1f);
    const hk::FilterView hwio{w.data(), c.k, c.k, c.in, c.out};
    hk::Conv2DParams p;
    p.padding = hk::Padding::same;
    hk::Tensor out = hk::Tensor::dense(data.out.data(), {1, c.hw, c.hw, c.out});
    hk::PackedConv2DWeights packed;
    if (hk::Status s = hk::PackedConv2DWeights::pack(hwio, b.data(), &packed); !s.ok()) {
        st.SkipWithError(s.message().c_str());
        return;
    }
    time_status(st, [&] {
        return prepacked ? hk::conv2d(data.tensor(), packed, out, p, d)
                         : hk::conv2d(data.tensor(), hwio, b.data(), out, p, d);
    });
    set_gflops(st, c.flops());
}

void bench_dnnl_conv(benchmark::State &st, ConvShape c) {
    Data data({c.hw, c.hw, c.in}, size_t(c.hw) * c.hw * c.out);
    std::vector<float> w(size_t(c.k) * c.k * c.in * c.out, 0.01f), b(size_t(c.out), 0.1f);
    const int pad = c.k / 2;
    memory::desc src_md({1, c.in, c.hw, c.hw}, dt::f32, tag::nhwc), dst_md({1, c.out, c.hw, c.hw}, dt::f32, tag::nhwc);
    memory::desc w_md({c.out, c.in, c.k, c.k}, dt::f32, tag::hwio), b_md({c.out}, dt::f32, tag::a);
    // Let oneDNN pick its preferred weights layout (as a real user would), reordered once.
    memory::desc w_any({c.out, c.in, c.k, c.k}, dt::f32, tag::any);
    dnnl::convolution_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::convolution_direct,
                                         src_md, w_any, b_md, dst_md, {1, 1}, {pad, pad}, {pad, pad});
    dnnl::convolution_forward::primitive_desc pd(desc, engine());
    dnnl::stream s(engine());
    memory src(src_md, engine(), data.in.data()), dst(dst_md, engine(), data.out.data()),
        wm(w_md, engine(), w.data()), bm(b_md, engine(), b.data());
    memory wp = wm;
    if (pd.weights_desc() != w_md) {
        wp = memory(pd.weights_desc(), engine());
        dnnl::reorder(wm, wp).execute(s, wm, wp);
    }
    dnnl::convolution_forward conv(pd);
    for (auto _ : st) {
        conv.execute(s, {{DNNL_ARG_SRC, src}, {DNNL_ARG_WEIGHTS, wp}, {DNNL_ARG_BIAS, bm}, {DNNL_ARG_DST, dst}});
        s.wait();
    }
    set_gflops(st, c.flops());
}

void bench_hk_pool(benchmark::State &st, Size s, hk::Device d) {
    Data data(s, size_t(s.w / 2) * (s.h / 2) * s.c);
    hk::Pool2DParams p;  // max 2x2 stride 2 VALID
    hk::Tensor out = hk::Tensor::dense(data.out.data(), {1, s.h / 2, s.w / 2, s.c});
    time_status(st, [&] { return hk::pool2d(data.tensor(), out, p, d); });
    set_gbytes(st, 4.0 * (data.in.size() + data.out.size()));
}

void bench_dnnl_pool(benchmark::State &st, Size s) {
    Data data(s, size_t(s.w / 2) * (s.h / 2) * s.c);
    memory::desc src_md({1, s.c, s.h, s.w}, dt::f32, tag::nhwc), dst_md({1, s.c, s.h / 2, s.w / 2}, dt::f32, tag::nhwc);
    dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_max, src_md,
                                     dst_md, {2, 2}, {2, 2}, {0, 0}, {0, 0});
    dnnl::pooling_forward::primitive_desc pd(desc, engine());
    dnnl::stream str(engine());
    memory src(src_md, engine(), data.in.data()), dst(dst_md, engine(), data.out.data());
    dnnl::pooling_forward pool(pd);
    for (auto _ : st) {
        pool.execute(str, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
        str.wait();
    }
    set_gbytes(st, 4.0 * (data.in.size() + data.out.size()));
}

void bench_hk_pool_avg(benchmark::State &st, Size s, hk::Device d) {
    Data data(s, size_t(s.w / 2) * (s.h / 2) * s.c);
    hk::Pool2DParams p;
    p.kind = hk::PoolKind::average;
    hk::Tensor out = hk::Tensor::dense(data.out.data(), {1, s.h / 2, s.w / 2, s.c});
    time_status(st, [&] { return hk::pool2d(data.tensor(), out, p, d); });
    set_gbytes(st, 4.0 * (data.in.size() + data.out.size()));
}

void bench_dnnl_pool_avg(benchmark::State &st, Size s) {
    Data data(s, size_t(s.w / 2) * (s.h / 2) * s.c);
    memory::desc src_md({1, s.c, s.h, s.w}, dt::f32, tag::nhwc), dst_md({1, s.c, s.h / 2, s.w / 2}, dt::f32, tag::nhwc);
    dnnl::pooling_forward::desc desc(dnnl::prop_kind::forward_inference, dnnl::algorithm::pooling_avg_exclude_padding,
                                     src_md, dst_md, {2, 2}, {2, 2}, {0, 0}, {0, 0});
    dnnl::pooling_forward::primitive_desc pd(desc, engine());
    dnnl::stream str(engine());
    memory src(src_md, engine(), data.in.data()), dst(dst_md, engine(), data.out.data());
    dnnl::pooling_forward pool(pd);
    for (auto _ : st) {
        pool.execute(str, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
        str.wait();
    }
    set_gbytes(st, 4.0 * (data.in.size() + data.out.size()));
}

void bench_hk_act(benchmark::State &st, Size s, hk::Activation kind, hk::Device d) {
    Data data(s);
    hk::Tensor out = hk::Tensor::dense(data.out.data(), data.shape());
    time_status(st, [&] { return hk::activation(data.tensor(), out, {kind, 0}, d); });
    set_gbytes(st, 8.0 * data.in.size());
}

void bench_dnnl_act(benchmark::State &st, Size s, dnnl::algorithm alg) {
    Data data(s);
    memory::desc md({1, s.c, s.h, s.w}, dt::f32, tag::nhwc);
    dnnl::eltwise_forward::desc desc(dnnl::prop_kind::forward_inference, alg, md, 0.f);
    dnnl::eltwise_forward::primitive_desc pd(desc, engine());
    dnnl::stream str(engine());
    memory src(md, engine(), data.in.data()), dst(md, engine(), data.out.data());
    dnnl::eltwise_forward relu(pd);
    for (auto _ : st) {
        relu.execute(str, {{DNNL_ARG_SRC, src}, {DNNL_ARG_DST, dst}});
        str.wait();
    }
    set_gbytes(st, 8.0 * data.in.size());
}

}  // namespace

void register_layers(const std::vector<hk::Device> &devices) {
    for (ConvShape c : {ConvShape{256, 3, 32, 3}, ConvShape{56, 64, 64, 3}, ConvShape{56, 64, 256, 1}}) {
        const std::string n = "conv2d/" + c.name() + "/";
        for (hk::Device d : devices)
            add(n + "hk_" + hk::to_string(d), [=](benchmark::State &st) { bench_hk_conv(st, c, d, true); });
        add(n + "hk_cpu_hwio_per_call", [=](benchmark::State &st) { bench_hk_conv(st, c, hk::Device::cpu, false); });
        add(n + "onednn", [=](benchmark::State &st) { bench_dnnl_conv(st, c); });
    }
    for (Size s : sizes_or({Size{56, 56, 64}, Size{256, 256, 32}})) {
        for (hk::Device d : devices) {
            add("maxpool2x2/" + s.name() + "/hk_" + hk::to_string(d), [=](benchmark::State &st) { bench_hk_pool(st, s, d); });
        }
        add("maxpool2x2/" + s.name() + "/onednn", [=](benchmark::State &st) { bench_dnnl_pool(st, s); });
        for (hk::Device d : devices)
            add("avgpool2x2/" + s.name() + "/hk_" + hk::to_string(d), [=](benchmark::State &st) { bench_hk_pool_avg(st, s, d); });
        add("avgpool2x2/" + s.name() + "/onednn", [=](benchmark::State &st) { bench_dnnl_pool_avg(st, s); });
        const std::pair<hk::Activation, dnnl::algorithm> acts[] = {
            {hk::Activation::relu, dnnl::algorithm::eltwise_relu},
            {hk::Activation::sigmoid, dnnl::algorithm::eltwise_logistic},
            {hk::Activation::gelu_erf, dnnl::algorithm::eltwise_gelu_erf}};
        for (auto [kind, alg] : acts) {
            const std::string name = std::string(kind == hk::Activation::relu ? "relu"
                                                 : kind == hk::Activation::sigmoid ? "sigmoid" : "gelu_erf") +
                                     "/" + s.name() + "/";
            for (hk::Device d : devices)
                add(name + "hk_" + hk::to_string(d), [=](benchmark::State &st) { bench_hk_act(st, s, kind, d); });
            add(name + "onednn", [=](benchmark::State &st) { bench_dnnl_act(st, s, alg); });
        }
    }
}

}  // namespace hkbench
