#include "support/vk_forward_test_case.h"

#include <QtTest>

#include "support/vk_fixture.h"

namespace facet::test {

void VkForwardTestCase::initTestCase() {
    QVERIFY(tmp_.isValid());
    instance_ = makeValidatedInstance();
    QVERIFY2(instance_, "no Vulkan instance with the validation layer");
    auto d = vk::Device::create(*instance_, plainOptions());
    QVERIFY2(d.ok(), d.ok() ? "" : d.message().c_str());
    device_ = std::move(d).value();
}

void VkForwardTestCase::cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }

void VkForwardTestCase::cleanupTestCase() {
    device_.reset();
    FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
}

}  // namespace facet::test
