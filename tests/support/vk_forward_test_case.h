// The fixture the forward-pass tests share (tst_vk_forward,
// tst_vk_forward_paths): a validated instance, its default device and a
// folder for the models they write; a test fails on any validation-layer
// message. A test class derives from VkForwardTestCase instead of QObject.
#pragma once

#include <QObject>
#include <QTemporaryDir>
#include <memory>

#include "vulkan/vk_device.h"
#include "vulkan/vk_instance.h"

namespace facet::test {

class VkForwardTestCase : public QObject {
    Q_OBJECT

protected:
    std::unique_ptr<vk::Instance> instance_;
    std::unique_ptr<vk::Device> device_;
    QTemporaryDir tmp_;

private slots:
    void initTestCase();
    void cleanup();
    void cleanupTestCase();
};

}  // namespace facet::test
