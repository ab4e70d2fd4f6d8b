// hk::Sequential: the same results as the layers called one by one (exactly: the same
// pipelines run), on every device, over repeated runs; shape errors name the layer.
#include <gtest/gtest.h>

#include "reference.h"
#include "test_util.h"

namespace {

struct Net {
    hk::GaborParams gabor;
    std::vector<float> w = std::vector<float>(3 * 3 * 3 * 8), b = std::vector<float>(8);
    hk::Conv2DParams conv;
    hk::ActivationParams act{hk::Activation::leaky_relu, 0.1f};
    hk::Pool2DParams pool;
    Net() {
        gabor.ksize_w = gabor.ksize_h = 5;
        gabor.sigma = 1.5;
        gabor.lambda = 4;
        gabor.gamma = 0.5;
        gabor.theta = 0.3;
        for (size_t i = 0; i < w.size(); i++) w[i] = float(std::sin(0.7 * double(i)));
        for (size_t i = 0; i < b.size(); i++) b[i] = 0.05f * float(i);
        conv.stride_h = conv.stride_w = 2;
        conv.padding = hk::Padding::same;
        pool.kind = hk::PoolKind::average;
        pool.padding = hk::Padding::same;
    }
};

class SequentialTest : public ::testing::TestWithParam<hk::Device> {};

TEST_P(SequentialTest, EqualsLayersOneByOneOverRepeatedRuns) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const Net net;
    const ref::Image in = ref::random_image({2, 37, 41, 3}, 7);

    // One by one.
    ref::Image g(in.shape), c({2, 19, 21, 8}), a({2, 19, 21, 8}), p({2, 10, 11, 8});
    ASSERT_TRUE(hk::gabor(in.cview(), g.view(), net.gabor, d).ok());
    ASSERT_TRUE(hk::conv2d(g.cview(), {net.w.data(), 3, 3, 3, 8}, net.b.data(), c.view(), net.conv, d).ok());
    ASSERT_TRUE(hk::activation(c.cview(), a.view(), net.act, d).ok());
    ASSERT_TRUE(hk::pool2d(a.cview(), p.view(), net.pool, d).ok());

    hk::Sequential model(in.shape, d);
    {
        // The model copies its parameters: these buffers may go away after add().
        std::vector<float> w = net.w, b = net.b;
        model.add(net.gabor).add({w.data(), 3, 3, 3, 8}, b.data(), net.conv).add(net.act).add(net.pool);
    }
    hk::Status s = model.build();
    ASSERT_TRUE(s.ok()) << s.to_string();
    ASSERT_EQ(model.output_shape(), p.shape);
    for (int run = 0; run < 3; run++) {
        ref::Image out(p.shape, NAN);
        s = model.run(in.cview(), out.view());
        ASSERT_TRUE(s.ok()) << s.to_string();
        EXPECT_EQ(out.data, p.data) << "run " << run;
    }

    // The conv2d layer on weights packed once: shared by the model, the same result.
    hk::PackedConv2DWeights packed;
    ASSERT_TRUE(hk::PackedConv2DWeights::pack({net.w.data(), 3, 3, 3, 8}, net.b.data(), &packed).ok());
    hk::Sequential on_packed(in.shape, d);
    on_packed.add(net.gabor).add(packed, net.conv).add(net.act).add(net.pool);
    s = on_packed.build();
    ASSERT_TRUE(s.ok()) << s.to_string();
    ref::Image out(p.shape, NAN);
    s = on_packed.run(in.cview(), out.view());
    ASSERT_TRUE(s.ok()) << s.to_string();
    EXPECT_EQ(out.data, p.data);
}

TEST_P(SequentialTest, FiltersAndValidPaddingBetweenLayers) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({1, 30, 33, 1}, 9);
    hk::BoxFilterParams box;
    box.ksize_w = box.ksize_h = 5;
    box.padding = hk::Padding::valid;  // 26 x 29, its output starting at (2, 2) inside the pipeline
    hk::DerivativeParams der;
    der.theta = 0.785;
    der.activation = {hk::Activation::relu, 0};
    ref::Image b({1, 26, 29, 1}), want({1, 26, 29, 1});
    ASSERT_TRUE(hk::box_filter(in.cview(), b.view(), box, d).ok());
    ASSERT_TRUE(hk::directional_derivative(b.cview(), want.view(), der, d).ok());
    hk::Sequential model(in.shape, d);
    model.add(box).add(der);
    ASSERT_TRUE(model.build().ok());
    ref::Image out(want.shape, NAN);
    ASSERT_TRUE(model.run(in.cview(), out.view()).ok());
    EXPECT_EQ(out.data, want.data);
}

