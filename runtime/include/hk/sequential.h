// hk::Sequential: hk layers run one after another at run time, like a Keras Sequential.
//
//   hk::Sequential model({1, 256, 256, 3}, hk::Device::automatic);
//   model.add(gabor).add(weights, bias, conv).add(hk::ActivationParams{}).add(pool);
//   model.add(hk::GaborConvModel{...});                    // a fused model is one layer too
//   if (hk::Status s = model.build(); !s.ok()) ...        // shapes checked here, layer by layer
//   model.run(input, output);                              // as often as needed
//
// build() checks that every layer fits the previous one's output (naming the layer that does
// not), plans each layer on its input shape (packing conv2d weights given as a FilterView) and
// allocates the intermediate tensors once. On CUDA and OpenCL the intermediates and parameters stay on the
// device between layers and between runs: each run copies only the input in and the final
// output back.
#pragma once
#include <memory>

#include "hk/device.h"
#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/models.h"
#include "hk/status.h"
#include "hk/tensor.h"

namespace hk {

class Sequential {
public:
    explicit Sequential(const Shape &input_shape, Device device = Device::automatic);
    ~Sequential();
    Sequential(const Sequential &) = delete;
    Sequential &operator=(const Sequential &) = delete;

    // Layers, in order; `layer` is the params of the op the layer runs: GaborParams,
    // GaborBankParams, BoxFilterParams, Filter2DParams, SeparableParams, DerivativeParams,
    // ActivationParams, Pool2DParams, Conv2DLayer, PackedConv2DLayer (shares the packed weights,
    // no copy), or a fused model, GaborConvModel or
    // BoxPoolModel (one pipeline, as run_model(..., Fusion::fused) runs it). The data the params
    // point to (kernels, weights, biases) is copied right away. Defined for these types only.
    template <typename LayerParams>
    Sequential &add(const LayerParams &layer);
    Sequential &add(const FilterView &weights, const float *bias, const Conv2DParams &p) {  // conv2d
        return add(Conv2DLayer{weights, bias, p});
    }
    Sequential &add(const PackedConv2DWeights &weights, const Conv2DParams &p) {  // conv2d, packed weights
        return add(PackedConv2DLayer{weights, p});
    }

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
