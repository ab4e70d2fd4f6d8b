// Many threads calling hk:: at once: every result must be bitwise the single-threaded one.
// The jobs mix ops, parameters and devices (CPU and OpenCL), so calls that share a pipeline,
// the Halide runtime's thread pool, the OpenCL context and compiled-kernel cache, the per-call
// error context and the low-rank factorization run side by side. Also built with
// -fsanitize=thread (hk_concurrency_tests_tsan) when HK_SANITIZERS is on.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "hk/hk.h"
#include "test_util.h"

namespace {

constexpr int kThreads = 8;
constexpr int kRounds = 3;

std::vector<float> random_values(size_t n, unsigned seed, float lo = -1.f, float hi = 1.f) {
    std::mt19937 rng(seed);
    std::uniform_real_distribution<float> u(lo, hi);
    std::vector<float> v(n);
    for (float &x : v) x = u(rng);
    return v;
}

// One call: its name and a function that runs it into a fresh output, returning that output
// (empty when the call failed, with the failure recorded in *error).
struct Job {
    std::string name;
    std::function<std::vector<float>(std::string *error)> run;
};

// Runs `call` (which writes `out`) and returns out, or records the Status.
template <typename Call>
std::vector<float> result_of(const std::string &name, hk::Shape out_shape, Call call, std::string *error) {
    std::vector<float> out(size_t(out_shape.elements()), std::nanf(""));
    const hk::Status s = call(hk::Tensor::dense(out.data(), out_shape));
    if (!s.ok()) {
        *error = name + ": " + s.to_string();
        return {};
    }
    return out;
}

// The inputs every job reads (shared, read-only, as callers share them).
struct Inputs {
    hk::Shape image_shape{2, 37, 53, 3};
    std::vector<float> image = random_values(size_t(image_shape.elements()), 1);
    std::vector<unsigned char> image_u8;
    hk::Shape features_shape{1, 19, 23, 16};
    std::vector<float> features = random_values(size_t(features_shape.elements()), 2, -4.f, 4.f);
    std::vector<float> conv_weights = random_values(3 * 3 * 16 * 8, 3);
    std::vector<float> conv_bias = random_values(8, 4);
    std::vector<float> model_weights = random_values(3 * 3 * 3 * 4, 5);
    std::vector<float> kernel5x5 = random_values(25, 6);
    std::vector<float> kernel_x = random_values(7, 7), kernel_y = random_values(5, 8);
    Inputs() {
        image_u8.resize(image.size());
        for (size_t i = 0; i < image.size(); i++) image_u8[i] = (unsigned char)((image[i] + 1.f) * 127.f);
    }
    hk::ConstTensor in() const { return hk::ConstTensor::dense(image.data(), image_shape); }
    hk::ConstTensorU8 in_u8() const { return hk::ConstTensorU8::dense(image_u8.data(), image_shape); }
    hk::ConstTensor feats() const { return hk::ConstTensor::dense(features.data(), features_shape); }
};

// Filters, layers and models on `device`, each with a few parameter sets.
std::vector<Job> jobs_on(const Inputs &in, hk::Device device) {
    const std::string dev = hk::to_string(device);
    std::vector<Job> jobs;
    auto add = [&](std::string name, auto params, auto call) {
        name = dev + "/" + name;
        jobs.push_back({name, [&in, name, params, call](std::string *error) {
                            hk::Shape out_shape;
                            const hk::Status s = call(in, params, nullptr, &out_shape);
                            if (!s.ok()) {
                                *error = name + ": output_shape: " + s.to_string();
                                return std::vector<float>{};
                            }
                            return result_of(name, out_shape,
                                             [&](const hk::Tensor &out) { return call(in, params, &out, nullptr); },
                                             error);
                        }});
    };
    // call(inputs, params, out, shape): runs into *out, or (out == nullptr) gives the shape.
    for (double theta : {0.0, 0.7}) {
        hk::GaborParams g;
        g.ksize_w = 9, g.ksize_h = 7, g.sigma = 2.5, g.theta = theta, g.lambda = 6, g.gamma = 0.6;
        g.border = theta == 0 ? hk::Border::reflect101 : hk::Border::zero;
        add("gabor_theta" + std::to_string(theta), g,
            [device](const Inputs &x, const hk::GaborParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::gabor(x.in(), *out, p, device) : hk::output_shape(x.image_shape, p, shape);
            });
        add("gabor_u8_theta" + std::to_string(theta), g,
            [device](const Inputs &x, const hk::GaborParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::gabor(x.in_u8(), *out, p, device) : hk::output_shape(x.image_shape, p, shape);
            });
    }
    for (int k : {3, 11}) {
        hk::BoxFilterParams b;
        b.ksize_w = k, b.ksize_h = k + 2, b.border = hk::Border::replicate;
        b.channels = k == 3 ? hk::ChannelMode::per_channel : hk::ChannelMode::sum;
        add("box_k" + std::to_string(k), b,
            [device](const Inputs &x, const hk::BoxFilterParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::box_filter(x.in(), *out, p, device) : hk::output_shape(x.image_shape, p, shape);
            });
    }
    {
        hk::Filter2DParams f;
        f.kernel = in.kernel5x5.data(), f.kw = 5, f.kh = 5, f.padding = hk::Padding::valid;
        f.activation.kind = hk::Activation::relu;
        add("filter2d_5x5_relu", f,
            [device](const Inputs &x, const hk::Filter2DParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::filter2d(x.in(), *out, p, device) : hk::output_shape(x.image_shape, p, shape);
            });
        hk::SeparableParams s;
        s.kernel_x = in.kernel_x.data(), s.kw = 7, s.kernel_y = in.kernel_y.data(), s.kh = 5;
        add("sep_filter2d_7x5", s,
            [device](const Inputs &x, const hk::SeparableParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::sep_filter2d(x.in(), *out, p, device) : hk::output_shape(x.image_shape, p, shape);
            });
        hk::DerivativeParams d;
        d.theta = 0.4, d.order = 2, d.stencil = hk::Stencil::central;
        add("derivative_order2", d,
            [device](const Inputs &x, const hk::DerivativeParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::directional_derivative(x.in(), *out, p, device)
                           : hk::output_shape(x.image_shape, p, shape);
            });
        hk::GaborBankParams bank;
        bank.ksize_w = bank.ksize_h = 7, bank.thetas = {0, 0.8, 1.6}, bank.lambdas = {4, 7};
        bank.response = hk::GaborResponse::magnitude;
        add("gabor_bank_magnitude", bank,
            [device](const Inputs &x, const hk::GaborBankParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::gabor_bank(x.in(), *out, p, device) : hk::output_shape(x.image_shape, p, shape);
            });
    }
    for (hk::Activation kind : {hk::Activation::gelu_erf, hk::Activation::sigmoid}) {
        hk::ActivationParams a;
        a.kind = kind;
        add(std::string("activation_") + hktest::name_of(kind), a,
            [device](const Inputs &x, const hk::ActivationParams &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::activation(x.feats(), *out, p, device) : hk::output_shape(x.features_shape, p, shape);
            });
    }
    for (hk::PoolKind kind : {hk::PoolKind::max, hk::PoolKind::average}) {
        hk::Pool2DParams p;
        p.kind = kind, p.window_h = p.window_w = 3, p.padding = hk::Padding::same;
        add(kind == hk::PoolKind::max ? "maxpool3x3" : "avgpool3x3", p,
            [device](const Inputs &x, const hk::Pool2DParams &q, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::pool2d(x.feats(), *out, q, device) : hk::output_shape(x.features_shape, q, shape);
            });
    }
    for (int stride : {1, 2}) {
        hk::Conv2DLayer c;
        c.weights = {in.conv_weights.data(), 3, 3, 16, 8};
        c.bias = in.conv_bias.data();
        c.params.stride_h = c.params.stride_w = stride;
        c.params.padding = stride == 1 ? hk::Padding::same : hk::Padding::valid;
        c.params.activation.kind = hk::Activation::relu;
        add("conv2d_stride" + std::to_string(stride), c,
            [device](const Inputs &x, const hk::Conv2DLayer &l, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::conv2d(x.feats(), l.weights, l.bias, *out, l.params, device)
                           : hk::output_shape(x.features_shape, l, shape);
            });
    }
    for (hk::Fusion fusion : {hk::Fusion::fused, hk::Fusion::unfused}) {
        hk::GaborConvModel m;
        m.gabor.ksize_w = m.gabor.ksize_h = 5, m.gabor.sigma = 1.5, m.gabor.lambda = 4, m.gabor.theta = 0.3;
        m.weights = {in.model_weights.data(), 3, 3, 3, 4};
        m.conv.activation.kind = hk::Activation::relu;
        add(fusion == hk::Fusion::fused ? "model_gabor_conv_fused" : "model_gabor_conv_unfused", m,
            [device, fusion](const Inputs &x, const hk::GaborConvModel &p, const hk::Tensor *out, hk::Shape *shape) {
                return out ? hk::run_model(x.in(), *out, p, fusion, device) : hk::output_shape(x.image_shape, p, shape);
            });
    }
    return jobs;
}

TEST(Concurrency, MixedOpsOnCpuAndOpenClAreBitwiseTheSingleThreadedResults) {
    Inputs inputs;
    std::vector<Job> jobs = jobs_on(inputs, hk::Device::cpu);
    if (hk::check_device(hk::Device::opencl).ok()) {
        for (Job &j : jobs_on(inputs, hk::Device::opencl)) jobs.push_back(std::move(j));
    } else if (hktest::in_ci()) {
        FAIL() << "CI=true requires an OpenCL device (PoCL): "
               << hk::check_device(hk::Device::opencl).message();
    } else {
        std::printf("[ note ] no OpenCL device: %s; CPU jobs only\n",
                    hk::check_device(hk::Device::opencl).message().c_str());
    }

    // The single-threaded results, one call at a time.
    std::vector<std::vector<float>> expected(jobs.size());
    for (size_t j = 0; j < jobs.size(); j++) {
        std::string error;
        expected[j] = jobs[j].run(&error);
        ASSERT_FALSE(expected[j].empty()) << error;
    }

    // Every thread runs every job kRounds times, each thread in its own order.
    std::vector<std::vector<std::string>> failures(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
        threads.emplace_back([&, t] {
            std::vector<size_t> order(jobs.size());
            for (size_t i = 0; i < order.size(); i++) order[i] = i;
            std::shuffle(order.begin(), order.end(), std::mt19937(100 + t));
            for (int round = 0; round < kRounds; round++) {
                for (size_t j : order) {
                    std::string error;
                    const std::vector<float> got = jobs[j].run(&error);
                    if (got.empty()) {
                        failures[t].push_back(error);
                    } else if (got.size() != expected[j].size() ||
                               std::memcmp(got.data(), expected[j].data(), got.size() * sizeof(float)) != 0) {
                        size_t first = 0;
                        while (first < got.size() && std::memcmp(&got[first], &expected[j][first], sizeof(float)) == 0)
                            first++;
                        failures[t].push_back(jobs[j].name + ": element " + std::to_string(first) + " is " +
                                              std::to_string(got[first]) + ", single-threaded " +
                                              std::to_string(expected[j][first]));
                    }
                }
            }
        });
    }
    for (std::thread &t : threads) t.join();
    size_t failed = 0;
    for (int t = 0; t < kThreads; t++) {
        for (const std::string &f : failures[t]) ADD_FAILURE() << "thread " << t << ": " << f;
        failed += failures[t].size();
    }
    EXPECT_EQ(failed, 0u) << "of " << kThreads * kRounds * jobs.size() << " concurrent calls";
}

// One hk::Sequential shared by many threads (its runs serialize on its buffers) and one model
// per thread: both give the single-threaded result.
TEST(Concurrency, SequentialSharedAndPerThreadAreBitwiseTheSingleThreadedResult) {
    Inputs inputs;
    auto make_model = [&](hk::Sequential *m) {
        hk::GaborParams g;
        g.ksize_w = g.ksize_h = 7, g.sigma = 2, g.lambda = 5, g.theta = 1.1;
        hk::Pool2DParams pool;
        m->add(g).add(pool);
        return m->build();
    };
    hk::Sequential shared(inputs.image_shape, hk::Device::cpu);
    ASSERT_TRUE(make_model(&shared).ok());
    const hk::Shape out_shape = shared.output_shape();
    std::vector<float> expected(size_t(out_shape.elements()));
    ASSERT_TRUE(shared.run(inputs.in(), hk::Tensor::dense(expected.data(), out_shape)).ok());

    std::vector<int> mismatches(kThreads, 0);
    std::vector<std::string> errors(kThreads);
    std::vector<std::thread> threads;
    for (int t = 0; t < kThreads; t++) {
        threads.emplace_back([&, t] {
            hk::Sequential own(inputs.image_shape, hk::Device::cpu);
            if (hk::Status s = make_model(&own); !s.ok()) {
                errors[t] = s.to_string();
                return;
            }
            for (int round = 0; round < kRounds; round++) {
                for (hk::Sequential *m : {&shared, &own}) {
                    std::vector<float> got(expected.size(), std::nanf(""));
                    if (hk::Status s = m->run(inputs.in(), hk::Tensor::dense(got.data(), out_shape)); !s.ok()) {
                        errors[t] = s.to_string();
                        return;
                    }
                    mismatches[t] += std::memcmp(got.data(), expected.data(), got.size() * sizeof(float)) != 0;
                }
            }
        });
    }
    for (std::thread &t : threads) t.join();
    for (int t = 0; t < kThreads; t++) {
        EXPECT_TRUE(errors[t].empty()) << "thread " << t << ": " << errors[t];
        EXPECT_EQ(mismatches[t], 0) << "thread " << t;
    }
}

}  // namespace