// Filters with caller kernels (freed right after add()) and a Gabor bank, as layers.
TEST_P(SequentialTest, KernelLayersCopyTheirKernelsAndBanksFit) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({1, 24, 26, 2}, 11);
    hk::GaborBankParams bank;
    bank.ksize_w = bank.ksize_h = 5;
    bank.thetas = {0, 1.2};
    bank.lambdas = {4};
    bank.response = hk::GaborResponse::magnitude;
    const float k2d[9] = {0.1f, 0.2f, 0.1f, 0, -1, 0, 0.3f, 0.2f, 0.1f}, k1d[5] = {1, 2, 3, 2, 1};
    hk::Filter2DParams f;
    f.kw = f.kh = 3;
    hk::SeparableParams sp;
    sp.kw = sp.kh = 5;
    ref::Image b({1, 24, 26, 4}), f1({1, 24, 26, 4}), want({1, 24, 26, 4});
    f.kernel = k2d;
    sp.kernel_x = sp.kernel_y = k1d;
    ASSERT_TRUE(hk::gabor_bank(in.cview(), b.view(), bank, d).ok());
    ASSERT_TRUE(hk::filter2d(b.cview(), f1.view(), f, d).ok());
    ASSERT_TRUE(hk::sep_filter2d(f1.cview(), want.view(), sp, d).ok());

    hk::Sequential model(in.shape, d);
    {
        std::vector<float> kernel(k2d, k2d + 9), kx(k1d, k1d + 5);
        hk::Filter2DParams fc = f;
        fc.kernel = kernel.data();
        hk::SeparableParams sc = sp;
        sc.kernel_x = sc.kernel_y = kx.data();
        model.add(bank).add(fc).add(sc);
        std::fill(kernel.begin(), kernel.end(), NAN);  // a model holds copies, not these
        std::fill(kx.begin(), kx.end(), NAN);
    }
    ASSERT_TRUE(model.build().ok());
    ref::Image out(want.shape, NAN);
    ASSERT_TRUE(model.run(in.cview(), out.view()).ok());
    EXPECT_EQ(out.data, want.data);
}

// The fused models as layers: the same pipelines as run_model(..., Fusion::fused), so the same
// bits; their weights are copied at add().
TEST_P(SequentialTest, FusedModelsAsLayersEqualRunModel) {
    const hk::Device d = GetParam();
    HK_REQUIRE_DEVICE(d);
    const ref::Image in = ref::random_image({2, 20, 22, 3}, 13);
    std::vector<float> w(3 * 3 * 3 * 4), b(4);
    for (size_t i = 0; i < w.size(); i++) w[i] = float(std::cos(0.3 * double(i)));
    for (size_t i = 0; i < b.size(); i++) b[i] = 0.1f * float(i) - 0.15f;
    hk::GaborConvModel gabor_conv;
    gabor_conv.gabor.ksize_w = gabor_conv.gabor.ksize_h = 5;
    gabor_conv.gabor.sigma = 1.5;
    gabor_conv.gabor.lambda = 4;
    gabor_conv.gabor.theta = 0.4;
    gabor_conv.weights = {w.data(), 3, 3, 3, 4};
    gabor_conv.bias = b.data();
    gabor_conv.conv.padding = hk::Padding::valid;
    gabor_conv.conv.activation = {hk::Activation::relu, 0};
    hk::BoxPoolModel box_pool;
    box_pool.box.ksize_w = box_pool.box.ksize_h = 3;
    box_pool.pool.kind = hk::PoolKind::max;

    ref::Image mid({2, 18, 20, 4}), want({2, 9, 10, 4});
    ASSERT_TRUE(hk::run_model(in.cview(), mid.view(), gabor_conv, hk::Fusion::fused, d).ok());
    ASSERT_TRUE(hk::run_model(mid.cview(), want.view(), box_pool, hk::Fusion::fused, d).ok());

    hk::Sequential model(in.shape, d);
    {
        std::vector<float> wc = w, bc = b;
        hk::GaborConvModel copy = gabor_conv;
        copy.weights.data = wc.data();
        copy.bias = bc.data();
        model.add(copy).add(box_pool);
        std::fill(wc.begin(), wc.end(), NAN);  // a model holds copies, not these
        std::fill(bc.begin(), bc.end(), NAN);
    }
    hk::Status s = model.build();
    ASSERT_TRUE(s.ok()) << s.to_string();
    ASSERT_EQ(model.output_shape(), want.shape);
    ref::Image out(want.shape, NAN);
    s = model.run(in.cview(), out.view());
    ASSERT_TRUE(s.ok()) << s.to_string();
    EXPECT_EQ(out.data, want.data);
}

INSTANTIATE_TEST_SUITE_P(All, SequentialTest, ::testing::Values(hk::Device::cpu, hk::Device::opencl, hk::Device::cuda),
                         [](const ::testing::TestParamInfo<hk::Device> &i) { return hk::to_string(i.param); });

