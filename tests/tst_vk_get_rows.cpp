// get_rows.comp against its CPU twin, dequantizeTensorRow times the scale
// (house style rule 8): every table type, random non-zero weights quantized
// with quantizeRow, ids including 0 and the last row, repeated ids, odd
// shapes, tables split into row windows (4 per dispatch and beyond),
// row-interleaved tables in pieces (TensorPiece::tileRows), bad ids.
// The gather is bit-exact: outputs must equal the CPU floats exactly.
// Validation layer on; any message fails.
#include <QtTest>
#include <cmath>
#include <cstring>
#include <map>
#include <random>
#include <vector>

#include "model/dequantize.h"
#include "model/quantize.h"
#include "model/tensor_view.h"
#include "support/vk_fixture.h"
#include "support/vk_op_test.h"
#include "vulkan/ops/get_rows_op.h"
#include "vulkan/ops/mat_vec_op.h"
#include "vulkan/row_interleave.h"
#include "vulkan/vk_buffer.h"
#include "vulkan/vk_commands.h"
#include "vulkan/vk_upload.h"

using namespace facet;
using namespace facet::test;

Q_DECLARE_METATYPE(facet::GgmlType)

namespace {



// As tst_vk_mat_vec: 1 or 3 blocks, or 0 = 1536; odd widths for float types.
int colsOf(GgmlType t, int blocks) {
    if (isFloatType(t)) return blocks == 1 ? 5 : blocks == 3 ? 19 : 1539;
    return blocks == 0 ? 1536 : int(typeInfo(t).blockElems) * blocks;
}

}  // namespace

class TstVkGetRows : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<vk::Instance> instance_;
    std::map<quint64, std::unique_ptr<vk::Device>> devices_;  // per binding limit

    vk::Device* device(quint64 maxBindingBytes) {
        auto& d = devices_[maxBindingBytes];
        if (!d) {
            vk::DeviceOptions o = plainOptions();
            o.maxBindingBytes = maxBindingBytes;
            auto r = vk::Device::create(*instance_, o);
            if (!r.ok()) qWarning("%s", r.message().c_str());
            if (r.ok()) d = std::move(r).value();
        }
        return d.get();
    }

