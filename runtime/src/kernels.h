// The generated entry points, per kernel and target class: the one place that knows which
// libraries a build compiled. Null where a target class was not compiled in.
#pragma once
#include "hk/device.h"

#include "hk_activation_cpu.h"
#include "hk_box_filter_cpu.h"
#include "hk_box_filter_u8_cpu.h"
#include "hk_conv2d_cpu.h"
#include "hk_filter2d_cpu.h"
#include "hk_filter2d_u8_cpu.h"
#include "hk_gabor_cpu.h"
#include "hk_gabor_u8_cpu.h"
#include "hk_gabor_bank_cpu.h"
#include "hk_gabor_bank_u8_cpu.h"
#include "hk_gabor_bank_magnitude_cpu.h"
#include "hk_gabor_bank_magnitude_u8_cpu.h"
#include "hk_gabor_conv_cpu.h"
#include "hk_box_pool_cpu.h"
#include "hk_pooling_cpu.h"
#include "hk_separable_cpu.h"
#include "hk_separable_u8_cpu.h"
#if HK_HAVE_OPENCL
#include "hk_activation_opencl.h"
#include "hk_box_filter_opencl.h"
#include "hk_box_filter_u8_opencl.h"
#include "hk_filter2d_opencl.h"
#include "hk_filter2d_u8_opencl.h"
#include "hk_conv2d_opencl.h"
#include "hk_gabor_opencl.h"
#include "hk_gabor_u8_opencl.h"
#include "hk_gabor_bank_opencl.h"
#include "hk_gabor_bank_u8_opencl.h"
#include "hk_gabor_bank_magnitude_opencl.h"
#include "hk_gabor_bank_magnitude_u8_opencl.h"
#include "hk_gabor_conv_opencl.h"
#include "hk_box_pool_opencl.h"
#include "hk_pooling_opencl.h"
#include "hk_separable_opencl.h"
#include "hk_separable_u8_opencl.h"
#define HK_OPENCL(fn) fn
#else
#define HK_OPENCL(fn) nullptr
#endif
#if HK_HAVE_CUDA
#include "hk_activation_cuda.h"
#include "hk_box_filter_cuda.h"
#include "hk_box_filter_u8_cuda.h"
#include "hk_filter2d_cuda.h"
#include "hk_filter2d_u8_cuda.h"
#include "hk_conv2d_cuda.h"
#include "hk_gabor_cuda.h"
#include "hk_gabor_u8_cuda.h"
#include "hk_gabor_bank_cuda.h"
#include "hk_gabor_bank_u8_cuda.h"
#include "hk_gabor_bank_magnitude_cuda.h"
#include "hk_gabor_bank_magnitude_u8_cuda.h"
#include "hk_gabor_conv_cuda.h"
#include "hk_box_pool_cuda.h"
#include "hk_pooling_cuda.h"
#include "hk_separable_cuda.h"
#include "hk_separable_u8_cuda.h"
#define HK_CUDA(fn) fn
#else
#define HK_CUDA(fn) nullptr
#endif

namespace hk::detail {

template <typename Fn>
struct Variants {
    Fn cpu, opencl, cuda;
    Fn get(Device d) const {
        switch (d) {
        case Device::opencl: return opencl;
        case Device::cuda: return cuda;
        default: return cpu;
        }
    }
};

#define HK_VARIANTS(kernel) \
    Variants<decltype(&kernel##_cpu)> { kernel##_cpu, HK_OPENCL(kernel##_opencl), HK_CUDA(kernel##_cuda) }

inline const auto kGabor = HK_VARIANTS(hk_gabor);
inline const auto kGaborU8 = HK_VARIANTS(hk_gabor_u8);
inline const auto kGaborBank = HK_VARIANTS(hk_gabor_bank);
inline const auto kGaborBankU8 = HK_VARIANTS(hk_gabor_bank_u8);
inline const auto kGaborBankMagnitude = HK_VARIANTS(hk_gabor_bank_magnitude);
inline const auto kGaborBankMagnitudeU8 = HK_VARIANTS(hk_gabor_bank_magnitude_u8);
inline const auto kBoxFilter = HK_VARIANTS(hk_box_filter);
inline const auto kBoxFilterU8 = HK_VARIANTS(hk_box_filter_u8);
inline const auto kFilter2D = HK_VARIANTS(hk_filter2d);
inline const auto kFilter2DU8 = HK_VARIANTS(hk_filter2d_u8);
inline const auto kSeparable = HK_VARIANTS(hk_separable);
inline const auto kSeparableU8 = HK_VARIANTS(hk_separable_u8);
inline const auto kActivation = HK_VARIANTS(hk_activation);
inline const auto kPooling = HK_VARIANTS(hk_pooling);
inline const auto kConv2D = HK_VARIANTS(hk_conv2d);
inline const auto kGaborConv = HK_VARIANTS(hk_gabor_conv);
inline const auto kBoxPool = HK_VARIANTS(hk_box_pool);

}  // namespace hk::detail