TEST(SequentialErrors, LayersThatDoNotFitAreNamed) {
    const Net net;
    hk::Sequential model({1, 16, 16, 3}, hk::Device::cpu);
    // Weights for 5 input channels after a 3-channel Gabor.
    std::vector<float> w(3 * 3 * 5 * 4, 0.1f);
    model.add(net.gabor).add({w.data(), 3, 3, 5, 4}, nullptr, hk::Conv2DParams{});
    hk::Status s = model.build();
    EXPECT_EQ(s.code(), hk::StatusCode::shape_mismatch);
    EXPECT_NE(s.message().find("layer 2 (conv2d)"), std::string::npos) << s.message();
    EXPECT_FALSE(model.built());

    // A VALID pooling window larger than what the previous layers leave.
    hk::Sequential small({1, 8, 8, 1}, hk::Device::cpu);
    hk::Pool2DParams pool;
    pool.window_h = pool.window_w = 4;
    small.add(pool).add(pool);  // 8 -> 4... with stride 2: 3, then a 4-window on 3
    s = small.build();
    EXPECT_EQ(s.code(), hk::StatusCode::shape_mismatch) << s.to_string();
    EXPECT_NE(s.message().find("layer 2 (pool2d)"), std::string::npos) << s.message();

    ref::Image in({1, 8, 8, 1}), out({1, 1, 1, 1});
    EXPECT_EQ(small.run(in.cview(), out.view()).code(), hk::StatusCode::invalid_argument);  // not built
    hk::Sequential empty({1, 8, 8, 1});
    EXPECT_EQ(empty.build().code(), hk::StatusCode::invalid_argument);

    // Absurd kernel sizes are refused before any caller memory is read.
    hk::Sequential huge({1, 8, 8, 1}, hk::Device::cpu);
    float one = 1;
    hk::Filter2DParams f;
    f.kernel = &one;
    f.kw = f.kh = 5000;
    huge.add(f);
    s = huge.build();
    EXPECT_EQ(s.code(), hk::StatusCode::invalid_argument);
    EXPECT_NE(s.message().find("layer 1 (filter2d)"), std::string::npos) << s.message();

    // A bank whose intermediate would not fit 32-bit indexing is refused at build, naming it.
    hk::Sequential wide({1, 2048, 2048, 3}, hk::Device::cpu);
    hk::GaborBankParams bank;
    bank.ksize_w = bank.ksize_h = 3;
    bank.thetas.assign(16, 0.5);
    bank.lambdas = {4, 6, 8, 10};
    wide.add(bank).add(hk::ActivationParams{hk::Activation::relu});
    s = wide.build();
    EXPECT_EQ(s.code(), hk::StatusCode::unsupported) << s.to_string();
    EXPECT_NE(s.message().find("layer 1 (gabor_bank)"), std::string::npos) << s.message();
}

TEST(SequentialErrors, FusedModelLayersThatDoNotFitAreNamed) {
    std::vector<float> w(3 * 3 * 5 * 4, 0.1f);
    hk::GaborConvModel gabor_conv;
    gabor_conv.gabor.ksize_w = gabor_conv.gabor.ksize_h = 3;
    gabor_conv.gabor.sigma = 1;
    gabor_conv.gabor.lambda = 3;
    gabor_conv.weights = {w.data(), 3, 3, 5, 4};  // 5 input channels for a 3-channel input
    hk::Sequential model({1, 16, 16, 3}, hk::Device::cpu);
    model.add(hk::ActivationParams{hk::Activation::relu}).add(gabor_conv);
    hk::Status s = model.build();
    EXPECT_EQ(s.code(), hk::StatusCode::shape_mismatch) << s.to_string();
    EXPECT_NE(s.message().find("layer 2 (gabor_conv)"), std::string::npos) << s.message();

    hk::BoxPoolModel box_pool;
    box_pool.box.ksize_w = box_pool.box.ksize_h = 3;
    box_pool.box.padding = hk::Padding::valid;  // the fused model's first stage is SAME only
    hk::Sequential pooled({1, 16, 16, 3}, hk::Device::cpu);
    pooled.add(box_pool);
    s = pooled.build();
    EXPECT_EQ(s.code(), hk::StatusCode::unsupported) << s.to_string();
    EXPECT_NE(s.message().find("layer 1 (box_pool)"), std::string::npos) << s.message();
}

TEST(SequentialErrors, RunChecksItsTensors) {
    hk::Sequential model({1, 8, 8, 1}, hk::Device::cpu);
    model.add(hk::ActivationParams{hk::Activation::relu});
    ASSERT_TRUE(model.build().ok());
    ref::Image wrong({1, 9, 8, 1}), out({1, 8, 8, 1});
    EXPECT_EQ(model.run(wrong.cview(), out.view()).code(), hk::StatusCode::shape_mismatch);
    ref::Image in({1, 8, 8, 1}), bad_out({1, 8, 7, 1});
    EXPECT_EQ(model.run(in.cview(), bad_out.view()).code(), hk::StatusCode::shape_mismatch);
    EXPECT_TRUE(model.run(in.cview(), out.view()).ok());
}

}  // namespace
