// The fixture every Vulkan op test shares: a validated instance with its
// devices (VkOpBench, as bench_), and a test fails on any validation-layer
// message. A test class derives from VkOpTestCase instead of QObject; Qt Test
// runs these slots as the derived class's own.
#pragma once

#include <QObject>

#include "support/vk_op_test.h"

namespace facet::test {

class VkOpTestCase : public QObject {
    Q_OBJECT

protected:
    VkOpBench bench_;

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
};

}  // namespace facet::test
