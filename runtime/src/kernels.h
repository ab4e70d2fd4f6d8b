// The generated pipelines, per kernel and target class (nullptr where a class was not compiled
// in). Written by hand in this branch; the build generates the same table as
// <build>/hk_kernel_table.h (cmake/HkKernels.cmake), which replaces this file's contents.
#pragma once
#include "hk/device.h"

#include "hk_gabor_cpu.h"
#include "hk_gabor_u8_cpu.h"
#include "hk_box_filter_cpu.h"
#include "hk_box_filter_u8_cpu.h"
#include "hk_filter2d_cpu.h"
#include "hk_filter2d_u8_cpu.h"
#include "hk_separable_cpu.h"
#include "hk_separable_u8_cpu.h"
#include "hk_gabor_bank_cpu.h"
#include "hk_gabor_bank_u8_cpu.h"
#include "hk_gabor_bank_magnitude_cpu.h"
#include "hk_gabor_bank_magnitude_u8_cpu.h"
#include "hk_activation_cpu.h"
#include "hk_pooling_cpu.h"
#include "hk_conv2d_cpu.h"
#include "hk_gabor_conv_cpu.h"
#include "hk_box_pool_cpu.h"
#if HK_HAVE_OPENCL
#include "hk_gabor_opencl.h"
#include "hk_gabor_u8_opencl.h"
#include "hk_box_filter_opencl.h"
#include "hk_box_filter_u8_opencl.h"
#include "hk_filter2d_opencl.h"
#include "hk_filter2d_u8_opencl.h"
#include "hk_separable_opencl.h"
#include "hk_separable_u8_opencl.h"
#include "hk_gabor_bank_opencl.h"
#include "hk_gabor_bank_u8_opencl.h"
#include "hk_gabor_bank_magnitude_opencl.h"
#include "hk_gabor_bank_magnitude_u8_opencl.h"
#include "hk_activation_opencl.h"
#include "hk_pooling_opencl.h"
#include "hk_conv2d_opencl.h"
#include "hk_gabor_conv_opencl.h"
#include "hk_box_pool_opencl.h"
#define HK_OPENCL(fn) fn
#else
#define HK_OPENCL(fn) nullptr
#endif
#if HK_HAVE_CUDA
#include "hk_gabor_cuda.h"
#include "hk_gabor_u8_cuda.h"
#include "hk_box_filter_cuda.h"
#include "hk_box_filter_u8_cuda.h"
#include "hk_filter2d_cuda.h"
#include "hk_filter2d_u8_cuda.h"
#include "hk_separable_cuda.h"
#include "hk_separable_u8_cuda.h"
#include "hk_gabor_bank_cuda.h"
#include "hk_gabor_bank_u8_cuda.h"
#include "hk_gabor_bank_magnitude_cuda.h"
#include "hk_gabor_bank_magnitude_u8_cuda.h"
#include "hk_activation_cuda.h"
#include "hk_pooling_cuda.h"
#include "hk_conv2d_cuda.h"
#include "hk_gabor_conv_cuda.h"
#include "hk_box_pool_cuda.h"
#define HK_CUDA(fn) fn
#else
#define HK_CUDA(fn) nullptr
#endif

namespace hk::detail {

template <typename Fn>
struct Variants {
    Fn cpu, opencl, cuda;  // nullptr where the class was not compiled in
    Fn get(Device d) const { return d == Device::opencl ? opencl : d == Device::cuda ? cuda : cpu; }
};

namespace kernels {
inline const Variants<decltype(&hk_gabor_cpu)> gabor{hk_gabor_cpu, HK_OPENCL(hk_gabor_opencl), HK_CUDA(hk_gabor_cuda)};
inline const Variants<decltype(&hk_gabor_u8_cpu)> gabor_u8{hk_gabor_u8_cpu, HK_OPENCL(hk_gabor_u8_opencl), HK_CUDA(hk_gabor_u8_cuda)};
inline const Variants<decltype(&hk_box_filter_cpu)> box_filter{hk_box_filter_cpu, HK_OPENCL(hk_box_filter_opencl), HK_CUDA(hk_box_filter_cuda)};
inline const Variants<decltype(&hk_box_filter_u8_cpu)> box_filter_u8{hk_box_filter_u8_cpu, HK_OPENCL(hk_box_filter_u8_opencl), HK_CUDA(hk_box_filter_u8_cuda)};
inline const Variants<decltype(&hk_filter2d_cpu)> filter2d{hk_filter2d_cpu, HK_OPENCL(hk_filter2d_opencl), HK_CUDA(hk_filter2d_cuda)};
inline const Variants<decltype(&hk_filter2d_u8_cpu)> filter2d_u8{hk_filter2d_u8_cpu, HK_OPENCL(hk_filter2d_u8_opencl), HK_CUDA(hk_filter2d_u8_cuda)};
inline const Variants<decltype(&hk_separable_cpu)> separable{hk_separable_cpu, HK_OPENCL(hk_separable_opencl), HK_CUDA(hk_separable_cuda)};
inline const Variants<decltype(&hk_separable_u8_cpu)> separable_u8{hk_separable_u8_cpu, HK_OPENCL(hk_separable_u8_opencl), HK_CUDA(hk_separable_u8_cuda)};
inline const Variants<decltype(&hk_gabor_bank_cpu)> gabor_bank{hk_gabor_bank_cpu, HK_OPENCL(hk_gabor_bank_opencl), HK_CUDA(hk_gabor_bank_cuda)};
inline const Variants<decltype(&hk_gabor_bank_u8_cpu)> gabor_bank_u8{hk_gabor_bank_u8_cpu, HK_OPENCL(hk_gabor_bank_u8_opencl), HK_CUDA(hk_gabor_bank_u8_cuda)};
inline const Variants<decltype(&hk_gabor_bank_magnitude_cpu)> gabor_bank_magnitude{hk_gabor_bank_magnitude_cpu, HK_OPENCL(hk_gabor_bank_magnitude_opencl), HK_CUDA(hk_gabor_bank_magnitude_cuda)};
inline const Variants<decltype(&hk_gabor_bank_magnitude_u8_cpu)> gabor_bank_magnitude_u8{hk_gabor_bank_magnitude_u8_cpu, HK_OPENCL(hk_gabor_bank_magnitude_u8_opencl), HK_CUDA(hk_gabor_bank_magnitude_u8_cuda)};
inline const Variants<decltype(&hk_activation_cpu)> activation{hk_activation_cpu, HK_OPENCL(hk_activation_opencl), HK_CUDA(hk_activation_cuda)};
inline const Variants<decltype(&hk_pooling_cpu)> pooling{hk_pooling_cpu, HK_OPENCL(hk_pooling_opencl), HK_CUDA(hk_pooling_cuda)};
inline const Variants<decltype(&hk_conv2d_cpu)> conv2d{hk_conv2d_cpu, HK_OPENCL(hk_conv2d_opencl), HK_CUDA(hk_conv2d_cuda)};
inline const Variants<decltype(&hk_gabor_conv_cpu)> gabor_conv{hk_gabor_conv_cpu, HK_OPENCL(hk_gabor_conv_opencl), HK_CUDA(hk_gabor_conv_cuda)};
inline const Variants<decltype(&hk_box_pool_cpu)> box_pool{hk_box_pool_cpu, HK_OPENCL(hk_box_pool_opencl), HK_CUDA(hk_box_pool_cuda)};
}  // namespace kernels

}  // namespace hk::detail

#undef HK_OPENCL
#undef HK_CUDA
