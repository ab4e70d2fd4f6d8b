// hkernels: ahead-of-time compiled Halide image filters and CNN layers.
#pragma once
#include "hk/activation.h"
#include "hk/device.h"
#include "hk/filters.h"
#include "hk/layers.h"
#include "hk/models.h"
#include "hk/sequential.h"
#include "hk/status.h"
#include "hk/tensor.h"