private slots:
    void initTestCase() {
        instance_ = makeValidatedInstance();
        QVERIFY2(instance_, "no Vulkan instance with the validation layer (see the warning above)");
        QVERIFY2(device(0), "no Vulkan device: these tests need one (lavapipe: mesa-vulkan-drivers)");
    }

    void cleanup() { FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_); }

    void cleanupTestCase() {
        devices_.clear();
        FACET_VERIFY_NO_VALIDATION_MESSAGES(instance_);
    }

    void bitExactWithCpu_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("blocks");  // columns: colsOf(type, blocks)
        QTest::addColumn<int>("n");
        QTest::addColumn<quint64>("maxBindingBytes");  // 0 = device limit
        QTest::addColumn<int>("windowsPerTable");      // with a limit: rows = about this many windows
        QTest::addColumn<int>("lead");                 // byte offset of the table in its buffer
        QTest::addColumn<int>("tileRows");             // row-interleaved pieces of 2 tiles (0: plain rows)

        for (GgmlType t : kShaderTypes) {
            const char* nm = typeInfo(t).name;
            QTest::addRow("%s 1x1blk n1", nm) << t << 1 << 1 << 1 << quint64(0) << 0 << 0 << 0;
            QTest::addRow("%s 7x3blk n3, lead 2", nm) << t << 7 << 3 << 3 << quint64(0) << 0 << 2 << 0;
            QTest::addRow("%s 65x1536 n8", nm) << t << 65 << 0 << 8 << quint64(0) << 0 << 0 << 0;
            QTest::addRow("%s 3 windows in 16 KiB bindings n8, lead 6", nm)
                << t << 0 << 1 << 8 << quint64(16384) << 3 << 6 << 0;
            QTest::addRow("%s 9 windows (3 dispatches) in 16 KiB bindings n8", nm)
                << t << 0 << 1 << 8 << quint64(16384) << 9 << 0 << 0;
        }
        // Row-interleaved tables (DeviceWeights' storage of Q4_0/Q8_0/Q4_K/Q5_K/Q6_K on CPU
        // devices): a padded last tile; 5 pieces, so 2 dispatches.
        for (GgmlType t : {GgmlType::Q4_0, GgmlType::Q8_0, GgmlType::Q4_K, GgmlType::Q5_K, GgmlType::Q6_K}) {
            const char* nm = typeInfo(t).name;
            QTest::addRow("%s 37x1536 n8 tiles of 32", nm) << t << 37 << 0 << 8 << quint64(0) << 0 << 0 << 32;
            QTest::addRow("%s 75x512 n8 tiles of 8, 5 pieces", nm)
                << t << 75 << int(512 / typeInfo(t).blockElems) << 8 << quint64(0) << 0 << 0 << 8;
        }
    }

    void bitExactWithCpu() {
        QFETCH(GgmlType, type);
        QFETCH(int, rows);
        QFETCH(int, blocks);
        QFETCH(int, n);
        QFETCH(quint64, maxBindingBytes);
        QFETCH(int, windowsPerTable);
        QFETCH(int, lead);
        QFETCH(int, tileRows);

        vk::Device* dev = device(maxBindingBytes);
        QVERIFY(dev);
        const int cols = colsOf(type, blocks);
        const uint64_t rb = rowBytes(type, cols);
        QVERIFY(rb > 0);
        if (maxBindingBytes) rows = int((windowsPerTable - 1) * (maxBindingBytes / rb) + 3);

        const uint32_t seed = uint32_t(int(type) * 131 + rows * 7919 + cols);
        const std::vector<float> wf = nonZero(size_t(rows) * cols, 0.05f, 1.0f, seed);
        const size_t tBytes = size_t(rows) * rb;
        std::vector<uint8_t> tq((lead + tBytes + 3) / 4 * 4, 0);  // padded to a whole word (shader reads words)
        for (int r = 0; r < rows; ++r)
            quantizeRow(type, wf.data() + size_t(r) * cols, tq.data() + lead + size_t(r) * rb, cols);

        // Ids: the first and last rows, a repeat, then random rows.
        std::mt19937 rng(seed + 1);
        std::vector<uint32_t> ids = {0u, uint32_t(rows - 1), 0u};
        while (ids.size() < size_t(n)) ids.push_back(uint32_t(rng() % uint32_t(rows)));
        ids.resize(size_t(n));
        if (n >= 2) ids[1] = uint32_t(rows - 1);
        const float scale = std::sqrt(1536.0f);  // Gemma's embedding scale for E2B

        TensorView T;
        T.name = "table";
        T.type = type;
        T.ne = {cols, rows, 1, 1};
        T.nDims = 2;
        T.data = tq.data() + lead;
        T.nbytes = tBytes;
        const int oStride = cols + 1;
        std::vector<float> ref(size_t(n) * oStride, -777.0f);
        for (int t = 0; t < n; ++t) {
            float* o = ref.data() + size_t(t) * oStride;
            dequantizeTensorRow(T, ids[size_t(t)], o);
            for (int c = 0; c < cols; ++c) o[c] *= scale;
        }

        auto bt = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, tq.size(), "table");
        auto bi = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, ids.size() * 4, "ids");
        auto bo = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, ref.size() * 4, "out");
        QVERIFY(bt.ok() && bi.ok() && bo.ok());
        vk::UploaderOptions uo;
        uo.forceStaging = true;
        auto up = vk::Uploader::create(*dev, uo);
        QVERIFY(up.ok());
        const std::vector<float> sentinel(ref.size(), -777.0f);
        std::vector<vk::UploadItem> items = {{bt.value()->whole(), tq.data(), tq.size()},
                                             {bi.value()->whole(), ids.data(), ids.size() * 4},
                                             {bo.value()->whole(), sentinel.data(), sentinel.size() * 4}};
        // Tiled: pieces of 2 tiles, each its row-interleaved image on 16 bytes.
        std::vector<vk::TensorPiece> pieces;
        std::unique_ptr<vk::Buffer> tiled;
        if (tileRows) {
            const int perPiece = 2 * tileRows;
            auto b = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 2 * tq.size() + 1024, "tiled table");
            QVERIFY(b.ok());
            tiled = std::move(b).value();
            uint64_t at = 0;
            for (int r0 = 0; r0 < rows; r0 += perPiece) {
                const int r1 = std::min(rows, r0 + perPiece);
                const vk::RowInterleave l = vk::matVecTileLayout(type, cols, r1 - r0, uint32_t(tileRows));  // (Q6_K padded)
                pieces.push_back({tiled->slice(at, l.imageBytes() + 4), r0, r1, uint32_t(tileRows)});
                items.push_back({tiled->slice(at, l.imageBytes()), tq.data() + lead + size_t(r0) * rb, l.imageBytes(), l});
                at = (at + l.imageBytes() + 4 + 15) / 16 * 16;
            }
        }
        Status st = up.value()->upload(items);
        QVERIFY2(st.ok(), st.message().c_str());

        vk::GetRowsArgs a;
        a.table = bt.value()->slice(lead, tBytes);
        a.type = type;
        a.cols = uint32_t(cols);
        a.rows = uint32_t(rows);
        a.ids = bi.value()->whole();
        a.out = bo.value()->whole();
        a.n = uint32_t(n);
        a.outStride = uint32_t(oStride);
        a.scale = scale;
        a.pieces = pieces;

        auto cmd = vk::Cmd::create(*dev, "get_rows test");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        st = vk::dispatchGetRows(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        const uint32_t expectDispatches = maxBindingBytes ? uint32_t((windowsPerTable + 3) / 4)
                                          : tileRows        ? uint32_t((pieces.size() + 3) / 4)
                                                            : 1u;
        QCOMPARE(cmd.value()->dispatches(), expectDispatches);
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());

        std::vector<float> got(ref.size());
        st = up.value()->download(bo.value()->whole(), got.data(), got.size() * 4);
        QVERIFY2(st.ok(), st.message().c_str());
        int bad = 0;
        QString firstBad;
        for (size_t i = 0; i < ref.size(); ++i) {
            uint32_t e, g;
            std::memcpy(&e, &ref[i], 4);
            std::memcpy(&g, &got[i], 4);
            if (e != g && bad++ == 0)
                firstBad = QString("token %1 (row %2) col %3: ref %4, got %5")
                               .arg(i / oStride)
                               .arg(ids[i / oStride])
                               .arg(i % oStride)
                               .arg(ref[i], 0, 'g', 9)
                               .arg(got[i], 0, 'g', 9);
        }
        qInfo("%d x %d table, %d ids: %d of %zu floats differ, %u dispatch(es)", rows, cols, n, bad, ref.size(),
              cmd.value()->dispatches());
        QVERIFY2(bad == 0, qPrintable(firstBad));
    }

    // An id past the table gives a NaN row (as dequantizeRow poisons), never
    // another row's values; the good ids around it are unaffected.
    void badIdGivesNaNRow() {
        vk::Device* dev = device(2048);
        QVERIFY(dev);
        const GgmlType type = GgmlType::Q4_0;
        const int cols = 64, rows = 200;  // 36-byte rows: 4 windows of ~56 rows, one dispatch
        const uint64_t rb = rowBytes(type, cols);
        const std::vector<float> wf = nonZero(size_t(rows) * cols, 0.05f, 1.0f, 5);
        std::vector<uint8_t> tq(size_t(rows) * rb);
        for (int r = 0; r < rows; ++r) quantizeRow(type, wf.data() + size_t(r) * cols, tq.data() + r * rb, cols);
        const std::vector<uint32_t> ids = {7u, uint32_t(rows), 0xFFFFFFFFu, 199u};
        auto bt = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, tq.size(), "table");
        auto bi = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, ids.size() * 4, "ids");
        auto bo = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, ids.size() * cols * 4, "out");
        auto up = vk::Uploader::create(*dev);
        QVERIFY(bt.ok() && bi.ok() && bo.ok() && up.ok());
        QVERIFY(up.value()->upload(bt.value()->whole(), tq.data(), tq.size()).ok());
        QVERIFY(up.value()->upload(bi.value()->whole(), ids.data(), ids.size() * 4).ok());
        vk::GetRowsArgs a;
        a.table = bt.value()->whole();
        a.type = type;
        a.cols = cols;
        a.rows = rows;
        a.ids = bi.value()->whole();
        a.out = bo.value()->whole();
        a.n = uint32_t(ids.size());
        auto cmd = vk::Cmd::create(*dev, "bad id");
        QVERIFY(cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        Status st = vk::dispatchGetRows(*cmd.value(), a);
        QVERIFY2(st.ok(), st.message().c_str());
        st = cmd.value()->submitAndWait();
        QVERIFY2(st.ok(), st.message().c_str());
        std::vector<float> got(ids.size() * cols);
        QVERIFY(up.value()->download(bo.value()->whole(), got.data(), got.size() * 4).ok());
        std::vector<float> row(cols);
        for (size_t t = 0; t < ids.size(); ++t) {
            const bool valid = ids[t] < uint32_t(rows);
            if (valid) dequantizeRow(type, tq.data() + ids[t] * rb, row.data(), cols);
            for (int c = 0; c < cols; ++c) {
                const float g = got[t * cols + c];
                if (valid)
                    QCOMPARE(g, row[c]);
                else
                    QVERIFY2(std::isnan(g), qPrintable(QString("token %1 col %2: %3").arg(t).arg(c).arg(g)));
            }
        }
    }

    void refusesBadArguments_data() {
        QTest::addColumn<GgmlType>("type");
        QTest::addColumn<int>("cols");
        QTest::addColumn<int>("tableBytes");
        QTest::addColumn<int>("outFloats");
        QTest::addColumn<QString>("error");
        QTest::newRow("unsupported type") << GgmlType::Q2_K << 256 << 4096 << 1024 << "has no shader";
        QTest::newRow("columns not whole blocks") << GgmlType::Q4_K << 300 << 4096 << 1024 << "not a multiple";
        QTest::newRow("table too small") << GgmlType::Q8_0 << 64 << 100 << 1024 << "table needs 136 bytes";
        QTest::newRow("output too small") << GgmlType::F16 << 64 << 4096 << 100 << "out needs 512 bytes";
    }

    void refusesBadArguments() {
        QFETCH(GgmlType, type);
        QFETCH(int, cols);
        QFETCH(int, tableBytes);
        QFETCH(int, outFloats);
        QFETCH(QString, error);
        vk::Device* dev = device(0);
        QVERIFY(dev);
        auto t = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, size_t(tableBytes), "table");
        auto ids = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, 64, "ids");
        auto out = vk::Buffer::create(*dev, vk::MemoryKind::DeviceLocal, size_t(outFloats) * 4, "out");
        auto cmd = vk::Cmd::create(*dev, "bad args");
        QVERIFY(t.ok() && ids.ok() && out.ok() && cmd.ok());
        QVERIFY(cmd.value()->begin().ok());
        vk::GetRowsArgs a;
        a.table = t.value()->whole();
        a.type = type;
        a.cols = uint32_t(cols);
        a.rows = 2;
        a.ids = ids.value()->whole();
        a.out = out.value()->whole();
        a.n = 2;
        const Status st = vk::dispatchGetRows(*cmd.value(), a);
        QVERIFY(!st.ok());
        QVERIFY2(QString::fromStdString(st.message()).contains(error), st.message().c_str());
        QCOMPARE(cmd.value()->dispatches(), 0u);
        QVERIFY(cmd.value()->end().ok());
    }
};

QTEST_GUILESS_MAIN(TstVkGetRows)
#include "tst_vk_get_rows.moc"
