#include "support/vk_op_test_case.h"

namespace facet::test {

void VkOpTestCase::initTestCase() {
    QVERIFY2(bench_.init(), "no Vulkan device with the validation layer: these tests need one (lavapipe)");
}

void VkOpTestCase::cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(bench_.instance()); }

void VkOpTestCase::cleanupTestCase() {
    bench_.release();
    FACET_VERIFY_NO_VALIDATION_MESSAGES(bench_.instance());
}

}  // namespace facet::test
