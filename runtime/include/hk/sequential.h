// hk::Sequential: hk layers run one after another at run time, like a Keras Sequential.
//
//   hk::Sequential model({1, 256, 256, 3}, hk::Device::automatic);
//   model.add(gabor).add(weights, bias, conv).add(hk::ActivationParams{}).add(pool);
//   if (hk::Status s = model.build(); !s.ok()) ...        // shapes checked here, layer by layer
//   model.run(input, output);                              // as often as needed
//
// build() checks that every layer fits the previous one's output (naming the layer that does
// not), copies the layers' parameters (kernels, weights, biases) and allocates the
// intermediate tensors once. On CUDA and OpenCL the intermediates and parameters stay on the
// device between layers and between runs: each run copies only the input in and the final
// output back.
#pragma once
#include <memory>

#include "hk/device.h"
#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk {

class Sequential {
public:
    explicit Sequential(const Shape &input_shape, Device device = Device::automatic);
    ~Sequential();
    Sequential(const Sequential &) = delete;
    Sequential &operator=(const Sequential &) = delete;

    // Layers, in order. Their data (kernels, weights, biases) is copied right away.
    Sequential &add(const GaborParams &p);
    Sequential &add(const GaborBankParams &p);
    Sequential &add(const BoxFilterParams &p);
    Sequential &add(const Filter2DParams &p);
    Sequential &add(const SeparableParams &p);
    Sequential &add(const DerivativeParams &p);
    Sequential &add(const ActivationParams &p);
    Sequential &add(const Pool2DParams &p);
    Sequential &add(const FilterView &weights, const float *bias, const Conv2DParams &p);  // conv2d

    Status build();
    bool built() const;
    Shape output_shape() const;  // after build()
    size_t size() const;         // number of layers

    // in must have the input shape given at construction, out output_shape(). Runs of one model
    // are serialized (they share its buffers); separate models run concurrently.
    Status run(const ConstTensor &in, const Tensor &out);

private:
    struct Impl;
    std::unique_ptr<Impl> impl_;
};

}  // namespace hk
