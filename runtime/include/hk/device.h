// Devices, the CPU variant Halide's dispatcher picked, and CPU threads.
#pragma once
#include <string>
#include <vector>

#include "hk/status.h"

namespace hk {

enum class Device {
    cpu,        // x86 multi-target library (AVX-512 / AVX2 / SSE4.1, picked at run time)
    opencl,     // OpenCL, on whatever device the OpenCL loader offers (a GPU, or PoCL on the CPU)
    cuda,       // CUDA, PTX for compute capability 8.0 and newer
    automatic,  // the best present: CUDA, else an OpenCL GPU, else the CPU
};

const char *to_string(Device d);

struct DeviceInfo {
    Device device = Device::cpu;
    std::string name;     // e.g. "x86-64 CPU (avx2)", "pthread-haswell-AMD EPYC (PoCL)", "NVIDIA H100"
    bool is_gpu = false;
};

// Devices this build can run on, present on this machine. Probed once, then cached.
std::vector<DeviceInfo> available_devices();

// ok() when `d` can run here; invalid_argument when `d` is not a Device value; otherwise
// device_unavailable naming the reason (not compiled in, no driver / ICD loader, no device).
Status check_device(Device d);

// Device::automatic resolved to the device it stands for; other values are returned as is.
Device resolve(Device d);

// The CPU variant Halide's dispatcher picked for this process: "avx512_skylake", "avx2" or
// "sse41". Set HK_CPU_VARIANT=avx2|sse41 in the environment (before the first hk call) to cap
// it, e.g. to test the baseline on a newer CPU.
std::string cpu_variant();

// Threads used by CPU kernels. n >= 1; default: the number of cores (or HL_NUM_THREADS).
Status set_num_threads(int n);
int num_threads();

}  // namespace hk
