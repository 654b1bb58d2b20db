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

// A device with `o`, or null after printing why (the caller's QVERIFY fails).
inline std::unique_ptr<vk::Device> makeDevice(vk::Instance& instance, const vk::DeviceOptions& o) {
    auto d = vk::Device::create(instance, o);
    if (!d.ok()) qWarning("%s", d.message().c_str());
    return d.ok() ? std::move(d).value() : nullptr;
}

// Sets an environment variable for one scope (the FACET_VK_* switches).
class ScopedEnv {
public:
    ScopedEnv(const char* name, const QByteArray& value) : name_(name) { qputenv(name, value); }
    ~ScopedEnv() { qunsetenv(name_); }
    ScopedEnv(const ScopedEnv&) = delete;
    ScopedEnv& operator=(const ScopedEnv&) = delete;

private:
    const char* name_;
};

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
