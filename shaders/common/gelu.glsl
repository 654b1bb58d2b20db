// gelu_tanh, the activation of Gemma 4's GeGLU (spec §2.4; CPU twin
// facet::cpu::geglu), shared by geglu.comp and the products that apply it
// as an epilogue (mat_vec's GLU mode).
//
// gelu_tanh(z) = 0.5 z (1 + tanh(y)), y = sqrt(2/π)(z + 0.044715 z³), computed
// as z / (1 + exp(-2y)) (the same value: 0.5(1 + tanh y) = sigmoid(2y)). That
// form has no cancellation for z << 0 and saturates to z or -0 without NaN
// when exp overflows, unlike a tanh built from exp ratios.
#ifndef FACET_GELU_GLSL
#define FACET_GELU_GLSL

float geluTanh(float z) {
    const float SQRT_2_OVER_PI = 0.797884560802865355;
    const float y = SQRT_2_OVER_PI * (z + 0.044715 * z * z * z);
    return z / (1.0 + exp(-2.0 * y));
}

#endif  // FACET_GELU_GLSL
