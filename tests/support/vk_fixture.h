// Vulkan devices for tests: always with the Khronos validation layer and its
// synchronization validation, whose messages fail the test (checked by
// FACET_VERIFY_NO_VALIDATION_MESSAGES in each test's cleanup()). A machine
// without a Vulkan device fails these tests; they never skip (style rule 16).
#pragma once

#include <QtTest>
#include <memory>

#include "vulkan/vk_device.h"
#include "vulkan/vk_instance.h"

namespace facet::test {

inline std::unique_ptr<vk::Instance> makeValidatedInstance() {
    vk::InstanceOptions o;
    o.validation = true;
    o.synchronizationValidation = true;
    auto inst = vk::Instance::create(o);
    if (!inst.ok()) qWarning("Vulkan instance: %s", inst.message().c_str());
    return inst.ok() ? std::move(inst).value() : nullptr;
}

// Options that ignore FACET_VK_* / FACET_DEVICE, so rows test exactly what they say.
inline vk::DeviceOptions plainOptions() {
    vk::DeviceOptions o;
    o.useEnv = false;
    return o;
}

}  // namespace facet::test

// Fails the current test when the instance's validation log has messages,
// prints them, and clears the log for the next test.
#define FACET_VERIFY_NO_VALIDATION_MESSAGES(instance)                                                    \
    do {                                                                                                 \
        if (!(instance)) break;                                                                          \
        const int n_ = (instance)->validation().count();                                                 \
        const std::string s_ = (instance)->validation().summary(10);                                     \
        (instance)->validation().clear();                                                                \
        QVERIFY2(n_ == 0, qPrintable(QString("%1 validation message(s):\n%2").arg(n_).arg(s_.c_str()))); \
    } while (0)
